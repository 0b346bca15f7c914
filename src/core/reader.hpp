// Bounded reading of TLS wire structures (RFC 8446 §3). Every read checks the remaining length;
// a failed read leaves the reader unchanged and returns false, which callers map to decode_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace bastion {

using Bytes = std::span<const uint8_t>;

class Reader {
 public:
  Reader() = default;
  explicit Reader(Bytes data) : data_(data) {}

  [[nodiscard]] bool u8(uint8_t& out);
  [[nodiscard]] bool u16(uint16_t& out);
  [[nodiscard]] bool u24(uint32_t& out);
  [[nodiscard]] bool u32(uint32_t& out);
  [[nodiscard]] bool u64(uint64_t& out);
  [[nodiscard]] bool bytes(size_t n, Bytes& out);
  // A vector with a `len_bytes`-byte length prefix whose length lies in [min, max]
  // (the RFC's `opaque x<min..max>`), returned as a span.
  [[nodiscard]] bool vec(size_t len_bytes, size_t min, size_t max, Bytes& out);
  // The same, returned as a sub-reader over the vector's body.
  [[nodiscard]] bool sub(size_t len_bytes, size_t min, size_t max, Reader& out);

  bool empty() const { return data_.empty(); }
  size_t remaining() const { return data_.size(); }
  Bytes rest() const { return data_; }

 private:
  [[nodiscard]] bool uint(size_t n, uint64_t& out);
  Bytes data_;
};

}  // namespace bastion
