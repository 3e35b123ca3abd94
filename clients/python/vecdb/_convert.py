"""Conversions between the typed values of vecdb.types and the proto
messages. Input errors raise ValueError naming the path of the bad value
("points[3].metadata.year: ...")."""

from __future__ import annotations

import numbers
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

from vecdb import types as t
from vecdb.v1 import vecdb_pb2 as pb

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1

METRICS = {
    "cosine": pb.METRIC_COSINE,
    "l2": pb.METRIC_L2,
    "inner_product": pb.METRIC_INNER_PRODUCT,
}
_METRIC_NAMES = {value: name for name, value in METRICS.items()}
_METRIC_NAMES[pb.METRIC_UNSPECIFIED] = "unspecified"

RETRIEVE_MODES = {
    "auto": pb.RETRIEVE_MODE_UNSPECIFIED,
    "dense": pb.RETRIEVE_MODE_DENSE,
    "text": pb.RETRIEVE_MODE_TEXT,
    "hybrid": pb.RETRIEVE_MODE_HYBRID,
}
_RETRIEVE_MODE_NAMES = {value: name for name, value in RETRIEVE_MODES.items()}

_QUERY_PATHS = {
    pb.QUERY_PATH_UNSPECIFIED: "unspecified",
    pb.QUERY_PATH_GRAPH: "graph",
    pb.QUERY_PATH_FILTERED_GRAPH: "filtered_graph",
    pb.QUERY_PATH_EXACT_CANDIDATES: "exact_candidates",
    pb.QUERY_PATH_FILTERED_GRAPH_THEN_EXACT: "filtered_graph_then_exact",
    pb.QUERY_PATH_TEXT: "text",
}

INCLUDE_FIELDS = ("vector", "metadata", "document", "distance")


def _type_name(value: Any) -> str:
    return type(value).__name__


def choice(value: str, choices: Mapping[str, int], path: str) -> int:
    if value not in choices:
        raise ValueError(
            f'{path}: unknown value "{value}" (expected {", ".join(choices)})'
        )
    return choices[value]


# --- Python -> proto --------------------------------------------------------


