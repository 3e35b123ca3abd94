"""Retrieve from Python: chunk points with lineage metadata (as vecdb-ingest
writes them) in a collection with a hash ingest profile; and, when the
vecdb-ingest binary is built, a directory ingested by it."""

import hashlib
import os
import subprocess
import tempfile
import unittest

import vecdb
from vecdb_testing import ServerTestCase

DIMENSION = 64
PROFILE = {"embedder": {"name": "hash", "dimension": DIMENSION},
           "chunker": {"name": "auto"}}

GUIDE = ("# Setup\nInstall the agent with apt; the café's über-simple menu "
         "works too.\n# Keys\nRotate the signing keys every ninety days.")
GUIDE_CUT = GUIDE.index("# Keys")
FAQ = "Why is the sky blue? Rayleigh scattering of sunlight by the air."


def chunk_point(doc_id, source, text, index, count, start, end, section,
                extra):
    """A chunk point as common/chunk_fields.h describes it."""
    chunk = text[start:end]
    metadata = dict(extra)
    metadata.update({
        "doc_id": doc_id, "source": source,
        "doc_hash": hashlib.sha256(text.encode()).hexdigest(),
        "chunk_count": count, "chunk_index": index,
        "char_start": start, "char_end": end,
        "chunk_hash": hashlib.sha256(chunk.encode()).hexdigest(),
    })
    if section:
        metadata["section"] = section
    # Any vector of the right dimension: dense retrieval ranks them somehow,
    # the tests check what comes back, not the order.
    vector = [((index + 1) * (i + 3) % 7) / 7.0 + 0.01 for i in range(DIMENSION)]
    return vecdb.Point(f"{doc_id}#{index}", vector, metadata, chunk)


CHUNKS = [
    chunk_point("guide.md", "docs/guide.md", GUIDE, 0, 2, 0, GUIDE_CUT,
                ["Setup"], {"title": "Operator Guide", "lang": "en"}),
    chunk_point("guide.md", "docs/guide.md", GUIDE, 1, 2, GUIDE_CUT, len(GUIDE),
                ["Keys"], {"title": "Operator Guide", "lang": "en"}),
    chunk_point("faq.txt", "docs/faq.txt", FAQ, 0, 1, 0, len(FAQ), [],
                {"lang": "de"}),
]
RESERVED = {"doc_id", "source", "doc_hash", "chunk_count", "chunk_index",
            "char_start", "char_end", "section", "chunk_hash"}


class ProfileTest(ServerTestCase):
    def test_ingest_profile_is_recorded(self):
        self.client.create_collection(
            "kb", DIMENSION, ingest_profile={
                "embedder": {"name": "hash", "parameters": {"ngram_min": "3"}},
                "chunker": {"name": "auto"}})
        profile = self.client.get_collection("kb").ingest
        self.assertIsInstance(profile, vecdb.IngestProfile)
        self.assertEqual((profile.embedder.name, profile.embedder.model,
                          profile.embedder.dimension), ("hash", "", DIMENSION))
        # The server may fill in the embedder's defaults; what was given stays.
        self.assertEqual(profile.embedder.parameters["ngram_min"], "3")
        self.assertEqual(profile.chunker.name, "auto")
        self.assertIsNone(self.client.create_collection("plain", 4).ingest)

    def test_bad_profile_names_the_field(self):
        with self.assertRaises(vecdb.InvalidArgumentError) as caught:
            self.client.create_collection(
                "kb", DIMENSION,
                ingest_profile={"embedder": {"name": "hash", "dimension": 32}})
        self.assertIn("dimension", caught.exception.message)


class RetrieveTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.client.create_collection("kb", DIMENSION, ingest_profile=PROFILE)
        self.client.upsert("kb", CHUNKS)

    def assertCitesChunk(self, citation, point):
        m = point.metadata
        self.assertEqual(citation.chunk_id, point.id)
        self.assertEqual(citation.doc_id, m["doc_id"])
        self.assertEqual(citation.source, m["source"])
        self.assertEqual(citation.title, m.get("title", ""))
        self.assertEqual(citation.chunk_index, m["chunk_index"])
        self.assertEqual((citation.char_start, citation.char_end),
                         (m["char_start"], m["char_end"]))
        self.assertEqual(citation.section, m.get("section", []))
        self.assertEqual(citation.text, point.document)
        self.assertEqual(citation.metadata["lang"], m["lang"])
        self.assertFalse(RESERVED & citation.metadata.keys())

    def test_text_mode_cites_the_matching_chunk(self):
        result = self.client.retrieve("kb", "rotate signing keys",
                                      mode="text", k=5)
        self.assertIsInstance(result, vecdb.RetrieveResult)
        self.assertEqual(result.mode, "text")
        self.assertEqual([c.chunk_id for c in result.chunks], ["guide.md#1"])
        citation = result.chunks[0]
        self.assertCitesChunk(citation, CHUNKS[1])
        self.assertEqual((citation.rank, citation.passage), (1, 1))
        self.assertGreater(citation.score, 0)
        self.assertEqual(result.citations, [citation])
        [passage] = result.passages
        self.assertEqual((passage.number, passage.doc_id, passage.chunk_ids),
                         (1, "guide.md", ["guide.md#1"]))
        self.assertEqual(passage.text, GUIDE[GUIDE_CUT:])
        self.assertEqual(result.context,
                         "[1] Operator Guide › Keys\n" + GUIDE[GUIDE_CUT:])
        self.assertEqual(result.context_chars, len(result.context))
        self.assertFalse(result.truncated)

    def test_dense_mode_cites_every_chunk_and_merges_touching_ones(self):
        result = self.client.retrieve("kb", "why is the sky blue", mode="dense",
                                      k=3)
        self.assertEqual(result.mode, "dense")
        self.assertEqual([c.rank for c in result.chunks], [1, 2, 3])
        by_id = {c.chunk_id: c for c in result.chunks}
        self.assertEqual(by_id.keys(), {p.id for p in CHUNKS})
        for point in CHUNKS:
            self.assertCitesChunk(by_id[point.id], point)
        # The two guide chunks touch: one passage holding the whole text.
        passages = {p.doc_id: p for p in result.passages}
        self.assertEqual(passages.keys(), {"guide.md", "faq.txt"})
        guide = passages["guide.md"]
        self.assertEqual(guide.chunk_ids, ["guide.md#0", "guide.md#1"])
        self.assertEqual((guide.char_start, guide.char_end), (0, len(GUIDE)))
        self.assertEqual(guide.text, GUIDE)
        self.assertEqual(passages["faq.txt"].text, FAQ)
        self.assertIn(f"[{passages['faq.txt'].number}] docs/faq.txt\n{FAQ}",
                      result.context)
        self.assertEqual(by_id["guide.md#1"].passage, guide.number)

    def test_filter_and_budget(self):
        result = self.client.retrieve(
            "kb", "sky", mode="dense", k=3,
            filter={"field": "doc_id", "op": "eq", "value": "faq.txt"})
        self.assertEqual([c.chunk_id for c in result.chunks], ["faq.txt#0"])
        result = self.client.retrieve("kb", "sky", mode="dense", k=3,
                                      max_chars=40)
        self.assertTrue(result.truncated)
        self.assertLessEqual(len(result.context), 40)
        self.assertEqual(result.context_chars, len(result.context))

    def test_auto_mode_is_hybrid_for_words(self):
        result = self.client.retrieve("kb", "rotate keys", k=3)
        self.assertEqual(result.mode, "hybrid")
        self.assertEqual({c.chunk_id for c in result.chunks},
                         {p.id for p in CHUNKS})
        # All weight on the text ranking: its only hit comes first.
        result = self.client.retrieve(
            "kb", "rotate keys", k=3,
            hybrid={"vector_weight": 0.0, "text_weight": 1.0})
        self.assertEqual(result.mode, "hybrid")
        self.assertEqual(result.chunks[0].chunk_id, "guide.md#1")
        self.assertGreater(result.chunks[0].score, result.chunks[1].score)

    def test_errors(self):
        self.client.create_collection("plain", DIMENSION)
        with self.assertRaises(vecdb.FailedPreconditionError) as caught:
            self.client.retrieve("plain", "anything")
        self.assertEqual(caught.exception.code.name, "FAILED_PRECONDITION")
        with self.assertRaises(vecdb.NotFoundError):
            self.client.retrieve("missing", "anything")
        with self.assertRaises(ValueError) as caught:
            self.client.retrieve("kb", "anything", mode="fuzzy")
        self.assertEqual(str(caught.exception), 'mode: unknown value "fuzzy" '
                         '(expected auto, dense, text, hybrid)')


@unittest.skipUnless(os.environ.get("VECDB_INGEST_BINARY"),
                     "vecdb-ingest is not built")
class IngestThenRetrieveTest(ServerTestCase):
    def test_ingested_directory_is_retrievable(self):
        root = os.path.join(self.temp_dir, "docs")
        os.makedirs(os.path.join(root, "sub"))
        files = {
            "guide.md": "# Guide\n\nIntro — the café's naïve résumé.\n\n## Keys\n\n"
                        "Rotate the signing keys every ninety days.\n",
            "sub/notes.txt": "Rayleigh scattering makes the sky blue.\n",
        }
        for name, text in files.items():
            with open(os.path.join(root, name), "w", encoding="utf-8") as f:
                f.write(text)
        run = subprocess.run(
            [os.environ["VECDB_INGEST_BINARY"], "sync", "--collection=kb",
             f"--server={self.server.address}", "--embedder=hash",
             f"--dimension={DIMENSION}", root],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)

        info = self.client.get_collection("kb")
        self.assertEqual(info.ingest.embedder.name, "hash")
        self.assertEqual(info.dimension, DIMENSION)
        result = self.client.retrieve("kb", "signing keys", mode="text", k=3)
        top = result.chunks[0]
        self.assertEqual(top.doc_id, "guide.md")
        self.assertTrue(top.source.endswith("guide.md"), top.source)
        self.assertEqual(top.section, ["Guide", "Keys"])
        self.assertEqual(top.rank, 1)
        # Offsets are code points into the document (multi-byte characters
        # come before the chunk): Python str indices.
        self.assertIn("signing keys", top.text)
        self.assertEqual(files["guide.md"][top.char_start:top.char_end], top.text)
        self.assertIn(top.text, result.context)
        result = self.client.retrieve("kb", "why is the sky blue", mode="dense",
                                      k=5, filter={"field": "doc_id", "op": "eq",
                                                   "value": "sub/notes.txt"})
        self.assertEqual([c.doc_id for c in result.chunks], ["sub/notes.txt"])


if __name__ == "__main__":
    unittest.main()
