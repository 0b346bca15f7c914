#include "conn/record_buffer.hpp"

#include <algorithm>
#include <cstring>

#include "core/secret.hpp"

namespace bastion {

void RecordBuffer::reserve(size_t size, size_t keep) {
  if (size <= capacity_) return;
  if (!block_ && size <= BufferPool::kBlockSize) {
    block_ = pool_.acquire();
    capacity_ = BufferPool::kBlockSize;
    return;
  }
  const size_t grown = std::max(size, 2 * capacity_);
  std::unique_ptr<uint8_t[]> bigger(new uint8_t[grown]);
  if (keep > 0) std::memcpy(bigger.get(), block_.get(), keep);
  const size_t sensitive = sensitive_;
  release();
  block_ = std::move(bigger);
  capacity_ = grown;
  sensitive_ = std::min(sensitive, keep);
}

void RecordBuffer::release() {
  if (!block_) return;
  if (capacity_ == BufferPool::kBlockSize) {
    pool_.release(std::move(block_), sensitive_);
  } else {
    secure_wipe(block_.get(), sensitive_);
    block_.reset();
  }
  capacity_ = 0;
  sensitive_ = 0;
}

}  // namespace bastion
