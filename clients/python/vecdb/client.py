"""The vecdb client: one object per server, wrapping a gRPC channel.

    import vecdb

    with vecdb.Client("127.0.0.1:50051") as client:
        client.create_collection("docs", dimension=3)
        client.upsert("docs", [
            vecdb.Point("a", [0.1, 0.2, 0.3], {"lang": "en"}, "hello world"),
            {"id": "b", "vector": [0.3, 0.2, 0.1], "metadata": {"lang": "fr"}},
        ])
        [result] = client.query("docs", [0.1, 0.2, 0.25], k=5,
                                filter={"field": "lang", "op": "eq", "value": "en"})
        for hit in result.hits:
            print(hit.id, hit.distance)

Every call raises a vecdb.VecdbError subclass when the server refuses it
(vecdb.errors), and ValueError for input it can reject before sending.

Thread safety: a Client may be shared by threads (gRPC channels are).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import grpc

from vecdb import _convert as convert
from vecdb import filters
from vecdb import types as t
from vecdb.errors import error_from_rpc
from vecdb.v1 import vecdb_pb2 as pb
from vecdb.v1 import vecdb_pb2_grpc as pb_grpc

PointLike = Union[t.Point, Mapping[str, Any]]
Include = Union[str, Iterable[str]]

# Fields returned by default: get/scroll return whole points, queries
# everything but the vector.
_ALL_FIELDS = ("vector", "metadata", "document")
_QUERY_FIELDS = ("metadata", "document")


class Client:
    """A connection to one vecdb-server.

    Args:
      target: "host:port", or any gRPC target such as "unix:/path".
        Connects lazily: an unreachable server shows up as UnavailableError
        on the first call.
      timeout: deadline of each call in seconds; None for no deadline.
      max_message_bytes: largest message sent or received (the server's
        --max_message_bytes defaults to 64 MiB as well).
    """

    def __init__(
        self,
        target: str,
        timeout: Optional[float] = 30.0,
        max_message_bytes: int = 64 << 20,
    ):
        if not target:
            raise ValueError("target: must not be empty")
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout: must be positive, got {timeout}")
        self.target = target
        self.timeout = timeout
        self._channel = grpc.insecure_channel(
            target,
            options=[
                ("grpc.max_send_message_length", max_message_bytes),
                ("grpc.max_receive_message_length", max_message_bytes),
            ],
        )
        self._stub = pb_grpc.VectorDBStub(self._channel)

    def close(self) -> None:
        """Closes the channel; calls after this fail."""
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self._stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as e:
            raise error_from_rpc(e) from None

    # --- collections --------------------------------------------------------

    def create_collection(
        self,
        name: str,
        dimension: int,
        metric: str = "cosine",
        m: int = 0,
        ef_construction: int = 0,
        ef_search: int = 0,
        ingest_profile: Union[t.IngestProfile, Mapping[str, Any], None] = None,
    ) -> t.CollectionInfo:
        """Creates a collection and returns its info.

        Args:
          metric: "cosine", "l2" or "inner_product".
          m, ef_construction, ef_search: HNSW parameters; 0 = the server's
            defaults (16, 200, 64).
          ingest_profile: how documents become points, needed by retrieve():
            an IngestProfile or a dict such as
            {"embedder": {"name": "hash", "dimension": 64},
             "chunker": {"name": "auto"}}. The embedder's dimension
            defaults to `dimension`.

        Raises InvalidArgumentError for a bad name, dimension or parameter,
        AlreadyExistsError when the name is taken.
        """
        request = pb.CreateCollectionRequest(
            name=name,
            dimension=dimension,
            metric=convert.choice(metric, convert.METRICS, "metric"),
            hnsw=pb.HnswParams(
                m=m, ef_construction=ef_construction, ef_search=ef_search
            ),
        )
        if ingest_profile is not None:
            request.ingest.CopyFrom(convert.ingest_profile(ingest_profile, dimension))
        return convert.collection_from_proto(self._call("CreateCollection", request))

    def get_collection(self, name: str) -> t.CollectionInfo:
        """Raises NotFoundError for an unknown collection."""
        request = pb.GetCollectionRequest(collection=name)
        return convert.collection_from_proto(self._call("GetCollection", request))

    def list_collections(self) -> List[t.CollectionInfo]:
        response = self._call("ListCollections", pb.ListCollectionsRequest())
        return [convert.collection_from_proto(c) for c in response.collections]

    def drop_collection(self, name: str) -> None:
        """Deletes the collection and its points; NotFoundError if unknown."""
        self._call("DropCollection", pb.DropCollectionRequest(collection=name))

    # --- points ---------------------------------------------------------------

    def upsert(self, collection: str, points: Iterable[PointLike]) -> t.UpsertResult:
        """Inserts or replaces points, atomically.

        `points` are Point values or dicts {"id", "vector", "metadata",
        "document"}. Ids must be unique within the call and the batch within
        the server's --max_batch.
        """
        request = pb.UpsertRequest(collection=collection)
        request.points.extend(
            convert.point_to_proto(point, f"points[{i}]")
            for i, point in enumerate(points)
        )
        response = self._call("Upsert", request)
        return t.UpsertResult(upserted=response.upserted, sequence=response.sequence)

    def get(
        self,
        collection: str,
        ids: Sequence[str],
        include: Include = _ALL_FIELDS,
        filter: Optional[filters.FilterLike] = None,
    ) -> t.GetResult:
        """The points with these ids, in the order asked; unknown ids are
        listed in missing_ids. With a filter, ids that exist but do not match
        are in neither list.

        include: any of "vector", "metadata", "document".
        """
        request = pb.GetRequest(
            collection=collection,
            ids=convert.texts(ids, "ids"),
            include=convert.include(include),
        )
        if filter is not None:
            request.filter.CopyFrom(filters.to_proto(filter))
        response = self._call("Get", request)
        return t.GetResult(
            points=[convert.point_from_proto(p) for p in response.points],
            missing_ids=list(response.missing_ids),
        )

    def delete(
        self,
        collection: str,
        ids: Optional[Sequence[str]] = None,
        filter: Optional[filters.FilterLike] = None,
    ) -> t.DeleteResult:
        """Deletes points by id, by filter (every match), or the ids that
        match the filter when both are given. One atomic write."""
        if ids is None and filter is None:
            raise ValueError("delete: give ids, a filter, or both")
        request = pb.DeleteRequest(
            collection=collection, ids=convert.texts(ids, "ids")
        )
        if filter is not None:
            request.filter.CopyFrom(filters.to_proto(filter))
        response = self._call("Delete", request)
        return t.DeleteResult(deleted=response.deleted, sequence=response.sequence)

    def count(
        self, collection: str, filter: Optional[filters.FilterLike] = None
    ) -> int:
        """Live points, or those matching the filter (exact)."""
        request = pb.CountRequest(collection=collection)
        if filter is not None:
            request.filter.CopyFrom(filters.to_proto(filter))
        return self._call("Count", request).count

    def scroll(
        self,
        collection: str,
        cursor: str = "",
        limit: int = 100,
        include: Include = _ALL_FIELDS,
        filter: Optional[filters.FilterLike] = None,
    ) -> t.ScrollPage:
        """One page of points in id order, starting at `cursor` ("" for the
        first page; then the previous page's next_cursor). limit: 1..10000."""
        request = pb.ScrollRequest(
            collection=collection,
            cursor=cursor,
            limit=limit,
            include=convert.include(include),
        )
        if filter is not None:
            request.filter.CopyFrom(filters.to_proto(filter))
        response = self._call("Scroll", request)
        return t.ScrollPage(
            points=[convert.point_from_proto(p) for p in response.points],
            next_cursor=response.next_cursor,
        )

    def iter_points(
        self,
        collection: str,
        page_size: int = 1000,
        include: Include = _ALL_FIELDS,
        filter: Optional[filters.FilterLike] = None,
    ) -> Iterator[t.Point]:
        """Every (matching) point, in id order, fetched page by page. A
        point that exists for the whole iteration is yielded exactly once,
        whatever writes happen meanwhile."""
        proto_filter = filters.to_proto(filter) if filter is not None else None
        cursor = ""
        while True:
            page = self.scroll(collection, cursor, page_size, include, proto_filter)
            yield from page.points
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    # --- search -----------------------------------------------------------------

    def query(
        self,
        collection: str,
        vectors: Any = None,
        k: int = 10,
        texts: Union[str, Sequence[str], None] = None,
        filter: Optional[filters.FilterLike] = None,
        ef: int = 0,
        include: Include = _QUERY_FIELDS,
        hybrid: Union[t.HybridParams, Mapping[str, Any], None] = None,
        bm25: Union[t.Bm25Params, Mapping[str, Any], None] = None,
        explain: bool = False,
    ) -> List[t.QueryResult]:
        """Nearest neighbours, BM25 text search, or both fused.

        Args:
          vectors: one vector or a sequence of vectors (numpy 1-D/2-D
            arrays too).
          texts: one text query or a sequence of them. With vectors too, the
            query is hybrid: vectors[i] pairs with texts[i] (equal lengths).
          k: hits per query, 1..1000.
          filter: only matching points are returned (see vecdb.filters).
          ef: candidate list size; 0 = the collection's ef_search.
          include: any of "vector", "metadata", "document" (the distance
            and scores always come back).
          hybrid: HybridParams or a dict of its fields (rrf_k,
            vector_weight, text_weight, candidates, fusion).
          bm25: Bm25Params or a dict {k1, b}.
          explain: fill QueryResult.explain.

        Returns one QueryResult per query, in order; hits best first.
        """
        request = pb.QueryRequest(
            collection=collection,
            k=k,
            ef=ef,
            include=convert.include(include),
            text_queries=convert.texts(texts, "texts"),
            explain=explain,
        )
        if vectors is not None:
            if convert.is_single_vector(vectors):
                vectors = [vectors]
            for i, v in enumerate(vectors):
                request.queries.add().values.extend(convert.vector(v, f"vectors[{i}]"))
        if not request.queries and not request.text_queries:
            raise ValueError("query: give vectors, texts, or both")
        if filter is not None:
            request.filter.CopyFrom(filters.to_proto(filter))
        if hybrid is not None:
            request.hybrid.CopyFrom(convert.hybrid(hybrid))
        if bm25 is not None:
            request.bm25.CopyFrom(convert.bm25(bm25))
        response = self._call("Query", request)
        return [convert.query_result_from_proto(r, explain) for r in response.results]

    def retrieve(
        self,
        collection: str,
        query: str,
        k: int = 10,
        mode: str = "auto",
        filter: Optional[filters.FilterLike] = None,
        max_chars: int = 0,
        max_tokens: int = 0,
        hybrid: Union[t.HybridParams, Mapping[str, Any], None] = None,
        ef: int = 0,
    ) -> t.RetrieveResult:
        """Retrieval for in-context learning: the query text is embedded
        with the collection's recorded embedder, searched, and the best
        chunks come back cited and assembled into a context block.

        Args:
          k: chunks to retrieve before assembling the context, 1..1000.
          mode: "auto" (hybrid when the query has words, else dense),
            "dense", "text" or "hybrid".
          filter: only matching chunks, e.g. on doc_id or source.
          max_chars, max_tokens: context budget in code points / approximate
            tokens; 0 = no limit in that unit; both 0 = 6000 characters.
          hybrid: fusion parameters (HybridParams or a dict).
          ef: as in query().

        Raises FailedPreconditionError for a collection without an ingest
        profile.
        """
        request = pb.RetrieveRequest(
            collection=collection,
            query=query,
            k=k,
            mode=convert.choice(mode, convert.RETRIEVE_MODES, "mode"),
            ef=ef,
            max_context_chars=max_chars,
            max_context_tokens=max_tokens,
        )
        if filter is not None:
            request.filter.CopyFrom(filters.to_proto(filter))
        if hybrid is not None:
            request.hybrid.CopyFrom(convert.hybrid(hybrid))
        return convert.retrieve_result_from_proto(self._call("Retrieve", request))
