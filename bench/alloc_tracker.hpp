// Heap accounting for the benchmark: every operator new/delete of the process and every
// libcrypto/libssl allocation (through CRYPTO_set_mem_functions) is counted and charged to the
// side (client, server or harness) that was running when the block was allocated.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace bench {

enum class Side : uint8_t { harness, client, server };
inline constexpr size_t kSides = 3;

struct SideHeap {
  int64_t live_bytes = 0;    // allocated by this side and not yet freed
  uint64_t allocations = 0;  // every allocation (and growing reallocation) so far
};

// Must run before libcrypto allocates anything; false when it is too late.
bool install_openssl_allocator();

const SideHeap& heap(Side side);
Side current_side();

// Charges allocations to `side` for the scope's lifetime.
class SideScope {
 public:
  explicit SideScope(Side side);
  ~SideScope();
  SideScope(const SideScope&) = delete;
  SideScope& operator=(const SideScope&) = delete;

 private:
  Side previous_;
};

}  // namespace bench
