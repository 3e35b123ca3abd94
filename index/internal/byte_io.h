// The index formats' byte encoding: common/byte_io.h. Private to index/.
#ifndef VECDB_INDEX_INTERNAL_BYTE_IO_H_
#define VECDB_INDEX_INTERNAL_BYTE_IO_H_

#include "common/byte_io.h"

namespace vecdb::index_internal {

using ::vecdb::ByteReader;
using ::vecdb::ByteWriter;

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_BYTE_IO_H_
