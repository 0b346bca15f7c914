// The key log and session store callbacks of the C API.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "unit/capi/capi_support.hpp"

namespace bastion::test {
namespace {

class CapiCallbacks : public ::testing::Test {
 protected:
  PemFiles pki;
};

std::string hex(const uint8_t* data, size_t len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

// Key log lines in the NSS format.
void log_line(void* userdata, const char* label, const uint8_t* client_random,
              size_t client_random_len, const uint8_t* secret, size_t secret_len) {
  static_cast<std::set<std::string>*>(userdata)->insert(std::string(label) + " " +
                                                        hex(client_random, client_random_len) +
                                                        " " + hex(secret, secret_len));
}

TEST_F(CapiCallbacks, KeyLogGetsTheSameLinesOnBothSides) {
  std::set<std::string> client_lines;
  std::set<std::string> server_lines;
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  ASSERT_EQ(bastion_client_config_builder_set_key_log(cb.get(), log_line, &client_lines),
            BASTION_OK);
  ASSERT_EQ(bastion_server_config_builder_set_key_log(sb.get(), log_line, &server_lines),
            BASTION_OK);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK);
  std::set<std::string> labels;
  for (const auto& line : client_lines) {
    labels.insert(line.substr(0, line.find(' ')));
    // label, 32 bytes of client random, a SHA-256 secret
    EXPECT_EQ(line.size(), line.find(' ') + 1 + 64 + 1 + 64) << line;
  }
  for (const char* label : {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                            "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"}) {
    EXPECT_EQ(labels.count(label), 1u) << label;
  }
  EXPECT_EQ(client_lines, server_lines);
}

TEST_F(CapiCallbacks, KeyLogThatThrowsLosesItsLineOnly) {
  auto cb = client_builder(pki);
  auto throwing = [](void*, const char*, const uint8_t*, size_t, const uint8_t*, size_t) {
    throw std::runtime_error("disk full");
  };
  ASSERT_EQ(bastion_client_config_builder_set_key_log(cb.get(), throwing, nullptr), BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  EXPECT_EQ(pump(p), BASTION_OK);
  EXPECT_TRUE(bastion_connection_is_handshake_complete(p.client.get()));
}

// A session store as a C program would write one: a list of handles it owns.
struct SessionList {
  std::vector<std::pair<std::string, bastion_session*>> sessions;
  int puts = 0;
  int takes = 0;
  ~SessionList() {
    for (auto& entry : sessions) bastion_session_free(entry.second);
  }
};

void put_session(void* userdata, const char* server_name, bastion_session* session) {
  auto* list = static_cast<SessionList*>(userdata);
  ++list->puts;
  list->sessions.emplace_back(server_name, session);
}

bastion_session* take_session(void* userdata, const char* server_name) {
  auto* list = static_cast<SessionList*>(userdata);
  ++list->takes;
  for (auto it = list->sessions.rbegin(); it != list->sessions.rend(); ++it) {
    if (it->first == server_name) {
      bastion_session* s = it->second;
      list->sessions.erase(std::next(it).base());
      return s;
    }
  }
  return nullptr;
}

TEST_F(CapiCallbacks, SessionStoreResumesTheNextConnection) {
  SessionList list;
  auto cb = client_builder(pki);
  ASSERT_EQ(
      bastion_client_config_builder_set_session_store(cb.get(), put_session, take_session, &list),
      BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());

  auto first = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(first), BASTION_OK);
  EXPECT_FALSE(bastion_connection_is_resumed(first.client.get()));
  EXPECT_EQ(list.takes, 1);  // asked, nothing there
  ASSERT_GE(list.puts, 1);   // the server's tickets
  ASSERT_FALSE(list.sessions.empty());
  const bastion_session* kept = list.sessions.back().second;
  EXPECT_STREQ(bastion_session_server_name(kept), "localhost");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_GT(bastion_session_expires(kept), now);
  EXPECT_LE(bastion_session_expires(kept), now + 7 * 24 * 3600);

  const size_t kept_count = list.sessions.size();
  auto second = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(second), BASTION_OK);
  EXPECT_TRUE(bastion_connection_is_resumed(second.client.get()));
  EXPECT_TRUE(bastion_connection_is_resumed(second.server.get()));
  EXPECT_EQ(list.takes, 2);
  EXPECT_GT(list.sessions.size(), kept_count - 1);  // one taken, new tickets put

  // Another name finds nothing.
  auto third = connect(cc.get(), sc.get(), "127.0.0.1");
  ASSERT_EQ(pump(third), BASTION_OK);
  EXPECT_FALSE(bastion_connection_is_resumed(third.client.get()));
}

TEST_F(CapiCallbacks, SessionStoreThatThrowsMeansAFullHandshake) {
  auto cb = client_builder(pki);
  auto put = [](void*, const char*, bastion_session* s) {
    bastion_session_free(s);
    throw std::runtime_error("no room");
  };
  auto take = [](void*, const char*) -> bastion_session* { throw std::runtime_error("broken"); };
  ASSERT_EQ(bastion_client_config_builder_set_session_store(cb.get(), put, take, nullptr),
            BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  for (int i = 0; i < 2; ++i) {
    auto p = connect(cc.get(), sc.get());
    ASSERT_EQ(pump(p), BASTION_OK);
    EXPECT_FALSE(bastion_connection_is_resumed(p.client.get()));
  }
}

}  // namespace
}  // namespace bastion::test
