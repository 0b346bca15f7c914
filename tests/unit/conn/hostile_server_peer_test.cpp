// Our client against a scripted hostile server: for each misbehaviour, the exact error, the
// alert the client queues, and a dead connection afterwards.
#include <gtest/gtest.h>

#include "unit/conn/hostile_peer.hpp"

namespace bastion::test::hostile {
namespace {

using msgs::ServerHello;

class HostileServer : public ::testing::Test {
 protected:
  void SetUp() override { start(client_options_trusting(kEcdsaCertPem)); }

  void start(ClientOptions options) {
    auto config = ClientConfig::create(std::move(options));
    ASSERT_TRUE(config.ok());
    auto c = ClientConnection::create(*config, "localhost");
    ASSERT_TRUE(c.ok());
    client.emplace(std::move(c).value());
    peer.take(*client);
    ASSERT_EQ(peer.received().size(), 1u);
    auto decoded = msgs::ClientHello::decode(peer.received().back().body());
    ASSERT_TRUE(decoded.ok());
    ch = *decoded;
  }

  Bytes client_share(NamedGroup group) {
    auto shares = msgs::find_as<msgs::KeyShareClientHello>(ch.extensions);
    EXPECT_TRUE(shares.ok() && shares->has_value());
    const auto* entry = (*shares)->find(group);
    EXPECT_NE(entry, nullptr);
    return entry ? entry->key_exchange : Bytes{};
  }

  // A valid ServerHello for the last ClientHello, with a new share in `group`.
  ServerHello server_hello(NamedGroup group = NamedGroup::x25519) {
    ServerHello sh;
    sh.random.fill(0x42);
    sh.legacy_session_id_echo = ch.legacy_session_id;
    sh.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
    sh.extensions.push_back(
        msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13}).value());
    sh.extensions.push_back(
        msgs::to_extension(msgs::KeyShareServerHello{{group, peer.make_share(group)}}).value());
    return sh;
  }

  ServerHello hello_retry(std::optional<NamedGroup> group,
                          CipherSuite suite = CipherSuite::tls_aes_128_gcm_sha256) {
    ServerHello hrr;
    hrr.random = msgs::kHelloRetryRequestRandom;
    hrr.legacy_session_id_echo = ch.legacy_session_id;
    hrr.cipher_suite = suite;
    hrr.extensions.push_back(
        msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13}).value());
    if (group)
      hrr.extensions.push_back(msgs::to_extension(msgs::KeyShareHelloRetryRequest{*group}).value());
    return hrr;
  }

  // Sends a HelloRetryRequest that the client accepts, and reads its second ClientHello.
  void retry(NamedGroup group, CipherSuite suite = CipherSuite::tls_aes_128_gcm_sha256) {
    peer.set_suite(suite);
    auto hrr = msgs::encode_message(hello_retry(group, suite)).value();
    // The client's first ClientHello is in the peer's transcript: replace it as §4.4.1 says.
    ASSERT_TRUE(peer.transcript().replace_client_hello_with_message_hash().ok());
    ASSERT_OK(deliver(peer.plain_message(hrr)));
    peer.take(*client);
    auto decoded = msgs::ClientHello::decode(peer.received().back().body());
    ASSERT_TRUE(decoded.ok());
    ch = *decoded;
  }

  // Sends a valid ServerHello in plaintext and switches to the handshake keys.
  Bytes hello(NamedGroup group = NamedGroup::x25519) {
    auto sh = server_hello(group);
    if (!peer.suite()) peer.set_suite(sh.cipher_suite);
    Bytes bytes = peer.plain_message(msgs::encode_message(sh).value());
    peer.derive_handshake_keys(client_share(group));
    return bytes;
  }

  Bytes encrypted_extensions(std::vector<msgs::Extension> extensions = {}) {
    msgs::EncryptedExtensions ee;
    ee.extensions = std::move(extensions);
    return peer.seal_message(msgs::encode_message(ee).value());
  }

  static std::vector<Der> chain() { return {first_der(kEcdsaCertPem)}; }

  Bytes certificate(const std::vector<Der>& ders = chain()) {
    msgs::Certificate cert;
    for (const auto& der : ders) cert.certificate_list.push_back({der, {}});
    return peer.seal_message(msgs::encode_message(cert).value());
  }

  msgs::CertificateVerify signed_transcript() {
    auto key = peer.provider().load_private_key_pem(kEcdsaKeyPem, {});
    EXPECT_TRUE(key.ok());
    auto cv = handshake::sign_certificate_verify(**key, SignatureScheme::ecdsa_secp256r1_sha256,
                                                 handshake::Signer::server,
                                                 peer.transcript().current_hash().span());
    EXPECT_TRUE(cv.ok());
    return *cv;
  }

  Bytes certificate_verify() {
    return peer.seal_message(msgs::encode_message(signed_transcript()).value());
  }

  Bytes finished() {
    Bytes body = peer.finished_body();
    Bytes bytes = peer.seal_message(framed(HandshakeType::finished, body));
    peer.derive_application_secrets();
    return bytes;
  }

  Result<void> deliver(const Bytes& bytes) { return client->receive(bytes); }

  // Everything up to (not including) the server's Finished, delivered.
  void up_to_finished() {
    ASSERT_OK(
        deliver(concat({hello(), encrypted_extensions(), certificate(), certificate_verify()})));
  }

  // A whole handshake; afterwards the peer seals with the server's application keys.
  void complete() {
    up_to_finished();
    complete_from_finished();
  }

  void complete_from_finished() {
    ASSERT_OK(deliver(finished()));
    ASSERT_TRUE(client->handshake_complete());
    peer.take(*client);  // the client's Finished: the peer now reads with application keys
    peer.write_with_application_keys();
  }

  void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert) {
    hostile::expect_fatal(result, code, alert, *client, peer);
  }

  Peer peer{Plays::server};
  std::optional<ClientConnection> client;
  msgs::ClientHello ch;
};

