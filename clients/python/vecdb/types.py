"""Typed values the client takes and returns.

Metadata values are ``str``, ``int`` (int64), ``float``, ``bool`` or a list
of ``str``. Vectors are any sequence of numbers (lists, tuples, numpy arrays);
returned vectors are lists of floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Union

MetadataValue = Union[str, int, float, bool, List[str]]
Metadata = Dict[str, MetadataValue]


@dataclass
class HnswParams:
    """Graph parameters; 0 means the server's default."""

    # Graph degree, 2..128. Default (0): 16.
    m: int = 0
    # Candidate list size while building, 1..4096. Default (0): 200.
    ef_construction: int = 0
    # Candidate list size while searching, 1..4096. Default (0): 64.
    ef_search: int = 0


@dataclass
class EmbedderSpec:
    """The embedder whose vectors a collection holds."""

    # "hash" or "openai".
    name: str
    # Model name; empty for embedders without models (hash).
    model: str = ""
    # Equals the collection's dimension (0: taken from the collection).
    dimension: int = 0
    # Embedder settings, e.g. {"ngram_min": "3"}; values are strings.
    parameters: Dict[str, str] = field(default_factory=dict)


@dataclass
class ChunkerSpec:
    """The chunker that cut the documents: "auto", "recursive", "fixed" or
    "markdown"."""

    name: str = ""
    # e.g. {"target_tokens": "256", "overlap_tokens": "32"}.
    parameters: Dict[str, str] = field(default_factory=dict)


@dataclass
class IngestProfile:
    """How documents became a collection's points (recorded at creation)."""

    embedder: EmbedderSpec
    chunker: ChunkerSpec = field(default_factory=ChunkerSpec)


@dataclass
class CollectionInfo:
    name: str
    dimension: int
    # "cosine", "l2" or "inner_product".
    metric: str
    hnsw: HnswParams
    # Live points.
    count: int = 0
    created_unix_ms: int = 0
    # Sequence number of the last committed write.
    last_sequence: int = 0
    # Sequence number covered by the graph checkpoint on disk (0 = none).
    checkpoint_sequence: int = 0
    # Graph slots, including slots of replaced or deleted vectors until
    # compaction reclaims them.
    index_slots: int = 0
    index_deleted_slots: int = 0
    # None when the collection was created without a profile.
    ingest: Optional[IngestProfile] = None
    # Sequence number of the last write searches reflect.
    applied_sequence: int = 0
    # Background compactions; the last one's end (unix s, 0 = none) and the
    # slots it reclaimed.
    compactions: int = 0
    last_compaction_unix: int = 0
    last_compaction_reclaimed: int = 0
    # Non-empty while the graph is rebuilt after a failed update.
    index_stale_reason: str = ""
    # Non-empty when the server's last start found the WAL damaged: what
    # was recovered and which acknowledged writes were lost.
    wal_recovery: str = ""


@dataclass
class Point:
    """A point: id, vector, metadata and an optional document text.

    Points read back hold only the fields the call's ``include`` asked for
    (the id always).
    """

    id: str
    vector: Sequence[float] = field(default_factory=list)
    metadata: Metadata = field(default_factory=dict)
    document: Optional[str] = None


@dataclass
class UpsertResult:
    upserted: int
    # Sequence number assigned to the write.
    sequence: int


@dataclass
class DeleteResult:
    # How many of the given ids existed and were deleted (0 for a
    # filter-only delete).
    deleted: int
    sequence: int


@dataclass
class GetResult:
    # Found points, in the order of the request.
    points: List[Point]
    # Requested ids that do not exist.
    missing_ids: List[str]


@dataclass
class ScrollPage:
    # In id order (bytewise).
    points: List[Point]
    # Pass to the next scroll call; empty when there are no more points.
    next_cursor: str


