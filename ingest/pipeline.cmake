# vecdb-ingest's own code: content hashes, manifest, the sync pipeline, the
# Ingest service and the command line. Links only the client library,
# embed/, text/, the readers and the chunkers (and the generated proto code
# for the service) -- never the engine or the server.
if(NOT (TARGET vecdb_ingest_readers AND TARGET vecdb_ingest_chunkers
        AND TARGET vecdb_embed))
  return()
endif()
find_package(OpenSSL REQUIRED)
add_library(vecdb_ingest_lib
  content_hash.cc chunk_points.cc manifest.cc collection_setup.cc
  pipeline.cc summary.cc progress.cc sync.cc service.cc flags.cc)
target_link_libraries(vecdb_ingest_lib
  PUBLIC vecdb_client vecdb_embed vecdb_ingest_readers vecdb_ingest_chunkers
         vecdb_common vecdb_proto absl::status absl::statusor gRPC::grpc++
         Threads::Threads
  PRIVATE vecdb_proto_convert OpenSSL::Crypto nlohmann_json::nlohmann_json
          absl::strings absl::str_format absl::flags absl::flags_reflection)

add_executable(vecdb-ingest main.cc)
target_link_libraries(vecdb-ingest PRIVATE vecdb_ingest_lib)
install(TARGETS vecdb-ingest RUNTIME DESTINATION bin)