TEST_F(HostileServer, ScriptedServerCompletesAHandshake) {
  complete();
  ASSERT_OK(deliver(peer.seal(ContentType::application_data, bytes_of("hi"))));
  EXPECT_EQ(read_all(*client), "hi");
  ASSERT_OK(client->write(bytes_of("back")));
  auto sent = peer.take(*client);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::string(sent[0].content.begin(), sent[0].content.end()), "back");
}

// --- ServerHello ------------------------------------------------------------------------------

TEST_F(HostileServer, CipherSuiteNotOffered) {
  auto sh = server_hello();
  sh.cipher_suite = static_cast<CipherSuite>(0x1304);  // TLS_AES_128_CCM_SHA256
  // RFC 8446 §4.1.3: a suite that was not offered is an illegal_parameter.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, KeyShareForAGroupWithoutAClientShare) {
  // secp384r1 is in supported_groups but the client only sent an x25519 share (RFC 8446 §4.2.8).
  auto sh = server_hello(NamedGroup::secp384r1);
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, KeyShareNotOnTheCurve) {
  auto sh = server_hello(NamedGroup::x25519);
  sh.extensions[1] =
      msgs::to_extension(msgs::KeyShareServerHello{{NamedGroup::x25519, Bytes(32, 0)}}).value();
  // An all-zero X25519 point yields the all-zero secret (RFC 8446 §7.4.2: MUST abort).
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::bad_key_share, Alert::illegal_parameter);
}

TEST_F(HostileServer, InvalidKeySharesAreIllegalParameter) {
  for (const auto& item : invalid_key_shares()) {
    const std::string& what = item.first;
    const msgs::KeyShareEntry& entry = item.second;  // a lambda below captures it
    SCOPED_TRACE(what);
    peer = Peer(Plays::server);
    auto options = client_options_trusting(kEcdsaCertPem);
    options.groups = {NamedGroup::x25519, entry.group};
    start(options);
    // The client shares x25519; it makes a share for another group after a HelloRetryRequest.
    if (entry.group != NamedGroup::x25519) retry(entry.group);
    auto sh = server_hello(entry.group);
    sh.extensions[1] = msgs::to_extension(msgs::KeyShareServerHello{entry}).value();
    expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
                 ErrorCode::bad_key_share, Alert::illegal_parameter);
  }
}

TEST_F(HostileServer, SelectedVersionNotOffered) {
  auto sh = server_hello();
  sh.extensions[0] =
      msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls12}).value();
  // RFC 8446 §4.2.1: a version not offered or prior to TLS 1.3 is an illegal_parameter.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

// A client that offers TLS 1.3 only.
class HostileServerToTls13Client : public HostileServer {
 protected:
  void SetUp() override {
    auto options = client_options_trusting(kEcdsaCertPem);
    options.min_version = ProtocolVersion::tls13;
    start(std::move(options));
  }
};

TEST_F(HostileServerToTls13Client, Tls12ServerHelloIsProtocolVersion) {
  ServerHello sh;
  sh.random.fill(0x11);
  sh.legacy_session_id_echo = ch.legacy_session_id;
  sh.cipher_suite = static_cast<CipherSuite>(0xc02f);
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::protocol_version, Alert::protocol_version);
}

class DowngradeSentinel : public HostileServer, public ::testing::WithParamInterface<uint8_t> {};

TEST_P(DowngradeSentinel, IsIllegalParameter) {
  ServerHello sh;
  sh.random.fill(0x11);
  const std::array<uint8_t, 8> sentinel = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, GetParam()};
  std::copy(sentinel.begin(), sentinel.end(), sh.random.end() - 8);
  sh.legacy_session_id_echo = ch.legacy_session_id;
  sh.cipher_suite = static_cast<CipherSuite>(0xc02f);
  // RFC 8446 §4.1.3: a TLS 1.3 client MUST check the sentinel and abort with illegal_parameter.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::downgrade_detected, Alert::illegal_parameter);
}
INSTANTIATE_TEST_SUITE_P(Tls12AndTls11, DowngradeSentinel, ::testing::Values(1, 0));

