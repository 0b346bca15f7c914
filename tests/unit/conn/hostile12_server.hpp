// The fixture of the TLS 1.2 hostile-server tests: our client, configured for TLS 1.2, facing a
// scripted server (tls12_peer.hpp) that builds the ServerHello, Certificate, ServerKeyExchange
// and ServerHelloDone the tests then bend.
#pragma once

#include <gtest/gtest.h>

#include <optional>

#include "unit/conn/loopback.hpp"
#include "unit/conn/tls12_peer.hpp"

namespace bastion::test {

using namespace hostile;
using msgs::ServerHello;

inline constexpr auto kSuite = CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;

class HostileServer12 : public ::testing::Test {
 protected:
  void SetUp() override {
    ClientOptions options = client_options_trusting(kEcdsaCertPem);
    options.max_version = ProtocolVersion::tls12;
    start(std::move(options));
  }

  void start(ClientOptions options) {
    auto config = ClientConfig::create(std::move(options));
    ASSERT_TRUE(config.ok()) << config.error().message();
    auto c = ClientConnection::create(*config, "localhost");
    ASSERT_TRUE(c.ok());
    client.emplace(std::move(c).value());
    peer.take(*client);
    ASSERT_EQ(peer.received().size(), 1u);
    auto decoded = msgs::ClientHello::decode(peer.received().back().body());
    ASSERT_TRUE(decoded.ok());
    ch = *decoded;
  }

  static msgs::Extension ext(Result<msgs::Extension> e) { return std::move(e).value(); }

  ServerHello server_hello() {
    ServerHello sh;
    sh.random.fill(0x42);
    sh.cipher_suite = kSuite;
    sh.extensions.push_back(ext(msgs::to_extension(msgs::RenegotiationInfo{})));
    sh.extensions.push_back(ext(msgs::to_extension(msgs::ExtendedMasterSecret{})));
    return sh;
  }
  Bytes hello(const ServerHello& sh) {
    peer.set_server_random(sh.random);
    peer.set_suite(sh.cipher_suite);
    peer.set_extended_master_secret(
        msgs::contains(sh.extensions, ExtensionType::extended_master_secret));
    return peer.message(msgs::encode_message(sh).value());
  }
  Bytes hello() { return hello(server_hello()); }
  Bytes certificate(const char* pem = kEcdsaCertPem) {
    msgs::Certificate12 cert;
    cert.certificate_list = {first_der(pem)};
    return peer.message(msgs::encode_message(cert).value());
  }
  // A ServerKeyExchange for `group`, signed with `scheme` by the ECDSA test key.
  msgs::ServerKeyExchangeEcdhe key_exchange_message(
      NamedGroup group = NamedGroup::x25519,
      SignatureScheme scheme = SignatureScheme::ecdsa_secp256r1_sha256) {
    msgs::ServerKeyExchangeEcdhe ske;
    ske.group = group;
    ske.public_key = peer.make_share(group);
    ske.scheme = scheme;
    sign(ske);
    return ske;
  }
  void sign(msgs::ServerKeyExchangeEcdhe& ske) {
    auto key = peer.provider().load_private_key_pem(kEcdsaKeyPem, {});
    ASSERT_TRUE(key.ok());
    auto content =
        handshake::server_key_exchange_content(peer.client_random(), peer.server_random(), ske);
    auto info = handshake::tls12_scheme(ske.scheme);
    auto signature = (*key)->sign(info ? info->alg : crypto::SigAlg::ecdsa_sha256, content);
    // A scheme the key cannot make gets bytes of the right order of size.
    ske.signature = signature.ok() ? *signature : Bytes(72, 0x30);
  }
  Bytes key_exchange(const msgs::ServerKeyExchangeEcdhe& ske) {
    return peer.message(msgs::encode_message(ske).value());
  }
  Bytes key_exchange() { return key_exchange(key_exchange_message()); }
  Bytes done() { return peer.message(msgs::encode_message(msgs::ServerHelloDone{}).value()); }

  Result<void> deliver(const Bytes& bytes) { return client->receive(bytes); }

  // The server's first flight, delivered, and the client's answer read.
  void first_flight() {
    peer.set_client_random(ch.random);
    ASSERT_OK(deliver(concat({hello(), certificate(), key_exchange(), done()})));
    auto sent = peer.take(*client);
    ASSERT_TRUE(peer.ccs_received()) << "the client sent no change_cipher_spec";
    ASSERT_TRUE(peer.peer_finished_verified()) << "the client's Finished does not verify";
  }
  void complete() {
    first_flight();
    ASSERT_OK(deliver(concat({peer.change_cipher_spec(), peer.finished()})));
    ASSERT_TRUE(client->handshake_complete());
  }

  void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert) {
    hostile::expect_fatal(result, code, alert, *client, peer);
  }
  // The first flight with `sh` as ServerHello fails with `code` and `alert`.
  void expect_hello_refused(const ServerHello& sh, ErrorCode code, Alert alert) {
    peer.set_client_random(ch.random);
    expect_fatal(deliver(hello(sh)), code, alert);
  }

  Peer12 peer{Plays::server};
  std::optional<ClientConnection> client;
  msgs::ClientHello ch;
};

}  // namespace bastion::test
