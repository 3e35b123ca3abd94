"""The Python client against a real vecdb-server: collections, points,
queries, errors."""

import unittest

import vecdb
from vecdb_testing import ServerTestCase

EN = {"field": "lang", "op": "eq", "value": "en"}


def sample_points():
    # Axis-aligned vectors in 4 dimensions; "a" and "b" close to the x axis.
    return [
        vecdb.Point("a", [1.0, 0.0, 0.0, 0.0], {"lang": "en", "year": 2020,
                                               "tags": ["x", "y"]},
                    "the heart pumps blood"),
        vecdb.Point("b", [0.9, 0.1, 0.0, 0.0], {"lang": "fr", "year": 2021},
                    "le coeur pompe le sang"),
        {"id": "c", "vector": [0.0, 1.0, 0.0, 0.0],
         "metadata": {"lang": "en", "year": 2022, "score": 0.5},
         "document": "heart attack symptoms in adults"},
        {"id": "d", "vector": [0.0, 0.0, 1.0, 0.0],
         "metadata": {"lang": "en", "year": 2023, "draft": True}},
    ]


class CollectionTest(ServerTestCase):
    def test_create_get_list_drop(self):
        info = self.client.create_collection("docs", 4, metric="l2", m=8,
                                             ef_construction=50, ef_search=20)
        self.assertIsInstance(info, vecdb.CollectionInfo)
        self.assertEqual((info.name, info.dimension, info.metric),
                         ("docs", 4, "l2"))
        self.assertEqual(info.hnsw, vecdb.HnswParams(8, 50, 20))
        self.assertEqual(info.count, 0)
        self.assertIsNone(info.ingest)
        self.client.create_collection("other", 2)
        self.assertEqual(self.client.get_collection("other").metric, "cosine")
        self.assertEqual(sorted(c.name for c in self.client.list_collections()),
                         ["docs", "other"])
        self.client.drop_collection("docs")
        self.assertEqual([c.name for c in self.client.list_collections()],
                         ["other"])

    def test_errors_are_typed_and_name_the_field(self):
        with self.assertRaises(vecdb.NotFoundError) as caught:
            self.client.get_collection("missing")
        self.assertEqual(caught.exception.code.name, "NOT_FOUND")
        self.assertIn('"missing"', caught.exception.message)

        self.client.create_collection("docs", 4)
        with self.assertRaises(vecdb.AlreadyExistsError) as caught:
            self.client.create_collection("docs", 4)
        self.assertIn('"docs" already exists', caught.exception.message)

        with self.assertRaises(vecdb.InvalidArgumentError) as caught:
            self.client.create_collection("big", 5000)
        self.assertTrue(caught.exception.message.startswith("dimension:"),
                        caught.exception.message)

        with self.assertRaises(vecdb.InvalidArgumentError) as caught:
            self.client.upsert("docs", [{"id": "a", "vector": [1, 2, 3, 4]},
                                        {"id": "b", "vector": [1, 2]}])
        self.assertIn("points[1].vector", caught.exception.message)
        self.assertIn("expected dimension 4", caught.exception.message)
        self.assertEqual(self.client.count("docs"), 0)  # atomic: nothing applied

        with self.assertRaises(vecdb.NotFoundError):
            self.client.drop_collection("missing")
        with self.assertRaises(ValueError) as caught:
            self.client.create_collection("x", 4, metric="dot")
        self.assertEqual(str(caught.exception), 'metric: unknown value "dot" '
                         '(expected cosine, l2, inner_product)')

    def test_unreachable_server_is_unavailable(self):
        with vecdb.Client("127.0.0.1:1", timeout=5) as client:
            with self.assertRaises(vecdb.UnavailableError):
                client.list_collections()


class PointsTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.client.create_collection("docs", 4)
        result = self.client.upsert("docs", sample_points())
        self.assertEqual(result.upserted, 4)
        self.assertGreater(result.sequence, 0)

    def test_get_returns_what_was_upserted(self):
        got = self.client.get("docs", ["c", "zz", "a"])
        self.assertEqual(got.missing_ids, ["zz"])
        self.assertEqual([p.id for p in got.points], ["c", "a"])
        c, a = got.points
        self.assertEqual(a, vecdb.Point("a", [1.0, 0.0, 0.0, 0.0],
                                        {"lang": "en", "year": 2020,
                                         "tags": ["x", "y"]},
                                        "the heart pumps blood"))
        self.assertEqual(c.metadata, {"lang": "en", "year": 2022, "score": 0.5})
        self.assertIsInstance(c.metadata["year"], int)
        only_ids = self.client.get("docs", ["d"], include=[]).points[0]
        self.assertEqual(only_ids, vecdb.Point("d"))

    def test_get_with_filter_skips_non_matching(self):
        got = self.client.get("docs", ["a", "b"], filter=EN)
        self.assertEqual([p.id for p in got.points], ["a"])
        self.assertEqual(got.missing_ids, [])

    def test_count_with_filters(self):
        self.assertEqual(self.client.count("docs"), 4)
        self.assertEqual(self.client.count("docs", filter=EN), 3)
        self.assertEqual(self.client.count(
            "docs", {"field": "year", "op": "gte", "value": 2021.5}), 2)
        self.assertEqual(self.client.count(
            "docs", {"any_of": [{"field": "tags", "op": "contains_any",
                                 "values": ["y"]},
                                {"field": "draft", "op": "eq", "value": True}]}),
            2)
        self.assertEqual(self.client.count("docs", {"text": "heart"}), 2)
        self.assertEqual(self.client.count(
            "docs", {"all_of": [EN, {"not": {"text": "heart"}}]}), 1)

    def test_scroll_pages_and_iterator(self):
        page = self.client.scroll("docs", limit=3, include=["metadata"])
        self.assertEqual([p.id for p in page.points], ["a", "b", "c"])
        self.assertEqual(page.points[0].vector, [])
        self.assertTrue(page.next_cursor)
        page = self.client.scroll("docs", cursor=page.next_cursor, limit=3)
        self.assertEqual([p.id for p in page.points], ["d"])
        self.assertEqual(page.next_cursor, "")
        self.assertEqual([p.id for p in self.client.iter_points("docs", page_size=1)],
                         ["a", "b", "c", "d"])
        self.assertEqual(
            [p.id for p in self.client.iter_points("docs", page_size=2, filter=EN)],
            ["a", "c", "d"])

    def test_delete_by_ids_and_by_filter(self):
        result = self.client.delete("docs", ids=["a", "nope"])
        self.assertEqual(result.deleted, 1)
        self.assertEqual(self.client.count("docs"), 3)
        self.client.delete("docs", filter={"field": "lang", "op": "eq", "value": "fr"})
        self.assertEqual([p.id for p in self.client.iter_points("docs")], ["c", "d"])
        # ids and a filter: only the ids that match.
        self.client.delete("docs", ids=["c", "d"],
                           filter={"field": "draft", "op": "exists"})
        self.assertEqual([p.id for p in self.client.iter_points("docs")], ["c"])
        with self.assertRaises(ValueError):
            self.client.delete("docs")

    def test_bad_filter_from_the_server_names_the_node(self):
        with self.assertRaises(vecdb.InvalidArgumentError) as caught:
            self.client.count("docs", {"all_of": [EN, {"field": "year", "op": "in"}]})
        self.assertTrue(caught.exception.message.startswith("filter.all_of[1]"),
                        caught.exception.message)
        with self.assertRaises(ValueError) as caught:  # caught by the client
            self.client.count("docs", {"all_of": [EN, {"not": 3}]})
        self.assertEqual(str(caught.exception),
                         "filter.all_of[1].not: expected a dict, got int")


class QueryTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.client.create_collection("docs", 4, metric="l2")
        self.client.upsert("docs", sample_points())

    def test_vector_query(self):
        [result] = self.client.query("docs", [1.0, 0.05, 0.0, 0.0], k=3)
        self.assertIsInstance(result, vecdb.QueryResult)
        self.assertEqual(result.ids, ["a", "b", "c"])
        hit = result.hits[0]
        self.assertIsInstance(hit, vecdb.ScoredPoint)
        self.assertAlmostEqual(hit.distance, 0.05, places=5)
        self.assertEqual(hit.point.document, "the heart pumps blood")
        self.assertEqual(hit.point.vector, [])  # not included by default
        self.assertEqual(hit.point.metadata["lang"], "en")

    def test_several_vectors_filter_and_include(self):
        results = self.client.query(
            "docs", [(1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.9, 0.0)], k=2,
            filter=EN, include=["vector"])
        self.assertEqual([r.ids for r in results], [["a", "c"], ["d", "a"]])
        self.assertEqual(results[1].hits[0].point.vector, [0.0, 0.0, 1.0, 0.0])
        self.assertEqual(results[1].hits[0].point.metadata, {})

    def test_text_query(self):
        [result] = self.client.query("docs", texts="heart attack", k=5)
        self.assertEqual(result.ids, ["c", "a"])
        self.assertGreater(result.hits[0].score, result.hits[1].score)
        [result] = self.client.query("docs", texts=["heart"], k=5,
                                     filter={"field": "year", "op": "gt",
                                             "value": 2020})
        self.assertEqual(result.ids, ["c"])

    def test_hybrid_query(self):
        [result] = self.client.query(
            "docs", [[1.0, 0.0, 0.0, 0.0]], texts=["heart attack"], k=4,
            hybrid={"rrf_k": 10, "vector_weight": 1, "text_weight": 1},
            filter=EN)
        # Vector ranking a, c, d; text ranking c, a: a and c in both.
        self.assertEqual(result.ids[:2], ["a", "c"])
        self.assertEqual(set(result.ids), {"a", "c", "d"})
        a, c = result.hits[0], result.hits[1]
        self.assertEqual((a.vector_rank, a.text_rank), (1, 2))
        self.assertEqual((c.vector_rank, c.text_rank), (2, 1))
        self.assertAlmostEqual(a.score, 1 / 11 + 1 / 12, places=5)
        self.assertGreater(c.text_score, 0)

    def test_explain(self):
        [result] = self.client.query("docs", [1.0, 0.0, 0.0, 0.0], k=1,
                                     explain=True)
        self.assertEqual(result.explain.path, "graph")
        [result] = self.client.query("docs", [1.0, 0.0, 0.0, 0.0], k=1)
        self.assertIsNone(result.explain)

    def test_query_errors(self):
        with self.assertRaises(vecdb.InvalidArgumentError) as caught:
            self.client.query("docs", [1.0, 0.0, 0.0, 0.0], k=0)
        self.assertTrue(caught.exception.message.startswith("k:"))
        with self.assertRaises(vecdb.NotFoundError):
            self.client.query("nope", [1.0, 0.0, 0.0, 0.0])
        with self.assertRaises(ValueError):
            self.client.query("docs")


if __name__ == "__main__":
    unittest.main()
