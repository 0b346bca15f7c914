#include "core/writer.hpp"

namespace bastion {

void Writer::u16(uint16_t v) {
  u8(static_cast<uint8_t>(v >> 8));
  u8(static_cast<uint8_t>(v));
}

void Writer::u24(uint32_t v) {
  u8(static_cast<uint8_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void Writer::u32(uint32_t v) {
  u16(static_cast<uint16_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void Writer::u64(uint64_t v) {
  u32(static_cast<uint32_t>(v >> 32));
  u32(static_cast<uint32_t>(v));
}

size_t Writer::open(size_t len_bytes) {
  size_t mark = out_.size();
  out_.resize(out_.size() + len_bytes);
  return mark;
}

void Writer::close(size_t mark, size_t len_bytes) {
  size_t len = out_.size() - mark - len_bytes;
  if (len_bytes < sizeof(size_t) && len >> (8 * len_bytes) != 0) overflowed_ = true;
  for (size_t i = 0; i < len_bytes; ++i) {
    out_[mark + len_bytes - 1 - i] = static_cast<uint8_t>(len >> (8 * i));
  }
}

Result<std::vector<uint8_t>> Writer::finish() {
  if (overflowed_) {
    return Error{ErrorCode::internal_error, "a length-prefixed field is too long for its length"};
  }
  return std::move(out_);
}

}  // namespace bastion
