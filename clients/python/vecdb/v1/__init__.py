"""Generated protobuf and gRPC modules of the vecdb.v1 API (built from
proto/vecdb/v1/*.proto by the build)."""