def vector(values: Any, path: str) -> List[float]:
    """A list of floats from any sequence of numbers (numpy arrays too)."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{path}: expected a sequence of numbers, got {_type_name(values)}")
    out = []
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{path}[{i}]: expected a number, got {_type_name(value)}")
        out.append(float(value))
    return out


def is_single_vector(values: Any) -> bool:
    """True when `values` is one vector rather than a sequence of vectors."""
    if hasattr(values, "ndim"):
        return values.ndim == 1
    for value in values:
        return isinstance(value, numbers.Real)
    return False


def metadata_value(value: Any, path: str) -> pb.MetadataValue:
    if isinstance(value, bool):
        return pb.MetadataValue(bool_value=value)
    if isinstance(value, numbers.Integral):
        if not _INT64_MIN <= int(value) <= _INT64_MAX:
            raise ValueError(f"{path}: integer out of the int64 range")
        return pb.MetadataValue(int_value=int(value))
    if isinstance(value, numbers.Real):
        return pb.MetadataValue(double_value=float(value))
    if isinstance(value, str):
        return pb.MetadataValue(string_value=value)
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise ValueError(
                    f"{path}[{i}]: list values must be strings, got {_type_name(item)}"
                )
        return pb.MetadataValue(list_value=pb.StringList(values=list(value)))
    raise ValueError(
        f"{path}: expected a str, int, float, bool or list of str, got "
        f"{_type_name(value)}"
    )


def fill_metadata(target: Any, metadata: Mapping[str, Any], path: str) -> None:
    if not isinstance(metadata, Mapping):
        raise ValueError(f"{path}: expected a dict, got {_type_name(metadata)}")
    for key, value in metadata.items():
        if not isinstance(key, str):
            raise ValueError(f"{path}: keys must be strings, got {_type_name(key)}")
        target[key].CopyFrom(metadata_value(value, f"{path}.{key}"))


_POINT_KEYS = ("id", "vector", "metadata", "document")


def point_to_proto(point: Union[t.Point, Mapping[str, Any]], path: str) -> pb.Point:
    if isinstance(point, t.Point):
        fields = {
            "id": point.id,
            "vector": point.vector,
            "metadata": point.metadata,
            "document": point.document,
        }
    elif isinstance(point, Mapping):
        for key in point:
            if key not in _POINT_KEYS:
                raise ValueError(
                    f'{path}: unknown key "{key}" (expected {", ".join(_POINT_KEYS)})'
                )
        fields = dict(point)
    else:
        raise ValueError(f"{path}: expected a Point or a dict, got {_type_name(point)}")
    point_id = fields.get("id")
    if not isinstance(point_id, str):
        raise ValueError(f"{path}.id: expected a string, got {_type_name(point_id)}")
    message = pb.Point(id=point_id)
    message.vector.extend(vector(fields.get("vector", ()), f"{path}.vector"))
    fill_metadata(message.metadata, fields.get("metadata") or {}, f"{path}.metadata")
    document = fields.get("document")
    if document is not None:
        if not isinstance(document, str):
            raise ValueError(
                f"{path}.document: expected a string, got {_type_name(document)}"
            )
        message.document = document
    return message


def include(fields: Iterable[str], path: str = "include") -> pb.Include:
    if isinstance(fields, str):
        fields = [fields]
    message = pb.Include()
    for name in fields:
        if name not in INCLUDE_FIELDS:
            raise ValueError(
                f'{path}: unknown field "{name}" (expected {", ".join(INCLUDE_FIELDS)})'
            )
        setattr(message, name, True)
    return message


def _dataclass_fields(value: Any, cls: type, path: str) -> Mapping[str, Any]:
    if isinstance(value, cls):
        return vars(value)
    if isinstance(value, Mapping):
        allowed = cls.__dataclass_fields__
        for key in value:
            if key not in allowed:
                raise ValueError(
                    f'{path}: unknown key "{key}" (expected {", ".join(allowed)})'
                )
        return value
    raise ValueError(f"{path}: expected {cls.__name__} or a dict, got {_type_name(value)}")


_FUSIONS = ("rrf", "relative_score")


def hybrid(value: Union[t.HybridParams, Mapping[str, Any], None]) -> Optional[pb.HybridParams]:
    if value is None:
        return None
    fields = dict(_dataclass_fields(value, t.HybridParams, "hybrid"))
    fusion = fields.pop("fusion", "")
    message = pb.HybridParams(**fields)
    if fusion:
        if fusion not in _FUSIONS:
            raise ValueError(
                f'hybrid.fusion: unknown value "{fusion}" (expected '
                f'{", ".join(_FUSIONS)})'
            )
        if "fusion" not in pb.HybridParams.DESCRIPTOR.fields_by_name:
            raise ValueError("hybrid.fusion: not in this build's vecdb.v1 API")
        message.fusion = pb.Fusion.Value(f"FUSION_{fusion.upper()}")
    return message


def bm25(value: Union[t.Bm25Params, Mapping[str, Any], None]) -> Optional[pb.Bm25Params]:
    if value is None:
        return None
    return pb.Bm25Params(**_dataclass_fields(value, t.Bm25Params, "bm25"))


def _string_map(target: Any, values: Mapping[str, Any], path: str) -> None:
    for key, value in (values or {}).items():
        if not isinstance(key, str):
            raise ValueError(f"{path}: keys must be strings, got {_type_name(key)}")
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, numbers.Number):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"{path}.{key}: expected a string, got {_type_name(value)}")
        target[key] = value


def ingest_profile(
    value: Union[t.IngestProfile, Mapping[str, Any]], dimension: int
) -> pb.IngestProfile:
    """A proto IngestProfile; the embedder's dimension defaults to the
    collection's. Numbers in parameters become their decimal strings."""
    fields = _dataclass_fields(value, t.IngestProfile, "ingest_profile")
    if "embedder" not in fields:
        raise ValueError('ingest_profile: missing "embedder"')
    embedder = _dataclass_fields(
        fields["embedder"], t.EmbedderSpec, "ingest_profile.embedder"
    )
    message = pb.IngestProfile()
    message.embedder.name = embedder.get("name", "")
    message.embedder.model = embedder.get("model", "")
    message.embedder.dimension = embedder.get("dimension") or dimension
    _string_map(
        message.embedder.parameters,
        embedder.get("parameters"),
        "ingest_profile.embedder.parameters",
    )
    chunker = fields.get("chunker")
    if chunker is not None:
        chunker = _dataclass_fields(chunker, t.ChunkerSpec, "ingest_profile.chunker")
        message.chunker.name = chunker.get("name", "")
        _string_map(
            message.chunker.parameters,
            chunker.get("parameters"),
            "ingest_profile.chunker.parameters",
        )
    return message


# --- proto -> Python --------------------------------------------------------


