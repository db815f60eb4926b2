#pragma once
// The on-disk framing shared by every vector index file:
//
//   offset  size  field
//        0     8  magic "RAGWBVIX"
//        8     4  format version (little-endian u32)
//       12     4  reserved, 0
//       16     8  identity JSON length J
//       24     8  payload length P
//       32     4  CRC-32C of the J + P bytes that follow the prefix
//       36     4  CRC-32C of bytes 0..35 (catches damaged lengths before they are used)
//       40     J  IndexIdentity::toJson()
//     40+J     P  payload, defined by the index kind
//
// The file size must be exactly 40 + J + P: a shorter file is truncated, a longer one
// was not written by this code. Multi-byte payload fields are little-endian.
#include <cstddef>
#include <cstdint>

namespace rag::indexfile {

inline constexpr char kMagic[8] = {'R', 'A', 'G', 'W', 'B', 'V', 'I', 'X'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kPrefixSize = 40;
// An identity is a few hundred bytes; anything past this is damage, not data.
inline constexpr std::uint64_t kMaxJsonSize = 1 << 20;

} // namespace rag::indexfile
