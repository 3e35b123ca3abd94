# Tests of vecdb-ingest's own code (not the readers or chunkers).
if(NOT TARGET vecdb_ingest_lib)
  return()
endif()
vecdb_add_test(ingest_unit_test
  SOURCES content_hash_test.cc chunk_points_test.cc manifest_test.cc
  LIBS vecdb_ingest_lib)

# End to end: the vecdb-ingest binary and the Ingest service against a real
# in-process server.
vecdb_add_test(ingest_e2e_test
  SOURCES ingest_test_util.cc sync_e2e_test.cc kill_rerun_test.cc
          service_test.cc
  LIBS vecdb_ingest_lib vecdb_server_lib vecdb_text nlohmann_json::nlohmann_json)
add_dependencies(ingest_e2e_test vecdb-ingest)
target_compile_definitions(ingest_e2e_test PRIVATE
  VECDB_INGEST_BINARY="$<TARGET_FILE:vecdb-ingest>")

# vecdb-ingest and Retrieve with the openai embedder against a real local
# HTTP server speaking the OpenAI embeddings API.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
vecdb_add_test(ingest_openai_test
  SOURCES ingest_test_util.cc openai_e2e_test.cc
  LIBS vecdb_ingest_lib vecdb_server_lib vecdb_embed vecdb_text
       PkgConfig::HTTPLIB nlohmann_json::nlohmann_json)
add_dependencies(ingest_openai_test vecdb-ingest)
target_compile_definitions(ingest_openai_test PRIVATE
  VECDB_INGEST_BINARY="$<TARGET_FILE:vecdb-ingest>")
