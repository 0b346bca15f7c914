// The calls an adapter needs besides the data path: the error that ended a connection, the
// transport's end (clean close or truncation), text writes, and the chain a verifier rejected.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

Pair connected_pair() {
  auto pair = make_pair(client_options_trusting(kEcdsaCertPem),
                        server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  EXPECT_TRUE(pump(pair.client, pair.server).ok());
  EXPECT_TRUE(pair.client.handshake_complete() && pair.server.handshake_complete());
  return pair;
}

TEST(ConnectionApi, WritesTextAndHasNoErrorWhileHealthy) {
  auto pair = connected_pair();
  ASSERT_OK(pair.client.write(std::string_view("hello over text")));
  ASSERT_OK(pump(pair.client, pair.server));
  EXPECT_EQ(read_all(pair.server), "hello over text");
  EXPECT_FALSE(pair.client.error().has_value());
  EXPECT_FALSE(pair.server.error().has_value());
}

TEST(ConnectionApi, StatusFollowsTheConnectionThroughItsLife) {
  auto pair = make_pair(client_options_trusting(kEcdsaCertPem),
                        server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ConnectionStatus start = pair.client.status();
  EXPECT_EQ(start.state, ConnectionState::handshaking);
  EXPECT_TRUE(start.has_output);  // the ClientHello
  EXPECT_TRUE(start.wants_input);
  ASSERT_OK(pump(pair.client, pair.server));
  ConnectionStatus open = pair.client.status();
  EXPECT_EQ(open.state, ConnectionState::open);
  EXPECT_FALSE(open.has_output);
  EXPECT_TRUE(open.wants_input);
  ASSERT_OK(pair.server.write(std::string_view("four")));
  ASSERT_OK(pump(pair.client, pair.server));
  EXPECT_EQ(pair.client.status().readable, 4u);
  EXPECT_FALSE(pair.client.status().wants_input);  // read first
  EXPECT_EQ(read_all(pair.client), "four");
  pair.client.close();
  EXPECT_EQ(pair.client.status().state, ConnectionState::closing);
  EXPECT_TRUE(pair.client.status().has_output);  // the close_notify
  ASSERT_OK(pump(pair.client, pair.server));
  EXPECT_EQ(pair.server.status().state, ConnectionState::peer_closed);
  pair.server.close();
  ASSERT_OK(pump(pair.client, pair.server));
  EXPECT_EQ(pair.client.status().state, ConnectionState::closed);
  EXPECT_EQ(pair.server.status().state, ConnectionState::closed);
  EXPECT_FALSE(pair.client.status().wants_input);
}

TEST(ConnectionApi, StatusOfAFailedConnectionShowsItsPendingAlert) {
  auto pair = make_pair(client_options_trusting(kRsaCertPem),
                        server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto hello = take_output(pair.client);
  ASSERT_OK(pair.server.receive(hello));
  auto flight = take_output(pair.server);
  EXPECT_FALSE(pair.client.receive(flight).ok());  // the certificate is not trusted
  ConnectionStatus failed = pair.client.status();
  EXPECT_EQ(failed.state, ConnectionState::failed);
  EXPECT_TRUE(failed.has_output);  // the alert
  EXPECT_FALSE(failed.wants_input);
}

TEST(ConnectionApi, EndOfTransportAfterCloseNotifyIsClean) {
  auto pair = connected_pair();
  pair.server.close();
  ASSERT_OK(pump(pair.client, pair.server));
  ASSERT_TRUE(pair.client.peer_closed());
  ASSERT_OK(pair.client.receive_eof());
  EXPECT_FALSE(pair.client.failed());
  EXPECT_FALSE(pair.client.error().has_value());
}

TEST(ConnectionApi, EndOfTransportWithoutCloseNotifyIsTruncation) {
  auto pair = connected_pair();
  ASSERT_OK(pair.server.write(std::string_view("cut")));
  ASSERT_OK(pump(pair.client, pair.server));
  auto eof = pair.client.receive_eof();
  ASSERT_FALSE(eof.ok());
  EXPECT_EQ(eof.error().code, ErrorCode::truncated);
  EXPECT_NE(eof.error().detail.find("without close_notify"), std::string::npos);
  // The connection is dead: the same error from every call, and no alert to anyone.
  EXPECT_TRUE(pair.client.failed());
  ASSERT_TRUE(pair.client.error().has_value());
  EXPECT_EQ(pair.client.error()->code, ErrorCode::truncated);
  EXPECT_TRUE(pair.client.pending_output().empty());
  EXPECT_EQ(pair.client.receive({}).error().code, ErrorCode::truncated);
  EXPECT_FALSE(pair.client.write(std::string_view("more")).ok());
  // Data that arrived before the cut is still readable.
  EXPECT_EQ(read_all(pair.client), "cut");
}

TEST(ConnectionApi, EndOfTransportDuringTheHandshakeIsTruncation) {
  auto pair = make_pair(client_options_trusting(kEcdsaCertPem),
                        server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto eof = pair.server.receive_eof();
  ASSERT_FALSE(eof.ok());
  EXPECT_EQ(eof.error().code, ErrorCode::truncated);
  EXPECT_NE(eof.error().detail.find("during the handshake"), std::string::npos);
}

TEST(ConnectionApi, ErrorIsTheOneThatEndedTheConnection) {
  auto pair = make_pair(client_options_trusting(kRsaCertPem),  // trusts another certificate
                        server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto pumped = pump(pair.client, pair.server);
  ASSERT_FALSE(pumped.ok());
  ASSERT_TRUE(pair.client.error().has_value());
  EXPECT_EQ(pair.client.error()->code, ErrorCode::certificate_untrusted);
  ASSERT_TRUE(pair.server.error().has_value());
  EXPECT_EQ(pair.server.error()->code, ErrorCode::peer_alert);
  EXPECT_TRUE(pair.server.error()->received.has_value());
}

TEST(ConnectionApi, ClientKeepsTheServerChainItRejected) {
  for (auto version : {ProtocolVersion::tls13, ProtocolVersion::tls12}) {
    auto options = client_options_trusting(kRsaCertPem);
    options.max_version = version;
    auto pair = make_pair(std::move(options), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
    ASSERT_FALSE(pump(pair.client, pair.server).ok());
    ConnectionInfo info = pair.client.info();
    EXPECT_TRUE(info.peer_certificates.empty());
    EXPECT_FALSE(info.peer_verified);
    ASSERT_EQ(info.unverified_peer_certificates.size(), 1u) << to_string(version);
    EXPECT_EQ(info.unverified_peer_certificates.front(), first_der(kEcdsaCertPem));
  }
}

TEST(ConnectionApi, ServerKeepsTheClientChainItRejected) {
  for (auto version : {ProtocolVersion::tls13, ProtocolVersion::tls12}) {
    auto client = client_options_trusting(kEcdsaCertPem);
    client.max_version = version;
    client.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
    auto server = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    server.client_auth = ClientAuth::require;
    server.client_verifier = exact_certificate_verifier({first_der(kEcdsaCertPem)});
    auto pair = make_pair(std::move(client), std::move(server));
    ASSERT_FALSE(pump(pair.client, pair.server).ok());
    ConnectionInfo info = pair.server.info();
    EXPECT_FALSE(info.peer_verified);
    ASSERT_EQ(info.unverified_peer_certificates.size(), 1u) << to_string(version);
    EXPECT_EQ(info.unverified_peer_certificates.front(), first_der(kRsaCertPem));
  }
}

// The application's callbacks run inside the core's calls; what they throw must end the
// connection cleanly, never escape half-way through a state change.
class ThrowingVerifier : public CertificateVerifier {
 public:
  Result<void> verify_server(std::span<const Der>, std::string_view,
                             std::chrono::system_clock::time_point) const override {
    throw std::runtime_error("verifier exploded");
  }
};

class ThrowingKeyLog : public KeyLog {
 public:
  void log(std::string_view, std::span<const uint8_t>, std::span<const uint8_t>) const override {
    throw std::runtime_error("disk full");
  }
};

class ThrowingStore : public SessionStore {
 public:
  void put(std::string_view, std::shared_ptr<const Session>) override {
    throw std::runtime_error("store full");
  }
  std::shared_ptr<const Session> take(std::string_view) override {
    throw std::runtime_error("store gone");
  }
};

TEST(ConnectionApi, AThrowingVerifierEndsTheConnectionWithInternalError) {
  ClientOptions client;
  client.verifier = std::make_shared<ThrowingVerifier>();
  auto pair = make_pair(std::move(client), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  Result<void> result;
  EXPECT_NO_THROW(result = pump(pair.client, pair.server));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(pair.client.failed());
  ASSERT_TRUE(pair.client.error().has_value());
  EXPECT_EQ(pair.client.error()->code, ErrorCode::internal_error);
  EXPECT_NE(pair.client.error()->detail.find("verifier exploded"), std::string::npos);
  ASSERT_TRUE(pair.server.error().has_value());
  EXPECT_EQ(pair.server.error()->received, Alert::internal_error);
}

TEST(ConnectionApi, AThrowingKeyLogEndsTheConnectionWithInternalError) {
  auto server = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  server.key_log = std::make_shared<ThrowingKeyLog>();
  auto pair = make_pair(client_options_trusting(kEcdsaCertPem), std::move(server));
  Result<void> result;
  EXPECT_NO_THROW(result = pump(pair.client, pair.server));
  ASSERT_FALSE(result.ok());
  ASSERT_TRUE(pair.server.error().has_value());
  EXPECT_EQ(pair.server.error()->code, ErrorCode::internal_error);
}

TEST(ConnectionApi, AThrowingSessionStoreFailsCreationWithInternalError) {
  auto client = client_options_trusting(kEcdsaCertPem);
  client.session_store = std::make_shared<ThrowingStore>();
  auto config = ClientConfig::create(std::move(client));
  ASSERT_TRUE(config.ok());
  Result<ClientConnection> conn = Error{};
  EXPECT_NO_THROW(conn = ClientConnection::create(*config, "localhost"));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.error().code, ErrorCode::internal_error);
  EXPECT_NE(conn.error().detail.find("store gone"), std::string::npos);
}

TEST(ConnectionApi, AVerifiedPeerHasNoUnverifiedChain) {
  auto pair = connected_pair();
  EXPECT_TRUE(pair.client.info().peer_verified);
  EXPECT_TRUE(pair.client.info().unverified_peer_certificates.empty());
}

}  // namespace
}  // namespace bastion::test