TEST_F(HostileServer, LegacyVersionOtherThanTls12) {
  auto sh = server_hello();
  sh.legacy_version = ProtocolVersion::tls13;  // RFC 8446 §4.1.3: MUST be 0x0303
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, LegacyCompressionNotNull) {
  auto sh = server_hello();
  sh.legacy_compression_method = 1;  // RFC 8446 §4.1.3: MUST be 0
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, SessionIdEchoMismatch) {
  auto sh = server_hello();
  sh.legacy_session_id_echo.back() ^= 1;  // RFC 8446 §4.1.3: MUST abort with illegal_parameter
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, DuplicateExtension) {
  auto sh = server_hello();
  sh.extensions.push_back(sh.extensions[0]);  // RFC 8446 §4.2: MUST NOT be more than one
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::duplicate_extension, Alert::illegal_parameter);
}

TEST_F(HostileServer, UnsolicitedUnknownExtension) {
  auto sh = server_hello();
  sh.extensions.push_back({static_cast<ExtensionType>(0x5a5a), {}});
  // RFC 8446 §4.2: responses to extensions not requested are unsupported_extension.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::unsupported_extension, Alert::unsupported_extension);
}

TEST_F(HostileServer, ExtensionNotAllowedInServerHello) {
  auto sh = server_hello();
  sh.extensions.push_back(msgs::to_extension(msgs::SupportedGroups{{NamedGroup::x25519}}).value());
  // RFC 8446 §4.2: a recognized extension in the wrong message is an illegal_parameter.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, ServerHelloWithoutKeyShare) {
  auto sh = server_hello();
  sh.extensions.pop_back();
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::missing_extension, Alert::missing_extension);
}

TEST_F(HostileServer, TruncatedServerHello) {
  Bytes body = server_hello().encode().value();
  body.pop_back();
  expect_fatal(deliver(peer.plain_message(framed(HandshakeType::server_hello, body))),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer, ServerHelloWithTrailingBytes) {
  Bytes body = server_hello().encode().value();
  body.push_back(0);
  expect_fatal(deliver(peer.plain_message(framed(HandshakeType::server_hello, body))),
               ErrorCode::trailing_data, Alert::decode_error);
}

TEST_F(HostileServer, ServerHelloTwice) {
  ASSERT_OK(deliver(hello()));
  // The second one comes under the handshake keys, as everything after the first must.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(server_hello()).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

// --- HelloRetryRequest ------------------------------------------------------------------------

TEST_F(HostileServer, HelloRetryRequestTwice) {
  retry(NamedGroup::secp256r1);
  // RFC 8446 §4.1.4: a second HelloRetryRequest MUST be answered with unexpected_message.
  expect_fatal(
      deliver(peer.plain_message(msgs::encode_message(hello_retry(NamedGroup::secp384r1)).value())),
      ErrorCode::second_hello_retry, Alert::unexpected_message);
}

TEST_F(HostileServer, HelloRetryRequestWithNoChange) {
  // RFC 8446 §4.1.4: a HelloRetryRequest that would not change the ClientHello: illegal_parameter.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(hello_retry(std::nullopt)).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, HelloRetryRequestForTheGroupAlreadyShared) {
  // RFC 8446 §4.2.8: the selected group MUST NOT have had a share in the ClientHello.
  expect_fatal(
      deliver(peer.plain_message(msgs::encode_message(hello_retry(NamedGroup::x25519)).value())),
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, HelloRetryRequestForAGroupNotOffered) {
  // RFC 8446 §4.2.8: the selected group MUST be in the original supported_groups.
  expect_fatal(
      deliver(peer.plain_message(msgs::encode_message(hello_retry(NamedGroup::x448)).value())),
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, CipherSuiteChangedAfterHelloRetryRequest) {
  retry(NamedGroup::secp256r1, CipherSuite::tls_aes_128_gcm_sha256);
  auto sh = server_hello(NamedGroup::secp256r1);
  sh.cipher_suite = CipherSuite::tls_chacha20_poly1305_sha256;
  // RFC 8446 §4.1.4: the ServerHello MUST keep the HelloRetryRequest's suite.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, ServerHelloIgnoresTheRetriedGroup) {
  retry(NamedGroup::secp256r1);
  // The second ClientHello only shares secp256r1.
  auto sh = server_hello(NamedGroup::x25519);
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(sh).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, HandshakeAfterHelloRetryRequestCompletes) {
  retry(NamedGroup::secp256r1);
  ASSERT_OK(deliver(concat({hello(NamedGroup::secp256r1), encrypted_extensions(), certificate(),
                            certificate_verify(), finished()})));
  EXPECT_TRUE(client->handshake_complete());
  EXPECT_TRUE(client->info().hello_retry);
}

TEST_F(HostileServer, HelloRetryRequestWithOnlyACookieIsEchoed) {
  auto hrr = hello_retry(std::nullopt);
  hrr.extensions.push_back(msgs::to_extension(msgs::Cookie{Bytes(20, 0xc5)}).value());
  peer.set_suite(hrr.cipher_suite);
  ASSERT_TRUE(peer.transcript().replace_client_hello_with_message_hash().ok());
  ASSERT_OK(deliver(peer.plain_message(msgs::encode_message(hrr).value())));
  peer.take(*client);
  auto second = msgs::ClientHello::decode(peer.received().back().body());
  ASSERT_TRUE(second.ok());
  // RFC 8446 §4.2.2: the client echoes the cookie in its new ClientHello.
  auto cookie = msgs::find_as<msgs::Cookie>(second->extensions);
  ASSERT_TRUE(cookie.ok() && cookie->has_value());
  EXPECT_EQ((*cookie)->cookie, Bytes(20, 0xc5));
}

TEST_F(HostileServer, HelloRetryRequestWithAnUnsolicitedExtension) {
  auto hrr = hello_retry(NamedGroup::secp256r1);
  hrr.extensions.push_back({static_cast<ExtensionType>(0x4a4a), {}});
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(hrr).value())),
               ErrorCode::unsupported_extension, Alert::unsupported_extension);
}

// --- the encrypted flight ---------------------------------------------------------------------

TEST_F(HostileServer, CertificateBeforeEncryptedExtensions) {
  ASSERT_OK(deliver(hello()));
  // RFC 8446 §4: messages MUST be sent in order; anything else is unexpected_message.
  expect_fatal(deliver(certificate()), ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, EncryptedExtensionsTwice) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  expect_fatal(deliver(encrypted_extensions()), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileServer, FinishedBeforeCertificate) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  expect_fatal(deliver(finished()), ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, KeyShareInEncryptedExtensions) {
  ASSERT_OK(deliver(hello()));
  msgs::Extension ks{ExtensionType::key_share, {}};
  // RFC 8446 §4.2: key_share is not specified for EncryptedExtensions.
  expect_fatal(deliver(encrypted_extensions({ks})), ErrorCode::illegal_parameter,
               Alert::illegal_parameter);
}

TEST_F(HostileServer, UnsolicitedAlpnInEncryptedExtensions) {
  ASSERT_OK(deliver(hello()));
  expect_fatal(deliver(encrypted_extensions({msgs::to_extension(msgs::Alpn{{"h2"}}).value()})),
               ErrorCode::unsupported_extension, Alert::unsupported_extension);
}

TEST_F(HostileServer, AlpnNotOffered) {
  auto options = client_options_trusting(kEcdsaCertPem);
  options.alpn = {"h2"};
  peer = Peer(Plays::server);
  start(std::move(options));
  ASSERT_OK(deliver(hello()));
  // RFC 7301 §3.1: the server's protocol must be one the client offered.
  expect_fatal(deliver(encrypted_extensions({msgs::to_extension(msgs::Alpn{{"spdy/3"}}).value()})),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, EmptyCertificate) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  // RFC 8446 §4.4.2.4: an empty server Certificate MUST be answered with decode_error.
  expect_fatal(deliver(certificate({})), ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer, CertificateWithARequestContext) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  msgs::Certificate cert;
  cert.certificate_request_context = {1};
  cert.certificate_list.push_back({chain().front(), {}});
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cert).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, UntrustedCertificate) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  expect_fatal(deliver(certificate({first_der(kRsaCertPem)})), ErrorCode::certificate_untrusted,
               Alert::certificate_unknown);
}

