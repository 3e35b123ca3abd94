"""Python client for vecdb-server.

    import vecdb

    with vecdb.Client("127.0.0.1:50051") as client:
        result = client.retrieve("docs", "how do I rotate the keys?", k=8)
        prompt = f"Answer from the context.\\n\\n{result.context}\\n\\nQ: ..."

See vecdb.client.Client for every call, vecdb.types for the values it takes
and returns, vecdb.filters for the filter dicts and vecdb.errors for the
exceptions. The generated protobuf modules are vecdb.v1.vecdb_pb2 (+ _grpc)
and vecdb.v1.ingest_pb2 (+ _grpc) for the Ingest service.
"""

from vecdb.client import Client
from vecdb.errors import (
    AlreadyExistsError,
    CancelledError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    VecdbError,
)
from vecdb.filters import to_proto as filter_to_proto
from vecdb.types import (
    Bm25Params,
    ChunkerSpec,
    Citation,
    CollectionInfo,
    ContextPassage,
    DeleteResult,
    EmbedderSpec,
    Explain,
    GetResult,
    HnswParams,
    HybridParams,
    IngestProfile,
    Point,
    QueryResult,
    RetrieveResult,
    ScoredPoint,
    ScrollPage,
    UpsertResult,
)

__version__ = "0.1.0"
