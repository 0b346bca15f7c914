// Shared helpers for the msgs/ decoders: error values and small vector codecs.
// Internal to src/msgs; other components use the typed structs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/writer.hpp"

namespace bastion::msgs::detail {

inline Error decode_error(std::string detail) {
  return Error{ErrorCode::decode_error, std::move(detail)};
}
inline Error trailing_data(std::string what) {
  return Error{ErrorCode::trailing_data, "trailing bytes after " + std::move(what)};
}
inline Error illegal_parameter(std::string detail) {
  return Error{ErrorCode::illegal_parameter, std::move(detail)};
}

inline std::vector<uint8_t> to_vector(Bytes b) {
  return std::vector<uint8_t>(b.begin(), b.end());
}

// Reads `opaque x<min..max>` with a `len_bytes` prefix into a vector.
[[nodiscard]] inline bool read_opaque(Reader& r, size_t len_bytes, size_t min, size_t max,
                                      std::vector<uint8_t>& out) {
  Bytes b;
  if (!r.vec(len_bytes, min, max, b)) return false;
  out = to_vector(b);
  return true;
}

// Reads a vector of uint16 code points (`T list<min..max>`, 2-byte prefix); odd lengths fail.
template <class Enum>
[[nodiscard]] bool read_u16_list(Reader& r, size_t min, size_t max, std::vector<Enum>& out) {
  Reader list;
  if (!r.sub(2, min, max, list) || list.remaining() % 2 != 0) return false;
  out.clear();
  out.reserve(list.remaining() / 2);
  while (!list.empty()) {
    uint16_t v = 0;
    if (!list.u16(v)) return false;
    out.push_back(static_cast<Enum>(v));
  }
  return true;
}

template <class Enum>
void write_u16_list(Writer& w, const std::vector<Enum>& values) {
  w.vec(2, [&] {
    for (Enum v : values) w.u16(static_cast<uint16_t>(v));
  });
}

}  // namespace bastion::msgs::detail