TEST_F(HostileServer, GarbageCertificateWithoutVerification) {
  auto options = client_options_trusting(kEcdsaCertPem);
  options.verifier = nullptr;
  options.insecure_skip_verify = true;
  peer = Peer(Plays::server);
  start(std::move(options));
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  expect_fatal(deliver(certificate({Der{0x30, 0x03, 0x02, 0x01, 0x01}})),
               ErrorCode::bad_certificate, Alert::bad_certificate);
}

TEST_F(HostileServer, TooManyCertificatesInTheChain) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  std::vector<Der> ders(limits::kMaxCertificateChain + 1, chain().front());
  expect_fatal(deliver(certificate(ders)), ErrorCode::bad_certificate, Alert::bad_certificate);
}

TEST_F(HostileServer, UnsolicitedCertificateEntryExtension) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  msgs::Certificate cert;
  cert.certificate_list.push_back(
      {chain().front(), {msgs::Extension{ExtensionType::signed_certificate_timestamp, {0, 0}}}});
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cert).value())),
               ErrorCode::unsupported_extension, Alert::unsupported_extension);
}

TEST_F(HostileServer, BadCertificateVerifySignature) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions(), certificate()})));
  auto cv = signed_transcript();
  cv.signature[cv.signature.size() / 2] ^= 1;
  // RFC 8446 §4.4.3: a signature that does not verify is a decrypt_error.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cv).value())),
               ErrorCode::bad_signature, Alert::decrypt_error);
  // A chain that verified is no verified peer without the proof of its key.
  EXPECT_FALSE(client->info().peer_verified);
  EXPECT_TRUE(client->info().peer_certificates.empty());
  EXPECT_FALSE(client->info().peer_signature_scheme.has_value());
}

