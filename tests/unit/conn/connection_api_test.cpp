// The calls an adapter needs besides the data path: the error that ended a connection, the
// transport's end (clean close or truncation), text writes, and the chain a verifier rejected.
#include <gtest/gtest.h>

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

TEST(ConnectionApi, AVerifiedPeerHasNoUnverifiedChain) {
  auto pair = connected_pair();
  EXPECT_TRUE(pair.client.info().peer_verified);
  EXPECT_TRUE(pair.client.info().unverified_peer_certificates.empty());
}

}  // namespace
}  // namespace bastion::test
