// Shared by the resumption tests: configs, one whole connection with a byte each way, and a
// store that offers any session whatever the name.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "bastion/session.hpp"
#include "unit/conn/loopback.hpp"

namespace bastion::test {

struct Configs {
  std::shared_ptr<const ClientConfig> client;
  std::shared_ptr<const ServerConfig> server;
};

inline Configs configs(ClientOptions co, ServerOptions so) {
  auto cc = ClientConfig::create(std::move(co));
  auto sc = ServerConfig::create(std::move(so));
  EXPECT_TRUE(cc.ok() && sc.ok());
  return {cc.ok() ? *cc : nullptr, sc.ok() ? *sc : nullptr};
}

inline Configs default_configs() {
  return configs(client_options_trusting(kEcdsaCertPem),
                 server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
}

struct Handshake {
  ConnectionInfo client;
  ConnectionInfo server;
  size_t server_flight = 0;  // bytes of the server's first flight
};

// One connection: the handshake, the tickets that follow it, and a byte each way.
inline Handshake connect(const std::shared_ptr<const ClientConfig>& cc,
                         const std::shared_ptr<const ServerConfig>& sc,
                         std::string_view name = "localhost") {
  auto client = ClientConnection::create(cc, name);
  auto server = ServerConnection::create(sc);
  EXPECT_TRUE(client.ok() && server.ok());
  if (!client.ok() || !server.ok()) return {};
  std::vector<uint8_t> hello(client->pending_output().begin(), client->pending_output().end());
  client->consume_output(hello.size());
  EXPECT_TRUE(server->receive(hello).ok());
  Handshake out;
  out.server_flight = server->pending_output().size();
  auto ok = pump(*client, *server);
  EXPECT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_TRUE(client->handshake_complete() && server->handshake_complete());
  EXPECT_TRUE(client->write(bytes_of("c")).ok());
  EXPECT_TRUE(server->write(bytes_of("s")).ok());
  EXPECT_TRUE(pump(*client, *server).ok());
  EXPECT_EQ(read_all(*server), "c");
  EXPECT_EQ(read_all(*client), "s");
  out.client = client->info();
  out.server = server->info();
  return out;
}

// A store that hands out the newest session whatever the name asked for, so that a client can
// be made to offer a ticket where Bastion's own client would not.
class AnyNameStore final : public SessionStore {
 public:
  void put(std::string_view, std::shared_ptr<const Session> s) override { last_ = std::move(s); }
  std::shared_ptr<const Session> take(std::string_view) override { return std::move(last_); }

 private:
  std::shared_ptr<const Session> last_;
};

}  // namespace bastion::test