TEST_F(HostileServer, PeerIsVerifiedOnlyOnceItsFinishedIs) {
  up_to_finished();
  EXPECT_FALSE(client->info().peer_verified) << "verified before the server's Finished";
  EXPECT_TRUE(client->info().peer_certificates.empty());
  complete_from_finished();
  EXPECT_TRUE(client->info().peer_verified);
  EXPECT_EQ(client->info().peer_certificates, chain());
  EXPECT_EQ(client->info().peer_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
}

TEST_F(HostileServer, CertificateVerifyOverTheWrongTranscript) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions(), certificate()})));
  peer.transcript().add(framed(HandshakeType::key_update, Bytes{0}));  // the peer's view drifts
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(signed_transcript()).value())),
               ErrorCode::bad_signature, Alert::decrypt_error);
}

TEST_F(HostileServer, CertificateVerifyWithASchemeNotOffered) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions(), certificate()})));
  auto cv = signed_transcript();
  cv.algorithm = SignatureScheme::rsa_pkcs1_sha256;  // RFC 8446 §4.4.3: not for CertificateVerify
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cv).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, BadFinished) {
  up_to_finished();
  Bytes body = peer.finished_body();
  body[0] ^= 1;
  // RFC 8446 §4.4.4: a Finished that does not verify is a decrypt_error.
  expect_fatal(deliver(peer.seal_message(framed(HandshakeType::finished, body))),
               ErrorCode::bad_finished, Alert::decrypt_error);
  EXPECT_FALSE(client->info().peer_verified);
  EXPECT_TRUE(client->info().peer_certificates.empty());
}

TEST_F(HostileServer, FinishedOfTheWrongLength) {
  up_to_finished();
  Bytes body = peer.finished_body();
  body.push_back(0);
  expect_fatal(deliver(peer.seal_message(framed(HandshakeType::finished, body))),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer, KeyUpdateDuringTheHandshake) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  // RFC 8446 §4.6.3: KeyUpdate only after the handshake; before it is out of order.
  expect_fatal(
      deliver(peer.seal(ContentType::handshake, msgs::encode_message(msgs::KeyUpdate{}).value())),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, CertificateRequestWithAContext) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  msgs::CertificateRequest request;
  request.certificate_request_context = {1, 2};
  request.extensions.push_back(
      msgs::to_extension(msgs::SignatureAlgorithms{{SignatureScheme::ed25519}}).value());
  // RFC 8446 §4.3.2: the context is empty during the handshake.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(request).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, CertificateRequestWithoutSignatureAlgorithms) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  msgs::CertificateRequest request;
  request.extensions.push_back({static_cast<ExtensionType>(0x7a7a), {}});
  // RFC 8446 §4.3.2: signature_algorithms MUST be specified (missing_extension).
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(request).value())),
               ErrorCode::missing_extension, Alert::missing_extension);
}

TEST_F(HostileServer, NewSessionTicketBeforeTheHandshakeEnds) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions(), certificate()})));
  msgs::NewSessionTicket ticket;
  ticket.ticket = Bytes(8, 1);
  // RFC 8446 §4.6.1: tickets come after the client's Finished.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(ticket).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, EndOfEarlyDataFromAServer) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  expect_fatal(deliver(peer.seal_message(framed(HandshakeType::end_of_early_data, {}))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

// --- records during the handshake -------------------------------------------------------------