def metadata_from_proto(metadata: Mapping[str, pb.MetadataValue]) -> t.Metadata:
    out: t.Metadata = {}
    for key, value in metadata.items():
        kind = value.WhichOneof("kind")
        if kind == "list_value":
            out[key] = list(value.list_value.values)
        elif kind is not None:
            out[key] = getattr(value, kind)
    return out


def point_from_proto(message: pb.Point) -> t.Point:
    return t.Point(
        id=message.id,
        vector=list(message.vector),
        metadata=metadata_from_proto(message.metadata),
        document=message.document if message.HasField("document") else None,
    )


def profile_from_proto(message: pb.IngestProfile) -> t.IngestProfile:
    return t.IngestProfile(
        embedder=t.EmbedderSpec(
            name=message.embedder.name,
            model=message.embedder.model,
            dimension=message.embedder.dimension,
            parameters=dict(message.embedder.parameters),
        ),
        chunker=t.ChunkerSpec(
            name=message.chunker.name, parameters=dict(message.chunker.parameters)
        ),
    )


def collection_from_proto(message: pb.CollectionInfo) -> t.CollectionInfo:
    ingest = None
    if message.HasField("ingest") and message.ingest.embedder.name:
        ingest = profile_from_proto(message.ingest)
    return t.CollectionInfo(
        name=message.name,
        dimension=message.dimension,
        metric=_METRIC_NAMES.get(message.metric, str(message.metric)),
        hnsw=t.HnswParams(
            m=message.hnsw.m,
            ef_construction=message.hnsw.ef_construction,
            ef_search=message.hnsw.ef_search,
        ),
        count=message.count,
        created_unix_ms=message.created_unix_ms,
        last_sequence=message.last_sequence,
        checkpoint_sequence=message.checkpoint_sequence,
        index_slots=message.index_slots,
        index_deleted_slots=message.index_deleted_slots,
        ingest=ingest,
        applied_sequence=message.applied_sequence,
        compactions=message.compactions,
        last_compaction_unix=message.last_compaction_unix,
        last_compaction_reclaimed=message.last_compaction_reclaimed,
        index_stale_reason=message.index_stale_reason,
        wal_recovery=message.wal_recovery,
    )


def query_result_from_proto(message: pb.QueryResult, explained: bool) -> t.QueryResult:
    hits = [
        t.ScoredPoint(
            point=point_from_proto(hit.point),
            distance=hit.distance,
            score=hit.score,
            vector_rank=hit.vector_rank,
            text_rank=hit.text_rank,
            text_score=hit.text_score,
        )
        for hit in message.hits
    ]
    explain = None
    if explained:
        e = message.explain
        explain = t.Explain(
            path=_QUERY_PATHS.get(e.path, str(e.path)),
            estimated_matches=e.estimated_matches,
            actual_matches=e.actual_matches,
            distance_computations=e.distance_computations,
            nodes_expanded=e.nodes_expanded,
            postings_scored=e.postings_scored,
            search_micros=e.search_micros,
            reason=e.reason,
        )
    return t.QueryResult(hits=hits, explain=explain)


def retrieve_result_from_proto(message: pb.RetrieveResponse) -> t.RetrieveResult:
    chunks = [
        t.Citation(
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            source=c.source,
            title=c.title,
            chunk_index=c.chunk_index,
            char_start=c.char_start,
            char_end=c.char_end,
            section=list(c.section),
            text=c.text,
            rank=c.rank,
            score=c.score,
            distance=c.distance,
            metadata=metadata_from_proto(c.metadata),
            passage=c.passage,
        )
        for c in message.chunks
    ]
    passages = [
        t.ContextPassage(
            number=p.number,
            doc_id=p.doc_id,
            source=p.source,
            title=p.title,
            section=list(p.section),
            char_start=p.char_start,
            char_end=p.char_end,
            text=p.text,
            chunk_ids=list(p.chunk_ids),
            best_rank=p.best_rank,
        )
        for p in message.passages
    ]
    return t.RetrieveResult(
        chunks=chunks,
        passages=passages,
        context=message.context,
        context_chars=message.context_chars,
        context_tokens=message.context_tokens,
        truncated=message.truncated,
        mode=_RETRIEVE_MODE_NAMES.get(message.mode, str(message.mode)),
        embed_micros=message.embed_micros,
        search_micros=message.search_micros,
    )


def texts(values: Union[str, Sequence[str], None], path: str) -> List[str]:
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    out = []
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise ValueError(f"{path}[{i}]: expected a string, got {_type_name(value)}")
        out.append(value)
    return out