@dataclass
class HybridParams:
    """How a hybrid search fuses its vector and text rankings.

    "rrf" (reciprocal rank fusion): score = vector_weight / (rrf_k +
    vector_rank) + text_weight / (rrf_k + text_rank). "relative_score": each
    ranking's scores min-max normalised to [0, 1], then the weighted sum.
    Zeros and "" mean the server's defaults (rrf_k 60; weights 1 and 1;
    max(k, 100) candidates per ranking; the call's default fusion)."""

    rrf_k: float = 0.0
    vector_weight: float = 0.0
    text_weight: float = 0.0
    candidates: int = 0
    # "", "rrf" or "relative_score" (servers whose API has fusion).
    fusion: str = ""


@dataclass
class Bm25Params:
    """BM25 parameters; 0 means the default (k1 1.2, b 0.75)."""

    k1: float = 0.0
    b: float = 0.0


@dataclass
class ScoredPoint:
    """One hit of a query."""

    point: Point
    # Vector distance, smaller is closer (vector queries; hybrid: when
    # vector_rank > 0), else 0.
    distance: float = 0.0
    # Text: the BM25 score. Hybrid: the fused score. Vector: 0.
    score: float = 0.0
    # Hybrid only: 1-based rank in each ranking (0 = absent) and the BM25
    # score when text_rank > 0.
    vector_rank: int = 0
    text_rank: int = 0
    text_score: float = 0.0

    @property
    def id(self) -> str:
        return self.point.id


@dataclass
class Explain:
    """How a query was answered (query(..., explain=True))."""

    # "graph", "filtered_graph", "exact_candidates",
    # "filtered_graph_then_exact" or "text".
    path: str
    estimated_matches: int = 0
    actual_matches: int = 0
    distance_computations: int = 0
    nodes_expanded: int = 0
    postings_scored: int = 0
    search_micros: int = 0
    reason: str = ""


@dataclass
class QueryResult:
    """The hits of one query, best first."""

    hits: List[ScoredPoint]
    explain: Optional[Explain] = None

    @property
    def ids(self) -> List[str]:
        return [hit.point.id for hit in self.hits]


@dataclass
class Citation:
    """A retrieved chunk and where it comes from."""

    chunk_id: str
    doc_id: str
    source: str = ""
    # The document's title when known.
    title: str = ""
    chunk_index: int = 0
    # [char_start, char_end) in code points of the document's text.
    char_start: int = 0
    char_end: int = 0
    # Heading path, outermost first.
    section: List[str] = field(default_factory=list)
    text: str = ""
    # 1-based rank; score (BM25 or fused) and distance as queries give them.
    rank: int = 0
    score: float = 0.0
    distance: float = 0.0
    # The document's own metadata (lineage fields removed).
    metadata: Metadata = field(default_factory=dict)
    # Number of the context passage holding the chunk; 0 when left out
    # (over the budget, or a duplicate of a better-ranked chunk).
    passage: int = 0


@dataclass
class ContextPassage:
    """Adjacent chunks of one document merged into one passage."""

    # Appears as "[number]" in the context.
    number: int
    doc_id: str
    source: str = ""
    title: str = ""
    section: List[str] = field(default_factory=list)
    char_start: int = 0
    char_end: int = 0
    text: str = ""
    chunk_ids: List[str] = field(default_factory=list)
    best_rank: int = 0


@dataclass
class RetrieveResult:
    """Cited chunks and a prompt-ready context block."""

    # Best first.
    chunks: List[Citation]
    # In the order they appear in `context`.
    passages: List[ContextPassage]
    # "[n] title › section\ntext" passages separated by blank lines.
    context: str
    context_chars: int = 0
    context_tokens: int = 0
    # Some chunks were left out (or cut) to fit the budget.
    truncated: bool = False
    # The mode used: "dense", "text" or "hybrid".
    mode: str = ""
    embed_micros: int = 0
    search_micros: int = 0

    @property
    def citations(self) -> List[Citation]:
        """The chunks that made it into the context, best first."""
        return [chunk for chunk in self.chunks if chunk.passage > 0]


# A filter in the JSON shape of the CLI's --filter (see vecdb.filters).
FilterDict = Dict[str, Any]
