// Record buffers shared by the connections of one config. A connection takes a block when
// data starts to flow and hands it back when it goes idle, so that an idle connection holds no
// record buffer and a busy one allocates none. Blocks are wiped when handed back: a receive
// buffer held plaintext.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/wire.hpp"

namespace bastion {

class BufferPool {
 public:
  // The largest record on the wire (RFC 8446 §5.2: a header and 2^14 + 256 bytes).
  static constexpr size_t kMaxRecordOnWire = limits::kRecordHeader + limits::kMaxCiphertext13;
  // Two maximal records: a receive buffer then takes a socket read while a record is still
  // partial, and a send buffer holds two full records before it must be flushed.
  static constexpr size_t kBlockSize = 2 * kMaxRecordOnWire;
  // The most idle blocks a pool may keep (about 135 MiB); configs refuse more.
  static constexpr size_t kMaxBlocks = 4096;

  // Keeps at most `max_blocks` idle blocks; 0 keeps none (every acquire allocates).
  explicit BufferPool(size_t max_blocks);
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  ~BufferPool();

  // A block of kBlockSize bytes: a kept one, or a new allocation when none is kept. Its
  // contents are unspecified.
  std::unique_ptr<uint8_t[]> acquire();
  // Wipes the first `used` bytes (the only ones that may have held data) and keeps the block,
  // or frees it when max_blocks are already kept.
  void release(std::unique_ptr<uint8_t[]> block, size_t used);

  size_t kept() const;
  size_t max_blocks() const { return max_blocks_; }

 private:
  const size_t max_blocks_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<uint8_t[]>> kept_;  // reserved for max_blocks_ at construction
};

// A pool for a config (also declared in bastion/config.hpp, which only names the type).
std::shared_ptr<BufferPool> make_buffer_pool(size_t max_blocks);

}  // namespace bastion
