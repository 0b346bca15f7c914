// One of a connection's two record buffers: a block from the config's BufferPool, or a larger
// heap block when a caller queues or hands in more than a block at once. The buffer only holds
// memory; the connection keeps the positions in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/buffer_pool.hpp"

namespace bastion {

class RecordBuffer {
 public:
  explicit RecordBuffer(BufferPool& pool) : pool_(pool) {}
  RecordBuffer(const RecordBuffer&) = delete;
  RecordBuffer& operator=(const RecordBuffer&) = delete;
  ~RecordBuffer() { release(); }

  uint8_t* data() { return block_.get(); }
  const uint8_t* data() const { return block_.get(); }
  size_t capacity() const { return capacity_; }
  bool held() const { return block_ != nullptr; }

  // Makes the capacity at least `size`, keeping the first `keep` bytes: a pooled block while
  // one is large enough, a heap block of twice the old capacity (or `size`) beyond.
  void reserve(size_t size, size_t keep);
  // Notes that bytes before `end` may hold secrets, so that release() wipes them.
  void note_sensitive(size_t end) {
    if (end > sensitive_) sensitive_ = end;
  }
  // Gives the memory back (a pooled block to the pool), wiping the sensitive bytes.
  void release();

 private:
  BufferPool& pool_;
  std::unique_ptr<uint8_t[]> block_;
  size_t capacity_ = 0;
  size_t sensitive_ = 0;
};

}  // namespace bastion
