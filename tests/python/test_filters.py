"""Filter dicts and point values converted to protos, without a server."""

import unittest

import vecdb
from vecdb import _convert as convert
from vecdb.filters import to_proto
from vecdb.v1 import vecdb_pb2 as pb


class FilterTest(unittest.TestCase):
    def assertFilterError(self, spec, message):
        with self.assertRaises(ValueError) as caught:
            to_proto(spec)
        self.assertEqual(str(caught.exception), message)

    def test_field_condition_with_one_value(self):
        f = to_proto({"field": "lang", "op": "eq", "value": "en"})
        self.assertEqual(f.WhichOneof("node"), "field")
        self.assertEqual(f.field.field, "lang")
        self.assertEqual(f.field.op, pb.FIELD_OP_EQ)
        self.assertEqual(list(f.field.values), [pb.FilterValue(string_value="en")])

    def test_values_keep_their_types(self):
        f = to_proto({"field": "x", "op": "in", "values": [2020, 1.5, True, "a"]})
        self.assertEqual(
            [v.WhichOneof("kind") for v in f.field.values],
            ["int_value", "double_value", "bool_value", "string_value"])
        self.assertEqual(f.field.values[0].int_value, 2020)
        self.assertEqual(f.field.values[1].double_value, 1.5)
        self.assertTrue(f.field.values[2].bool_value)

    def test_exists_takes_no_value(self):
        f = to_proto({"field": "tags", "op": "exists"})
        self.assertEqual(f.field.op, pb.FIELD_OP_EXISTS)
        self.assertEqual(len(f.field.values), 0)

    def test_every_operator_name(self):
        ops = {"eq": pb.FIELD_OP_EQ, "ne": pb.FIELD_OP_NE, "gt": pb.FIELD_OP_GT,
               "gte": pb.FIELD_OP_GTE, "lt": pb.FIELD_OP_LT,
               "lte": pb.FIELD_OP_LTE, "in": pb.FIELD_OP_IN,
               "not_in": pb.FIELD_OP_NOT_IN, "exists": pb.FIELD_OP_EXISTS,
               "contains_any": pb.FIELD_OP_CONTAINS_ANY,
               "contains_all": pb.FIELD_OP_CONTAINS_ALL}
        for name, op in ops.items():
            self.assertEqual(to_proto({"field": "f", "op": name}).field.op, op)

    def test_nesting_and_text(self):
        f = to_proto({"all_of": [
            {"not": {"field": "a", "op": "eq", "value": 1}},
            {"any_of": [{"text": "heart attack"},
                        {"text": "x", "op": "not_contains"}]},
        ]})
        self.assertEqual(f.WhichOneof("node"), "all_of")
        first, second = f.all_of.filters
        self.assertEqual(first.negate.field.field, "a")
        self.assertEqual(second.any_of.filters[0].text.text, "heart attack")
        self.assertEqual(second.any_of.filters[0].text.op, pb.TEXT_OP_CONTAINS)
        self.assertEqual(second.any_of.filters[1].text.op, pb.TEXT_OP_NOT_CONTAINS)

    def test_json_text_is_accepted(self):
        self.assertEqual(to_proto('{"field": "year", "op": "gte", "value": 2020}'),
                         to_proto({"field": "year", "op": "gte", "value": 2020}))

    def test_bad_shapes_name_the_path(self):
        self.assertFilterError({"all_of": [{"text": "a"}, {"not": []}]},
                               "filter.all_of[1].not: expected a dict, got list")
        self.assertFilterError(
            {"any_of": [{"field": "a", "op": "in", "values": [1, None]}]},
            "filter.any_of[0].values[1]: expected a string, number or boolean, "
            "got NoneType")
        self.assertFilterError({"field": "a", "op": "like", "value": 1},
                               'filter.op: unknown operator "like" (expected eq, ne, '
                               'gt, gte, lt, lte, in, not_in, exists, contains_any, '
                               'contains_all)')
        self.assertFilterError({"field": "a"}, 'filter: missing "op"')
        self.assertFilterError({"field": 3, "op": "eq"},
                               "filter.field: expected a string, got int")
        self.assertFilterError({"field": "a", "op": "eq", "value": 1, "values": [1]},
                               'filter: give "value" or "values", not both')
        self.assertFilterError({"field": "a", "op": "eq", "vlaue": 1},
                               'filter: unknown key "vlaue" (expected field, op, '
                               'value, values)')
        self.assertFilterError({"all_of": {"text": "a"}},
                               "filter.all_of: expected a list, got dict")
        self.assertFilterError({"text": "a", "op": "near"},
                               'filter.op: unknown text operator "near" (expected '
                               'contains or not_contains)')
        self.assertFilterError({"nothing": 1},
                               "filter: expected one of the keys field, text, all_of, "
                               "any_of, not")
        self.assertFilterError({"field": "a", "op": "eq", "value": 2**63},
                               "filter.value: integer out of the int64 range")
        self.assertFilterError("{not json", "filter: not valid JSON (Expecting "
                               "property name enclosed in double quotes: line 1 "
                               "column 2 (char 1))")

    def test_depth_limit(self):
        spec = {"field": "a", "op": "exists"}
        for _ in range(15):
            spec = {"not": spec}
        to_proto(spec)  # 16 levels: allowed
        with self.assertRaises(ValueError) as caught:
            to_proto({"not": spec})
        self.assertTrue(str(caught.exception).startswith("filter.not.not."))
        self.assertTrue(str(caught.exception).endswith(": deeper than 16 levels"))


