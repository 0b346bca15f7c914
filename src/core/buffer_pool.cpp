#include "core/buffer_pool.hpp"

#include "bastion/config.hpp"  // make_buffer_pool is public

#include "core/secret.hpp"

namespace bastion {

BufferPool::BufferPool(size_t max_blocks) : max_blocks_(max_blocks) {
  // Reserved once, so that release() never allocates while it holds the lock.
  kept_.reserve(max_blocks_);
}

BufferPool::~BufferPool() = default;

std::unique_ptr<uint8_t[]> BufferPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!kept_.empty()) {
      std::unique_ptr<uint8_t[]> block = std::move(kept_.back());
      kept_.pop_back();
      return block;
    }
  }
  // Default-initialised: a receive or send buffer is written before it is read.
  return std::unique_ptr<uint8_t[]>(new uint8_t[kBlockSize]);
}

void BufferPool::release(std::unique_ptr<uint8_t[]> block, size_t used) {
  if (!block) return;
  // Outside the lock: the wipe is the expensive part.
  secure_wipe(block.get(), used < kBlockSize ? used : kBlockSize);
  std::lock_guard lock(mutex_);
  if (kept_.size() < max_blocks_) kept_.push_back(std::move(block));
  // Otherwise the block is freed here.
}

std::shared_ptr<BufferPool> make_buffer_pool(size_t max_blocks) {
  return std::make_shared<BufferPool>(max_blocks);
}

size_t BufferPool::kept() const {
  std::lock_guard lock(mutex_);
  return kept_.size();
}

}  // namespace bastion
