// Steady-state transfer allocates nothing: every operator new in this test binary is counted.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "unit/conn/loopback.hpp"

namespace {

std::atomic<uint64_t> g_allocations{0};

void* counted_new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(size_t size) {
  return counted_new(size);
}
void* operator new[](size_t size) {
  return counted_new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}

namespace bastion::test {
namespace {

// A socket between the two ends: records written by `from` are read by `to` in reads of
// `read_size`, the plaintext consumed after each. No allocation of its own once sized.
struct Transfer {
  std::vector<uint8_t> wire = std::vector<uint8_t>(1 << 20);
  std::vector<uint8_t> data = std::vector<uint8_t>(16384, 0x5a);
  std::vector<uint8_t> sink = std::vector<uint8_t>(16384);

  // Returns the bytes received; zero_copy picks the API on both ends.
  size_t run(Connection& from, Connection& to, size_t write_size, size_t records, bool zero_copy) {
    size_t queued = 0;
    for (size_t i = 0; i < records; ++i) {
      if (zero_copy) {
        std::span<uint8_t> space = from.prepare_write(write_size);
        std::memset(space.data(), 0x5a, space.size());
        if (!from.commit_write(space.size()).ok()) return 0;
      } else if (!from.write(std::span(data).first(write_size)).ok()) {
        return 0;
      }
      auto out = from.pending_output();
      std::memcpy(wire.data() + queued, out.data(), out.size());
      queued += out.size();
      from.consume_output(out.size());
    }
    size_t received = 0;
    for (size_t pos = 0; pos < queued;) {
      const size_t n = std::min<size_t>(16384, queued - pos);
      if (zero_copy) {
        std::span<uint8_t> space = to.prepare_receive(n);
        std::memcpy(space.data(), wire.data() + pos, space.size());
        if (!to.commit_receive(space.size()).ok()) return 0;
        pos += space.size();
        for (auto p = to.peek_read(); !p.empty(); p = to.peek_read()) {
          received += p.size();
          to.consume_read(p.size());
        }
      } else {
        if (!to.receive(std::span(wire).subspan(pos, n)).ok()) return 0;
        pos += n;
        while (size_t got = to.read(sink)) received += got;
      }
    }
    return received;
  }
};

TEST(Allocations, NonePerRecordInSteadyState) {
  auto p = make_pair(client_options_trusting(kEcdsaCertPem),
                     server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_OK(pump(p.client, p.server));
  Transfer t;
  for (bool zero_copy : {false, true}) {
    for (size_t write_size : {size_t{16384}, size_t{1024}, size_t{100}}) {
      SCOPED_TRACE(testing::Message() << "zero_copy " << zero_copy << " write " << write_size);
      // Warm-up: the pool and the plaintext list reach their steady-state size.
      ASSERT_EQ(t.run(p.client, p.server, write_size, 48, zero_copy), 48 * write_size);
      ASSERT_EQ(t.run(p.server, p.client, write_size, 48, zero_copy), 48 * write_size);
      const uint64_t before = g_allocations.load();
      const size_t sent = t.run(p.client, p.server, write_size, 48, zero_copy);
      const size_t answered = t.run(p.server, p.client, write_size, 48, zero_copy);
      const uint64_t allocations = g_allocations.load() - before;
      EXPECT_EQ(sent, 48 * write_size);
      EXPECT_EQ(answered, 48 * write_size);
      EXPECT_EQ(allocations, 0u);
    }
  }
}

}  // namespace
}  // namespace bastion::test
