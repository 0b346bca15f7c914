// The default session store: single use, newest first, bounded, expiry, threads.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "bastion/session.hpp"
#include "session/session_data.hpp"

namespace bastion {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const Session> session(std::string name, uint32_t tag,
                                       std::chrono::seconds lifetime = 3600s) {
  auto data = std::make_unique<Session::Data>();
  data->server_name = std::move(name);
  data->suite = CipherSuite::tls_aes_128_gcm_sha256;
  data->age_add = tag;
  data->received = std::chrono::system_clock::now();
  data->auth_time = data->received;
  data->lifetime = lifetime;
  return std::make_shared<const Session>(std::move(data));
}

uint32_t tag(const std::shared_ptr<const Session>& s) {
  return s ? s->data().age_add : 0;
}

TEST(MemorySessionStore, TakesNewestFirstAndOnlyOnce) {
  auto store = memory_session_store();
  store->put("a.example", session("a.example", 1));
  store->put("a.example", session("a.example", 2));
  store->put("b.example", session("b.example", 3));
  EXPECT_EQ(tag(store->take("a.example")), 2u);
  EXPECT_EQ(tag(store->take("a.example")), 1u);
  EXPECT_EQ(store->take("a.example"), nullptr);
  EXPECT_EQ(tag(store->take("b.example")), 3u);
  EXPECT_EQ(store->take("c.example"), nullptr);
}

TEST(MemorySessionStore, KeepsAFewPerServerAndAFewServers) {
  auto store = memory_session_store(2, 2);
  for (uint32_t i = 1; i <= 5; ++i) store->put("a", session("a", i));
  store->put("b", session("b", 10));
  store->put("c", session("c", 20));  // evicts "a", stored to least recently
  EXPECT_EQ(store->take("a"), nullptr);
  EXPECT_EQ(tag(store->take("b")), 10u);
  EXPECT_EQ(tag(store->take("c")), 20u);

  store->put("a", session("a", 1));
  store->put("a", session("a", 2));
  store->put("a", session("a", 3));
  EXPECT_EQ(tag(store->take("a")), 3u);
  EXPECT_EQ(tag(store->take("a")), 2u);
  EXPECT_EQ(store->take("a"), nullptr);
}

TEST(MemorySessionStore, SkipsExpiredSessions) {
  auto store = memory_session_store();
  store->put("a", session("a", 1));
  store->put("a", session("a", 2, 0s));
  EXPECT_EQ(tag(store->take("a")), 1u);
}

TEST(MemorySessionStore, IsSafeAcrossThreads) {
  auto store = memory_session_store(4, 8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      const std::string name = "host" + std::to_string(t % 2);
      for (uint32_t i = 0; i < 500; ++i) {
        store->put(name, session(name, i + 1));
        (void)store->take(name);
      }
    });
  }
  for (auto& th : threads) th.join();
  SUCCEED();
}

}  // namespace
}  // namespace bastion
