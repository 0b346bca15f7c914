// Appending TLS wire structures to a byte vector, with length prefixes filled in on close.
// A body too long for its length field is never truncated: the writer remembers the overflow
// and finish() reports it.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "bastion/error.hpp"

namespace bastion {

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}

  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v);
  void u24(uint32_t v);
  void u32(uint32_t v);
  void u64(uint64_t v);
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  // A length-prefixed vector: writes `len_bytes` length bytes, then what `body` writes.
  template <std::invocable Body>
  void vec(size_t len_bytes, Body&& body) {
    size_t mark = open(len_bytes);
    body();
    close(mark, len_bytes);
  }
  void vec(size_t len_bytes, std::span<const uint8_t> b) {
    vec(len_bytes, [&] { bytes(b); });
  }
  size_t size() const { return out_.size(); }
  // False once a vector's body overflowed its length field: the output is then unusable.
  bool ok() const { return !overflowed_; }
  // The output, moved out of the vector, or internal_error when a length overflowed.
  [[nodiscard]] Result<std::vector<uint8_t>> finish();

 private:
  size_t open(size_t len_bytes);
  void close(size_t mark, size_t len_bytes);
  std::vector<uint8_t>& out_;
  bool overflowed_ = false;
};

}  // namespace bastion