TEST_F(HostileServer, PlaintextHandshakeAfterKeys) {
  ASSERT_OK(deliver(hello()));
  msgs::EncryptedExtensions ee;
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(ee).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, ServerHelloAndEncryptedExtensionsInOneRecord) {
  auto sh = msgs::encode_message(server_hello()).value();
  msgs::EncryptedExtensions ee;
  // RFC 8446 §5.1: a message before a key change MUST end its record (unexpected_message).
  expect_fatal(
      deliver(raw_record(ContentType::handshake, concat({sh, msgs::encode_message(ee).value()}))),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, BadAeadTag) {
  ASSERT_OK(deliver(hello()));
  Bytes record = encrypted_extensions();
  record.back() ^= 1;
  // RFC 8446 §5.2: a record that does not decrypt MUST be answered with bad_record_mac.
  expect_fatal(deliver(record), ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

TEST_F(HostileServer, RecordTooShortForATag) {
  ASSERT_OK(deliver(hello()));
  expect_fatal(deliver(raw_record(ContentType::application_data, Bytes(10, 0))),
               ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

TEST_F(HostileServer, EncryptedApplicationDataBeforeFinished) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  // RFC 8446 §2: no application data before the handshake completes (no 0-RTT from servers).
  expect_fatal(deliver(peer.seal(ContentType::application_data, bytes_of("early"))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, PlaintextApplicationDataBeforeKeys) {
  expect_fatal(deliver(raw_record(ContentType::application_data, bytes_of("hello"))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, EncryptedChangeCipherSpec) {
  ASSERT_OK(deliver(hello()));
  // RFC 8446 §5: a protected change_cipher_spec record MUST be answered with unexpected_message.
  const uint8_t inner[] = {0x01, static_cast<uint8_t>(ContentType::change_cipher_spec)};
  expect_fatal(deliver(peer.seal_inner(inner)), ErrorCode::bad_content_type,
               Alert::unexpected_message);
}

TEST_F(HostileServer, EmptyEncryptedHandshakeRecord) {
  ASSERT_OK(deliver(hello()));
  // RFC 8446 §5.4: zero-length Handshake content MUST be answered with unexpected_message, even
  // when padded.
  const uint8_t inner[] = {static_cast<uint8_t>(ContentType::handshake), 0, 0, 0};
  expect_fatal(deliver(peer.seal_inner(inner)), ErrorCode::empty_record, Alert::unexpected_message);
}

TEST_F(HostileServer, OversizedInnerPlaintext) {
  ASSERT_OK(deliver(hello()));
  // RFC 8446 §5.4: TLSInnerPlaintext over 2^14 + 1 bytes MUST get record_overflow, though the
  // ciphertext length (2^14 + 2 + 16) is within its own bound.
  Bytes inner(limits::kMaxPlaintext + 1, 'x');
  inner.push_back(static_cast<uint8_t>(ContentType::application_data));
  expect_fatal(deliver(peer.seal_inner(inner)), ErrorCode::record_overflow, Alert::record_overflow);
}

TEST_F(HostileServer, ZeroLengthHandshakeRecord) {
  // RFC 8446 §5.1: zero-length handshake fragments are forbidden.
  expect_fatal(deliver(raw_record(ContentType::handshake, Bytes{})), ErrorCode::empty_record,
               Alert::unexpected_message);
}

TEST_F(HostileServer, OversizedPlaintextRecord) {
  // RFC 8446 §5.1: over 2^14 bytes MUST be answered with record_overflow; the header suffices.
  expect_fatal(deliver(raw_record(22, Bytes{}, 0x0303, limits::kMaxPlaintext + 1)),
               ErrorCode::record_overflow, Alert::record_overflow);
}

TEST_F(HostileServer, OversizedProtectedRecord) {
  ASSERT_OK(deliver(hello()));
  // RFC 8446 §5.2: TLSCiphertext.length over 2^14 + 256 is a record_overflow.
  expect_fatal(deliver(raw_record(23, Bytes{}, 0x0303, limits::kMaxCiphertext13 + 1)),
               ErrorCode::record_overflow, Alert::record_overflow);
}

TEST_F(HostileServer, UnknownContentType) {
  // RFC 8446 §5: an unexpected record type MUST be answered with unexpected_message.
  expect_fatal(deliver(raw_record(24, Bytes{1, 2, 3})), ErrorCode::bad_content_type,
               Alert::unexpected_message);
}

TEST_F(HostileServer, AlertOfTheWrongLength) {
  expect_fatal(deliver(raw_record(ContentType::alert, Bytes{2, 40, 0})), ErrorCode::decode_error,
               Alert::decode_error);
}

TEST_F(HostileServer, HandshakeMessageOverTheSizeCap) {
  // A header announcing more than the cap is refused before any body arrives.
  Bytes header{static_cast<uint8_t>(HandshakeType::server_hello), 0x01, 0x00, 0x01};
  expect_fatal(deliver(raw_record(ContentType::handshake, header)), ErrorCode::message_too_large,
               Alert::decode_error);
}

TEST_F(HostileServer, ClientHelloFromAServerHasTheOrdinaryBound) {
  // Only a server reads ClientHellos past 64 KiB; a client refuses one at its header.
  Bytes header{static_cast<uint8_t>(HandshakeType::client_hello), 0x01, 0x00, 0x01};
  expect_fatal(deliver(raw_record(ContentType::handshake, header)), ErrorCode::message_too_large,
               Alert::decode_error);
}

TEST_F(HostileServer, UnknownHandshakeType) {
  expect_fatal(
      deliver(raw_record(ContentType::handshake, framed(static_cast<HandshakeType>(99), {}))),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, MalformedChangeCipherSpec) {
  // RFC 8446 §5: any change_cipher_spec value but 0x01 MUST be answered with unexpected_message.
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{2})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, EmptyChangeCipherSpec) {
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, CompatibilityChangeCipherSpecIsDropped) {
  ASSERT_OK(
      deliver(concat({hello(), raw_record(ContentType::change_cipher_spec, Bytes{1}),
                      encrypted_extensions(), certificate(), certificate_verify(), finished()})));
  EXPECT_TRUE(client->handshake_complete());
}

TEST_F(HostileServer, ChangeCipherSpecFloodIsBounded) {
  // RFC 8446 §5: each one inside the window is dropped, but not without end.
  const Bytes ccs = raw_record(ContentType::change_cipher_spec, Bytes{1});
  ASSERT_OK(deliver(concat({hello(), ccs, ccs})));
  Bytes flood;
  for (unsigned i = 0; i < limits::kMaxEmptyRecords; ++i)
    flood.insert(flood.end(), ccs.begin(), ccs.end());
  expect_fatal(deliver(flood), ErrorCode::too_many_messages, Alert::unexpected_message);
}

TEST_F(HostileServer, FatalAlertFromThePeer) {
  auto result = deliver(raw_record(ContentType::alert, Bytes{2, 40}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::peer_alert);
  EXPECT_EQ(result.error().received, Alert::handshake_failure);
  // No alert answers an alert, and the connection is over.
  EXPECT_TRUE(client->pending_output().empty());
  EXPECT_TRUE(client->failed());
  EXPECT_FALSE(client->wants_read());
}

TEST_F(HostileServer, CloseNotifyDuringTheHandshake) {
  auto result = deliver(raw_record(ContentType::alert, Bytes{1, 0}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::peer_alert);
  EXPECT_FALSE(client->handshake_complete());
}

// --- resources --------------------------------------------------------------------------------

TEST_F(HostileServer, ServerThatTricklesOneByteAtATimeStillCompletes) {
  Bytes flight = concat({hello(), raw_record(ContentType::change_cipher_spec, Bytes{1}),
                         encrypted_extensions(), certificate(), certificate_verify(), finished()});
  for (uint8_t b : flight) ASSERT_OK(client->receive(std::span(&b, 1)));
  EXPECT_TRUE(client->handshake_complete());
}

TEST_F(HostileServer, HandshakeMessageInOneByteRecords) {
  // Legal (RFC 8446 §5.1 lets messages span records) and bounded by the message cap.
  Bytes sh = msgs::encode_message(server_hello()).value();
  peer.set_suite(CipherSuite::tls_aes_128_gcm_sha256);
  peer.transcript().add(sh);
  Bytes records;
  record::append_plaintext_records(ContentType::handshake, sh, records, 0x0303, 1);
  ASSERT_OK(deliver(records));
  EXPECT_EQ(client->info().cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
}

TEST_F(HostileServer, ApplicationDataRightAfterTheServerFinished) {
  up_to_finished();
  // 0.5-RTT data (RFC 8446 §2) in the same flight as the Finished is delivered.
  Bytes fin = finished();
  peer.write_with_application_keys();
  ASSERT_OK(deliver(concat({fin, peer.seal(ContentType::application_data, bytes_of("half"))})));
  EXPECT_EQ(read_all(*client), "half");
}

TEST_F(HostileServer, WarningAlertFlood) {
  complete();
  Bytes flood;
  for (unsigned i = 0; i <= limits::kMaxWarningAlerts; ++i) {
    auto r = peer.seal(ContentType::alert, Bytes{1, static_cast<uint8_t>(Alert::user_canceled)});
    flood.insert(flood.end(), r.begin(), r.end());
  }
  expect_fatal(deliver(flood), ErrorCode::too_many_messages, Alert::unexpected_message);
}

TEST_F(HostileServer, EmptyApplicationDataFlood) {
  complete();
  Bytes flood;
  for (unsigned i = 0; i <= limits::kMaxEmptyRecords; ++i) {
    auto r = peer.seal(ContentType::application_data, Bytes{});
    flood.insert(flood.end(), r.begin(), r.end());
  }
  expect_fatal(deliver(flood), ErrorCode::empty_record, Alert::unexpected_message);
}

// --- after the handshake ----------------------------------------------------------------------

TEST_F(HostileServer, KeyUpdateIsAnsweredAndKeysChange) {
  complete();
  auto ku = msgs::encode_message(msgs::KeyUpdate{msgs::KeyUpdateRequest::update_requested}).value();
  ASSERT_OK(deliver(peer.seal(ContentType::handshake, ku)));
  ASSERT_TRUE(peer.update_write_keys());
  ASSERT_OK(deliver(peer.seal(ContentType::application_data, bytes_of("after"))));
  EXPECT_EQ(read_all(*client), "after");
}

TEST_F(HostileServer, KeyUpdateFlood) {
  complete();
  auto ku =
      msgs::encode_message(msgs::KeyUpdate{msgs::KeyUpdateRequest::update_not_requested}).value();
  Result<void> result;
  for (unsigned i = 0; i <= limits::kMaxKeyUpdatesInARow && result.ok(); ++i) {
    result = deliver(peer.seal(ContentType::handshake, ku));
    ASSERT_TRUE(peer.update_write_keys());
  }
  expect_fatal(result, ErrorCode::too_many_key_updates, Alert::unexpected_message);
}

TEST_F(HostileServer, KeyUpdateWithABadValue) {
  complete();
  // RFC 8446 §4.6.3: any value but 0 or 1 MUST be answered with illegal_parameter.
  expect_fatal(
      deliver(peer.seal(ContentType::handshake, framed(HandshakeType::key_update, Bytes{2}))),
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer, KeyUpdateNotAtTheEndOfItsRecord) {
  complete();
  auto ku = msgs::encode_message(msgs::KeyUpdate{}).value();
  Bytes partial{static_cast<uint8_t>(HandshakeType::new_session_ticket), 0, 0, 20};
  // RFC 8446 §5.1: a message before a key change MUST end its record.
  expect_fatal(deliver(peer.seal(ContentType::handshake, concat({ku, partial}))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, HandshakeMessageNotAllowedAfterTheHandshake) {
  complete();
  expect_fatal(deliver(peer.seal(ContentType::handshake,
                                 msgs::encode_message(msgs::EncryptedExtensions{}).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, ChangeCipherSpecAfterTheHandshake) {
  complete();
  // RFC 8446 §5: change_cipher_spec after the peer's Finished is an unexpected record.
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, PlaintextCloseNotifyAfterProtectedRecordsIsRefused) {
  ASSERT_OK(deliver(concat({hello(), encrypted_extensions()})));
  // Once protected records flow, a plaintext alert may be an on-path forgery: a forged
  // close_notify would truncate the stream (RFC 8446 §6.1). It is unexpected_message.
  expect_fatal(deliver(raw_record(ContentType::alert, Bytes{1, 0})), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileServer, PlaintextAlertBeforeAnyProtectedRecordIsTheServers) {
  ASSERT_OK(deliver(hello()));
  // A server that failed before it could protect anything alerts in the clear.
  auto result = deliver(raw_record(ContentType::alert, Bytes{2, 40}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::peer_alert);
  EXPECT_EQ(result.error().received, Alert::handshake_failure);
}

TEST_F(HostileServer, PlaintextRecordAfterTheHandshake) {
  complete();
  expect_fatal(
      deliver(raw_record(ContentType::handshake, msgs::encode_message(msgs::KeyUpdate{}).value())),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, ApplicationDataInsideAFragmentedHandshakeMessage) {
  complete();
  msgs::NewSessionTicket ticket;
  ticket.ticket = Bytes(16, 7);
  auto nst = msgs::encode_message(ticket).value();
  Bytes first(nst.begin(), nst.begin() + 10);
  Bytes rest(nst.begin() + 10, nst.end());
  // RFC 8446 §5.1: when a handshake message spans records, no other record may come between.
  auto result = deliver(concat({peer.seal(ContentType::handshake, first),
                                peer.seal(ContentType::application_data, bytes_of("x")),
                                peer.seal(ContentType::handshake, rest)}));
  expect_fatal(result, ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, ChangeCipherSpecInsideAFragmentedServerHello) {
  Bytes sh = msgs::encode_message(server_hello()).value();
  Bytes first(sh.begin(), sh.begin() + 20);
  Bytes rest(sh.begin() + 20, sh.end());
  // RFC 8446 §5.1: no other record between the fragments of a handshake message.
  expect_fatal(deliver(concat({raw_record(ContentType::handshake, first),
                               raw_record(ContentType::change_cipher_spec, Bytes{1}),
                               raw_record(ContentType::handshake, rest)})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, WarningAlertInsideAFragmentedMessage) {
  complete();
  auto ku = msgs::encode_message(msgs::KeyUpdate{}).value();
  expect_fatal(
      deliver(concat({peer.seal(ContentType::handshake, Bytes(ku.begin(), ku.begin() + 2)),
                      peer.seal(ContentType::alert, Bytes{1, 90}),
                      peer.seal(ContentType::handshake, Bytes(ku.begin() + 2, ku.end()))})),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer, NewSessionTicketIsCheckedAndKept) {
  complete();
  msgs::NewSessionTicket ticket;
  ticket.ticket_lifetime = 3600;
  ticket.ticket = Bytes(32, 9);
  ASSERT_OK(deliver(peer.seal(ContentType::handshake, msgs::encode_message(ticket).value())));
  Bytes body = ticket.encode().value();
  body.resize(body.size() - 1);
  expect_fatal(
      deliver(peer.seal(ContentType::handshake, framed(HandshakeType::new_session_ticket, body))),
      ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer, PartialRecordWaitsForTheRest) {
  complete();
  Bytes record = peer.seal(ContentType::application_data, bytes_of("split"));
  ASSERT_OK(deliver(Bytes(record.begin(), record.begin() + 9)));
  EXPECT_TRUE(client->wants_read());
  EXPECT_EQ(client->readable(), 0u);
  ASSERT_OK(deliver(Bytes(record.begin() + 9, record.end())));
  EXPECT_EQ(read_all(*client), "split");
}

TEST_F(HostileServer, UnknownFatalAlertIsReported) {
  complete();
  auto result = deliver(peer.seal(ContentType::alert, Bytes{2, 255}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::peer_alert);
  EXPECT_EQ(result.error().received, static_cast<Alert>(255));
  EXPECT_TRUE(client->pending_output().empty());
}

TEST_F(HostileServer, BadTagAfterTheHandshake) {
  complete();
  Bytes record = peer.seal(ContentType::application_data, bytes_of("data"));
  record[7] ^= 0x80;
  expect_fatal(deliver(record), ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

TEST_F(HostileServer, ReadOnAnEmptyConnection) {
  std::array<uint8_t, 4> buf{};
  EXPECT_EQ(client->read(buf), 0u);
  EXPECT_EQ(client->read(std::span<uint8_t>{}), 0u);
}

}  // namespace
}  // namespace bastion::test::hostile
