// LabelSet: a compressed set of graph labels (CRoaring's 64-bit roaring
// bitmap). Filters evaluate to one; its cardinality is the exact number of
// matching points.
#ifndef VECDB_SECONDARY_LABEL_SET_H_
#define VECDB_SECONDARY_LABEL_SET_H_

#include <roaring/roaring64map.hh>

namespace vecdb {

// CRoaring 0.2 (Debian's libroaring-dev) declares Roaring64Map in the
// global namespace, not in namespace roaring.
using LabelSet = ::Roaring64Map;

}  // namespace vecdb

#endif  // VECDB_SECONDARY_LABEL_SET_H_
