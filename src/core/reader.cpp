#include "core/reader.hpp"

namespace bastion {

bool Reader::uint(size_t n, uint64_t& out) {
  if (data_.size() < n) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | data_[i];
  data_ = data_.subspan(n);
  out = v;
  return true;
}

bool Reader::u8(uint8_t& out) {
  uint64_t v;
  if (!uint(1, v)) return false;
  out = static_cast<uint8_t>(v);
  return true;
}

bool Reader::u16(uint16_t& out) {
  uint64_t v;
  if (!uint(2, v)) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

bool Reader::u24(uint32_t& out) {
  uint64_t v;
  if (!uint(3, v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

bool Reader::u32(uint32_t& out) {
  uint64_t v;
  if (!uint(4, v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

bool Reader::u64(uint64_t& out) {
  return uint(8, out);
}

bool Reader::bytes(size_t n, Bytes& out) {
  if (data_.size() < n) return false;
  out = data_.first(n);
  data_ = data_.subspan(n);
  return true;
}

bool Reader::vec(size_t len_bytes, size_t min, size_t max, Bytes& out) {
  Reader probe = *this;
  uint64_t len;
  if (len_bytes == 0 || len_bytes > 4 || !probe.uint(len_bytes, len)) return false;
  if (len < min || len > max || len > probe.data_.size()) return false;
  out = probe.data_.first(static_cast<size_t>(len));
  data_ = probe.data_.subspan(static_cast<size_t>(len));
  return true;
}

bool Reader::sub(size_t len_bytes, size_t min, size_t max, Reader& out) {
  Bytes body;
  if (!vec(len_bytes, min, max, body)) return false;
  out = Reader(body);
  return true;
}

}  // namespace bastion
