#!/usr/bin/python3
"""Computes SIFT descriptors from the pictures that Debian packages ship and
stores them as a benchmark data set (the `sift-images` set of
benchmarks/datasets.h):

    <out>/base.fvecs     descriptors of the base images
    <out>/query.fvecs    descriptors sampled from held-out images
    <out>/manifest.json  every image used, its package, role and count

Images come from the folders of wallpaper packages (plasma-workspace-
wallpapers, gnome-backgrounds, mate-backgrounds, ukui-wallpapers, ...). A
wallpaper shipped at several resolutions counts once, at its largest. Every
tenth image (in sorted path order) is held out: queries are descriptors of
pictures the base set never saw, as with real SIFT query sets.

    /usr/bin/python3 benchmarks/data/extract_sift.py --out ~/.cache/vecdb/sift-images

Deterministic for the same images and OpenCV version. Needs python3-opencv.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import cv2
import numpy as np

DEFAULT_ROOTS = ["/usr/share/wallpapers", "/usr/share/backgrounds"]
EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")


def find_images(roots):
    """Image paths under roots; one (the largest file) per folder of a
    multi-resolution wallpaper (KDE's <name>/contents/images/<WxH>.ext)."""
    chosen = {}
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                if not name.lower().endswith(EXTENSIONS):
                    continue
                path = os.path.join(folder, name)
                if os.path.getsize(path) < 20_000:
                    continue  # icons and thumbnails
                key = folder if folder.endswith("contents/images") else path
                real = os.path.realpath(path)
                if key not in chosen or os.path.getsize(real) > os.path.getsize(
                        chosen[key]):
                    chosen[key] = real
    return sorted(set(chosen.values()))


def describe(job):
    path, max_features = job
    image = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if image is None:
        return path, None, "unreadable"
    sift = cv2.SIFT_create(nfeatures=max_features)
    _, descriptors = sift.detectAndCompute(image, None)
    if descriptors is None:
        return path, np.zeros((0, 128), np.float32), "no keypoints"
    return path, descriptors.astype(np.float32), ""


def owning_package(path):
    try:
        out = subprocess.run(["dpkg", "-S", path], capture_output=True,
                             text=True, check=False).stdout
        return out.split(":")[0] if out else ""
    except OSError:
        return ""


def write_fvecs(path, rows):
    rows = np.ascontiguousarray(rows, dtype=np.float32)
    dims = np.full((rows.shape[0], 1), rows.shape[1], dtype=np.int32)
    np.hstack([dims.view(np.float32), rows]).tofile(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--roots", nargs="*", default=DEFAULT_ROOTS,
                        help="folders searched for images")
    parser.add_argument("--images", nargs="*",
                        help="explicit image files instead of --roots")
    parser.add_argument("--max-per-image", type=int, default=40000,
                        help="strongest keypoints kept per image")
    parser.add_argument("--queries", type=int, default=10000,
                        help="query descriptors sampled from held-out images")
    parser.add_argument("--holdout-every", type=int, default=10,
                        help="every N-th image is a query image")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    images = sorted(args.images) if args.images else find_images(args.roots)
    if len(images) < 2:
        sys.exit(f"extract_sift: need at least 2 images, found {len(images)} "
                 f"under {args.roots}")
    jobs = [(p, args.max_per_image) for p in images]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(describe, jobs))

    base, held_out, manifest = [], [], []
    for i, (path, descriptors, problem) in enumerate(results):
        is_query = args.holdout_every > 0 and i % args.holdout_every == \
            args.holdout_every - 1
        count = 0 if descriptors is None else len(descriptors)
        manifest.append({"path": path, "package": owning_package(path),
                         "role": "query" if is_query else "base",
                         "descriptors": count, "problem": problem})
        if descriptors is None or count == 0:
            continue
        (held_out if is_query else base).append(descriptors)
    if not base or not held_out:
        sys.exit("extract_sift: no descriptors for the base or query images")
    base = np.vstack(base)
    held_out = np.vstack(held_out)
    rng = random.Random(args.seed)
    picks = sorted(rng.sample(range(len(held_out)),
                              min(args.queries, len(held_out))))
    queries = held_out[picks]

    # Written into a fresh folder that replaces --out at the end, so an
    # interrupted run never leaves a base without its queries.
    out = os.path.abspath(args.out)
    staging = f"{out}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    write_fvecs(os.path.join(staging, "base.fvecs"), base)
    write_fvecs(os.path.join(staging, "query.fvecs"), queries)
    with open(os.path.join(staging, "manifest.json"), "w") as f:
        json.dump({"opencv": cv2.__version__, "max_per_image":
                   args.max_per_image, "seed": args.seed,
                   "base_descriptors": int(len(base)),
                   "query_descriptors": int(len(queries)),
                   "images": manifest}, f, indent=1)
    shutil.rmtree(out, ignore_errors=True)
    os.rename(staging, out)
    print(f"extract_sift: {len(images)} images "
          f"({sum(m['role'] == 'query' for m in manifest)} held out): "
          f"{len(base)} base and {len(queries)} query descriptors "
          f"in {args.out}")


if __name__ == "__main__":
    main()
