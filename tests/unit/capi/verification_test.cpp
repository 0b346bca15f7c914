// Server and client authentication through the C API: a chain rejected by the WebPKI
// verifier, the verify callback accepting, rejecting and throwing, mutual TLS.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "bastion/x509.hpp"
#include "unit/capi/capi_support.hpp"

namespace bastion::test {
namespace {

class CapiVerification : public ::testing::Test {
 protected:
  PemFiles pki;
};

// What a verify callback saw, and what it answers.
struct VerifyProbe {
  int answer = BASTION_OK;
  int calls = 0;
  std::vector<std::vector<uint8_t>> chain;
  std::string server_name;
  bool null_name = false;
};

int probe_verify(void* userdata, const bastion_bytes* chain, size_t chain_len,
                 const char* server_name) {
  auto* probe = static_cast<VerifyProbe*>(userdata);
  ++probe->calls;
  probe->chain.clear();
  for (size_t i = 0; i < chain_len; ++i) {
    probe->chain.emplace_back(chain[i].data, chain[i].data + chain[i].len);
  }
  probe->null_name = server_name == nullptr;
  probe->server_name = server_name ? server_name : "";
  return probe->answer;
}

std::vector<uint8_t> der_of(const char* pem) {
  auto ders = parse_pem_certificates(pem);
  EXPECT_TRUE(ders.ok());
  return ders.ok() ? ders->front() : std::vector<uint8_t>{};
}

TEST_F(CapiVerification, WrongNameFailsWithItsCodeAndMessage) {
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get(), "other.example");
  EXPECT_EQ(pump(p), BASTION_CERTIFICATE_NAME_MISMATCH);
  EXPECT_TRUE(bastion_connection_failed(p.client.get()));
  EXPECT_EQ(bastion_connection_error(p.client.get()), BASTION_CERTIFICATE_NAME_MISMATCH);
  const std::string message = error_message(p.client.get());
  EXPECT_EQ(message.rfind("certificate_name_mismatch: ", 0), 0u) << message;
  EXPECT_STREQ(bastion_error_name(bastion_connection_error(p.client.get())),
               "certificate_name_mismatch");
  // The server got the alert.
  EXPECT_EQ(bastion_connection_error(p.server.get()), BASTION_PEER_ALERT);
  // What the server presented can be shown, marked unverified.
  EXPECT_EQ(bastion_connection_peer_certificate_count(p.client.get()), 0u);
  ASSERT_EQ(bastion_connection_unverified_peer_certificate_count(p.client.get()), 1u);
  size_t len = 0;
  const uint8_t* der = bastion_connection_unverified_peer_certificate(p.client.get(), 0, &len);
  ASSERT_NE(der, nullptr);
  EXPECT_EQ(std::vector<uint8_t>(der, der + len), der_of(kEcdsaCertPem));
  EXPECT_FALSE(bastion_connection_peer_verified(p.client.get()));
}

TEST_F(CapiVerification, UntrustedIssuerIsUnknownIssuer) {
  ClientBuilder cb(bastion_client_config_builder_new());
  const std::string other = kEd25519CertPem;  // not the CA of the server's certificate
  ASSERT_EQ(bastion_client_config_builder_load_ca_pem(cb.get(), bytes(other), other.size()),
            BASTION_OK)
      << error_message(cb.get());
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  EXPECT_EQ(pump(p), BASTION_UNKNOWN_ISSUER);
  EXPECT_EQ(error_message(p.client.get()).rfind("unknown_issuer", 0), 0u);
}

TEST_F(CapiVerification, CallbackAcceptsAndSeesTheChainAndName) {
  VerifyProbe probe;
  ClientBuilder cb(bastion_client_config_builder_new());
  ASSERT_EQ(bastion_client_config_builder_set_verify_callback(cb.get(), probe_verify, &probe),
            BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get(), "anything.example");
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_EQ(probe.calls, 1);
  ASSERT_EQ(probe.chain.size(), 1u);
  EXPECT_EQ(probe.chain[0], der_of(kEcdsaCertPem));
  EXPECT_EQ(probe.server_name, "anything.example");
  EXPECT_TRUE(bastion_connection_peer_verified(p.client.get()));
}

TEST_F(CapiVerification, CallbackRejectsWithItsCode) {
  VerifyProbe probe;
  probe.answer = BASTION_CERTIFICATE_EXPIRED;
  ClientBuilder cb(bastion_client_config_builder_new());
  ASSERT_EQ(bastion_client_config_builder_set_verify_callback(cb.get(), probe_verify, &probe),
            BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  EXPECT_EQ(pump(p), BASTION_CERTIFICATE_EXPIRED);
  EXPECT_EQ(error_message(p.client.get()), "certificate_expired: rejected by the verify callback");

  // A value that is no code is an untrusted certificate.
  probe.answer = 12345;
  auto q = connect(cc.get(), sc.get());
  EXPECT_EQ(pump(q), BASTION_CERTIFICATE_UNTRUSTED);
  EXPECT_NE(error_message(q.client.get()).find("12345"), std::string::npos);
}

TEST_F(CapiVerification, CallbackThatThrowsFailsTheHandshakeOnly) {
  ClientBuilder cb(bastion_client_config_builder_new());
  auto throwing = [](void*, const bastion_bytes*, size_t, const char*) -> int {
    throw std::runtime_error("verifier exploded");
  };
  ASSERT_EQ(bastion_client_config_builder_set_verify_callback(cb.get(), throwing, nullptr),
            BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  EXPECT_EQ(pump(p), BASTION_INTERNAL_ERROR);
  EXPECT_NE(error_message(p.client.get()).find("verifier exploded"), std::string::npos);
}

TEST_F(CapiVerification, InsecureSkipVerifyAcceptsAnyChainUnverified) {
  ClientBuilder cb(bastion_client_config_builder_new());
  ASSERT_EQ(bastion_client_config_builder_insecure_skip_verify(cb.get()), BASTION_OK);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get(), "wrong.example");
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_FALSE(bastion_connection_peer_verified(p.client.get()));
  EXPECT_EQ(bastion_connection_peer_certificate_count(p.client.get()), 1u);
}

TEST_F(CapiVerification, MutualTlsWithClientCertificateFiles) {
  auto cb = client_builder(pki);
  ASSERT_EQ(bastion_client_config_builder_set_certificate_files(
                cb.get(), pki.path("rsa.pem").c_str(), pki.path("rsa-key.pem").c_str()),
            BASTION_OK)
      << error_message(cb.get());
  auto sb = server_builder(pki);
  ASSERT_EQ(bastion_server_config_builder_set_client_auth(sb.get(), BASTION_CLIENT_AUTH_REQUIRE),
            BASTION_OK);
  ASSERT_EQ(bastion_server_config_builder_load_client_ca_file(sb.get(), pki.path("ca.pem").c_str()),
            BASTION_OK);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK) << error_message(p.server.get());
  EXPECT_TRUE(bastion_connection_peer_verified(p.server.get()));
  ASSERT_EQ(bastion_connection_peer_certificate_count(p.server.get()), 1u);
  size_t len = 0;
  const uint8_t* der = bastion_connection_peer_certificate(p.server.get(), 0, &len);
  EXPECT_EQ(std::vector<uint8_t>(der, der + len), der_of(kRsaCertPem));

  // Without a client certificate the server refuses.
  auto plain = client_builder(pki);
  auto pc = build(plain.get());
  auto q = connect(pc.get(), sc.get());
  pump(q);
  EXPECT_EQ(bastion_connection_error(q.server.get()), BASTION_CERTIFICATE_REQUIRED);
}

TEST_F(CapiVerification, ServerCallbackVerifiesClientsWithoutAName) {
  VerifyProbe probe;
  auto cb = client_builder(pki);
  const std::string chain = kEcdsaCertPem;
  const std::string key = kEcdsaKeyPem;
  ASSERT_EQ(bastion_client_config_builder_set_certificate_pem(cb.get(), bytes(chain), chain.size(),
                                                              bytes(key), key.size()),
            BASTION_OK);
  auto sb = server_builder(pki);
  ASSERT_EQ(bastion_server_config_builder_set_client_auth(sb.get(), BASTION_CLIENT_AUTH_REQUEST),
            BASTION_OK);
  ASSERT_EQ(
      bastion_server_config_builder_set_client_verify_callback(sb.get(), probe_verify, &probe),
      BASTION_OK);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_EQ(probe.calls, 1);
  EXPECT_TRUE(probe.null_name);
  EXPECT_EQ(probe.chain.at(0), der_of(kEcdsaCertPem));
}

}  // namespace
}  // namespace bastion::test