class PointConversionTest(unittest.TestCase):
    def test_point_and_dict_give_the_same_proto(self):
        point = vecdb.Point("a", (1, 2.5), {"n": 3, "x": 0.5, "b": False,
                                           "s": "t", "l": ["u", "v"]}, "doc")
        as_dict = {"id": "a", "vector": [1.0, 2.5], "document": "doc",
                   "metadata": {"n": 3, "x": 0.5, "b": False, "s": "t",
                                "l": ["u", "v"]}}
        message = convert.point_to_proto(point, "points[0]")
        self.assertEqual(message, convert.point_to_proto(as_dict, "points[0]"))
        self.assertEqual(list(message.vector), [1.0, 2.5])
        self.assertEqual(message.metadata["n"].WhichOneof("kind"), "int_value")
        self.assertEqual(message.metadata["b"].WhichOneof("kind"), "bool_value")
        self.assertEqual(list(message.metadata["l"].list_value.values), ["u", "v"])
        self.assertEqual(convert.point_from_proto(message),
                         vecdb.Point("a", [1.0, 2.5], point.metadata, "doc"))

    def test_document_is_optional(self):
        message = convert.point_to_proto({"id": "a", "vector": [1]}, "p")
        self.assertFalse(message.HasField("document"))
        self.assertIsNone(convert.point_from_proto(message).document)

    def test_bad_points_name_the_path(self):
        cases = [
            ({"id": "a", "vector": [1, "2"]},
             "points[4].vector[1]: expected a number, got str"),
            ({"id": "a", "vector": "12"},
             "points[4].vector: expected a sequence of numbers, got str"),
            ({"id": 7, "vector": [1]}, "points[4].id: expected a string, got int"),
            ({"id": "a", "vector": [1], "metadata": {"year": None}},
             "points[4].metadata.year: expected a str, int, float, bool or list "
             "of str, got NoneType"),
            ({"id": "a", "vector": [1], "metadata": {"tags": ["x", 1]}},
             "points[4].metadata.tags[1]: list values must be strings, got int"),
            ({"id": "a", "vector": [1], "payload": {}},
             'points[4]: unknown key "payload" (expected id, vector, metadata, '
             'document)'),
            ("a", "points[4]: expected a Point or a dict, got str"),
        ]
        for point, message in cases:
            with self.subTest(message=message):
                with self.assertRaises(ValueError) as caught:
                    convert.point_to_proto(point, "points[4]")
                self.assertEqual(str(caught.exception), message)

    def test_objects_with_tolist_are_vectors(self):
        class Array:  # what numpy arrays offer
            ndim = 1

            def tolist(self):
                return [0.5, 1.5]

        self.assertEqual(convert.vector(Array(), "v"), [0.5, 1.5])
        self.assertTrue(convert.is_single_vector(Array()))
        self.assertTrue(convert.is_single_vector([1.0, 2.0]))
        self.assertFalse(convert.is_single_vector([[1.0, 2.0]]))

    def test_include_names(self):
        self.assertEqual(convert.include(["vector", "document"]),
                         pb.Include(vector=True, document=True))
        with self.assertRaises(ValueError) as caught:
            convert.include(["vectors"])
        self.assertEqual(str(caught.exception),
                         'include: unknown field "vectors" (expected vector, '
                         'metadata, document, distance)')

    def test_ingest_profile_from_dict(self):
        profile = convert.ingest_profile(
            {"embedder": {"name": "hash", "parameters": {"ngram_min": 3}},
             "chunker": {"name": "auto"}}, 64)
        self.assertEqual(profile.embedder.name, "hash")
        self.assertEqual(profile.embedder.dimension, 64)
        self.assertEqual(dict(profile.embedder.parameters), {"ngram_min": "3"})
        self.assertEqual(profile.chunker.name, "auto")
        with self.assertRaises(ValueError) as caught:
            convert.ingest_profile({"embedder": {"nmae": "hash"}}, 64)
        self.assertEqual(str(caught.exception),
                         'ingest_profile.embedder: unknown key "nmae" (expected '
                         'name, model, dimension, parameters)')


class HybridConversionTest(unittest.TestCase):
    def test_fields_and_dataclass(self):
        self.assertEqual(convert.hybrid({"rrf_k": 10, "text_weight": 2}),
                         pb.HybridParams(rrf_k=10, text_weight=2))
        self.assertEqual(convert.hybrid(vecdb.HybridParams(candidates=50)),
                         pb.HybridParams(candidates=50))
        self.assertIsNone(convert.hybrid(None))
        with self.assertRaises(ValueError) as caught:
            convert.hybrid({"fusion": "max"})
        self.assertEqual(str(caught.exception), 'hybrid.fusion: unknown value '
                         '"max" (expected rrf, relative_score)')
        with self.assertRaises(ValueError) as caught:
            convert.hybrid({"k": 1})
        self.assertTrue(str(caught.exception).startswith('hybrid: unknown key "k"'))

    @unittest.skipUnless("fusion" in pb.HybridParams.DESCRIPTOR.fields_by_name,
                         "the API has no fusion field")
    def test_fusion_names(self):
        self.assertEqual(convert.hybrid({"fusion": "rrf"}).fusion, pb.FUSION_RRF)
        self.assertEqual(convert.hybrid({"fusion": "relative_score"}).fusion,
                         pb.FUSION_RELATIVE_SCORE)


class ErrorTest(unittest.TestCase):
    def test_invalid_argument_is_a_value_error(self):
        self.assertTrue(issubclass(vecdb.InvalidArgumentError, ValueError))
        self.assertTrue(issubclass(vecdb.InvalidArgumentError, vecdb.VecdbError))
        self.assertFalse(issubclass(vecdb.NotFoundError, ValueError))


if __name__ == "__main__":
    unittest.main()
