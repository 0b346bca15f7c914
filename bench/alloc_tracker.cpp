#include "alloc_tracker.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <new>

namespace bench {
namespace {

// The benchmark is single-threaded, so plain counters are exact.
std::array<SideHeap, kSides> g_heap{};
Side g_side = Side::harness;

// Every block starts with this header; `offset` is the distance from the block malloc returned
// to the pointer handed out (16, or the alignment for over-aligned operator new).
struct alignas(16) Header {
  uint64_t size;
  uint32_t offset;
  uint8_t side;
};
static_assert(sizeof(Header) == 16);

void charge(Side side, size_t size) {
  auto& h = g_heap[static_cast<size_t>(side)];
  h.live_bytes += static_cast<int64_t>(size);
  ++h.allocations;
}

void* finish_block(void* base, size_t offset, size_t size) {
  auto* user = static_cast<unsigned char*>(base) + offset;
  auto* header = reinterpret_cast<Header*>(user) - 1;
  header->size = size;
  header->offset = static_cast<uint32_t>(offset);
  header->side = static_cast<uint8_t>(g_side);
  charge(g_side, size);
  return user;
}

Header* header_of(void* p) {
  return static_cast<Header*>(p) - 1;
}

void release(void* p) {
  if (p == nullptr) return;
  Header* header = header_of(p);
  g_heap[header->side].live_bytes -= static_cast<int64_t>(header->size);
  std::free(reinterpret_cast<unsigned char*>(p) - header->offset);
}

void* tracked_malloc(size_t size) {
  void* base = std::malloc(size + sizeof(Header));
  return base == nullptr ? nullptr : finish_block(base, sizeof(Header), size);
}

void* tracked_aligned(size_t size, size_t align) {
  if (align <= sizeof(Header)) return tracked_malloc(size);
  void* base = nullptr;
  if (posix_memalign(&base, align, size + align) != 0) return nullptr;
  return finish_block(base, align, size);
}

void* tracked_realloc(void* p, size_t size) {
  if (p == nullptr) return tracked_malloc(size);
  Header* header = header_of(p);
  if (header->offset != sizeof(Header)) std::abort();  // libcrypto never over-aligns
  const auto old_side = static_cast<Side>(header->side);
  const uint64_t old_size = header->size;
  void* base = std::realloc(header, size + sizeof(Header));
  if (base == nullptr) return nullptr;
  g_heap[static_cast<size_t>(old_side)].live_bytes -= static_cast<int64_t>(old_size);
  return finish_block(base, sizeof(Header), size);
}

void* crypto_malloc(size_t size, const char*, int) {
  return tracked_malloc(size);
}
void* crypto_realloc(void* p, size_t size, const char*, int) {
  if (size == 0) {
    release(p);
    return nullptr;
  }
  return tracked_realloc(p, size);
}
void crypto_free(void* p, const char*, int) {
  release(p);
}

void* new_or_throw(size_t size, size_t align = 0) {
  void* p = align == 0 ? tracked_malloc(size) : tracked_aligned(size, align);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

bool install_openssl_allocator() {
  return CRYPTO_set_mem_functions(crypto_malloc, crypto_realloc, crypto_free) == 1;
}

const SideHeap& heap(Side side) {
  return g_heap[static_cast<size_t>(side)];
}
Side current_side() {
  return g_side;
}

SideScope::SideScope(Side side) : previous_(g_side) {
  g_side = side;
}
SideScope::~SideScope() {
  g_side = previous_;
}

}  // namespace bench

// The replaced global allocation functions (C++20 [replacement.functions]).
void* operator new(size_t size) {
  return bench::new_or_throw(size);
}
void* operator new[](size_t size) {
  return bench::new_or_throw(size);
}
void* operator new(size_t size, std::align_val_t align) {
  return bench::new_or_throw(size, static_cast<size_t>(align));
}
void* operator new[](size_t size, std::align_val_t align) {
  return bench::new_or_throw(size, static_cast<size_t>(align));
}
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return bench::tracked_malloc(size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return bench::tracked_malloc(size);
}
void operator delete(void* p) noexcept {
  bench::release(p);
}
void operator delete[](void* p) noexcept {
  bench::release(p);
}
void operator delete(void* p, size_t) noexcept {
  bench::release(p);
}
void operator delete[](void* p, size_t) noexcept {
  bench::release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  bench::release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  bench::release(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept {
  bench::release(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
  bench::release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  bench::release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  bench::release(p);
}
