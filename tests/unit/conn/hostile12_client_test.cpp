// Our TLS 1.2 server against a scripted, hostile client: out-of-order and skipped messages,
// change_cipher_spec at the wrong time, bad lengths, missing and duplicate extensions,
// compression, FALLBACK_SCSV, an SSLv2-format hello, invalid points, tampered Finished and
// records, renegotiation. Each failure asserts the exact alert and that the connection is dead.
#include <gtest/gtest.h>

#include "unit/conn/loopback.hpp"
#include "unit/conn/tls12_peer.hpp"

namespace bastion::test {
namespace {

using namespace hostile;
using msgs::ClientHello;

constexpr auto kSuite = CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;

class HostileClient12 : public ::testing::Test {
 protected:
  void SetUp() override { start(server_options_with(kEcdsaCertPem, kEcdsaKeyPem)); }

  void start(ServerOptions options) {
    auto made = ServerConfig::create(std::move(options));
    ASSERT_TRUE(made.ok()) << made.error().message();
    config = *made;
    auto s = ServerConnection::create(config);
    ASSERT_TRUE(s.ok());
    server.emplace(std::move(s).value());
  }

  static msgs::Extension ext(Result<msgs::Extension> e) { return std::move(e).value(); }

  // A TLS 1.2 ClientHello (no supported_versions) for the ECDSA suite.
  ClientHello client_hello() {
    ClientHello ch;
    ch.random.fill(0x17);
    ch.cipher_suites = {kSuite};
    ch.extensions.push_back(ext(msgs::to_extension(msgs::ServerName{"localhost"})));
    ch.extensions.push_back(ext(msgs::to_extension(msgs::SupportedGroups{{NamedGroup::x25519}})));
    ch.extensions.push_back(ext(msgs::to_extension(msgs::SignatureAlgorithms{
        {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::rsa_pss_rsae_sha256}})));
    ch.extensions.push_back(ext(msgs::to_extension(msgs::EcPointFormats{})));
    ch.extensions.push_back(ext(msgs::to_extension(msgs::ExtendedMasterSecret{})));
    ch.extensions.push_back(ext(msgs::to_extension(msgs::RenegotiationInfo{})));
    return ch;
  }
  Bytes hello(const ClientHello& ch) {
    peer.set_client_random(ch.random);
    peer.set_extended_master_secret(
        msgs::contains(ch.extensions, ExtensionType::extended_master_secret));
    return peer.message(msgs::encode_message(ch).value());
  }
  Result<void> deliver(const Bytes& bytes) { return server->receive(bytes); }

  // Sends the ClientHello and reads the server's flight up to ServerHelloDone.
  void first_flight(const ClientHello& ch) {
    ASSERT_OK(deliver(hello(ch)));
    peer.take(*server);
    ASSERT_GE(peer.received().size(), 4u);
    ASSERT_EQ(peer.received().back().type, HandshakeType::server_hello_done);
    ASSERT_TRUE(peer.server_group_.has_value());
  }
  void first_flight() { first_flight(client_hello()); }
  Bytes key_exchange() {
    msgs::ClientKeyExchangeEcdhe cke{peer.make_share(*peer.server_group_)};
    return peer.message(msgs::encode_message(cke).value());
  }
  void complete(const ClientHello& ch) {
    first_flight(ch);
    ASSERT_OK(deliver(concat({key_exchange(), peer.change_cipher_spec(), peer.finished()})));
    ASSERT_TRUE(server->handshake_complete());
    peer.take(*server);
    ASSERT_TRUE(peer.ccs_received());
    ASSERT_TRUE(peer.peer_finished_verified()) << "the server's Finished does not verify";
  }
  void complete() { complete(client_hello()); }

  void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert) {
    hostile::expect_fatal(result, code, alert, *server, peer);
  }
  template <class Edit>
  void expect_hello_refused(Edit edit, ErrorCode code, Alert alert) {
    auto ch = client_hello();
    edit(ch);
    expect_fatal(deliver(hello(ch)), code, alert);
  }
  std::optional<msgs::ServerHello> server_hello() const {
    for (const auto& m : peer.received()) {
      if (m.type == HandshakeType::server_hello) return *msgs::ServerHello::decode(m.body());
    }
    return std::nullopt;
  }

  // A second connection to the same server, from a new scripted client.
  void reconnect() {
    peer = Peer12(Plays::client);
    auto s = ServerConnection::create(config);
    ASSERT_TRUE(s.ok());
    server.emplace(std::move(s).value());
  }

  Peer12 peer{Plays::client};
  std::shared_ptr<const ServerConfig> config;
  std::optional<ServerConnection> server;
};

TEST_F(HostileClient12, ScriptedClientCompletesAHandshake) {
  complete();
  EXPECT_EQ(server->info().version, ProtocolVersion::tls12);
  EXPECT_EQ(server->info().cipher_suite, kSuite);
  EXPECT_TRUE(server->info().extended_master_secret);
  ASSERT_OK(deliver(peer.record(ContentType::application_data, bytes_of("hi"))));
  EXPECT_EQ(read_all(*server), "hi");
  ASSERT_OK(server->write(bytes_of("back")));
  auto sent = peer.take(*server);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::string(sent[0].content.begin(), sent[0].content.end()), "back");
}

TEST_F(HostileClient12, TheServerHelloCarriesTheDowngradeSentinel) {
  // RFC 8446 §4.1.3: a server that has TLS 1.3 marks a 1.2 ServerHello.
  first_flight();
  auto sh = server_hello();
  ASSERT_TRUE(sh.has_value());
  EXPECT_TRUE(
      std::equal(msgs::kDowngradeTls12.begin(), msgs::kDowngradeTls12.end(), sh->random.end() - 8));
  for (auto type : {ExtensionType::renegotiation_info, ExtensionType::extended_master_secret}) {
    EXPECT_TRUE(msgs::contains(sh->extensions, type));
  }
}

TEST_F(HostileClient12, NoSentinelFromAServerWithoutTls13) {
  auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  options.max_version = ProtocolVersion::tls12;
  start(std::move(options));
  first_flight();
  auto sh = server_hello();
  ASSERT_TRUE(sh.has_value());
  EXPECT_FALSE(
      std::equal(msgs::kDowngradeTls12.begin(), msgs::kDowngradeTls12.end(), sh->random.end() - 8));
}

TEST_F(HostileClient12, WithoutExtendedMasterSecretTheClassicMasterSecretIsUsed) {
  auto ch = client_hello();
  ch.extensions.erase(ch.extensions.begin() + 4);
  complete(ch);
  EXPECT_FALSE(server->info().extended_master_secret);
}

TEST_F(HostileClient12, RenegotiationScsvInsteadOfTheExtension) {
  auto ch = client_hello();
  ch.extensions.pop_back();
  ch.cipher_suites.push_back(handshake::kEmptyRenegotiationInfoScsv);
  complete(ch);
}

TEST_F(HostileClient12, CompressionListedBesideNullIsNotUsed) {
  auto ch = client_hello();
  ch.legacy_compression_methods = {1, 0};
  complete(ch);
}

TEST_F(HostileClient12, UnknownExtensionsAreIgnored) {
  auto ch = client_hello();
  ch.extensions.push_back(msgs::Extension{static_cast<ExtensionType>(0x7a7a), {1, 2, 3}});
  complete(ch);
}

// --- ClientHello ------------------------------------------------------------------------------

TEST_F(HostileClient12, WithoutSignatureAlgorithms) {
  // Not answered with SHA-1 (RFC 5246 §7.4.1.4.1's default): refused.
  expect_hello_refused([](ClientHello& ch) { ch.extensions.erase(ch.extensions.begin() + 2); },
                       ErrorCode::no_common_signature, Alert::handshake_failure);
}

TEST_F(HostileClient12, WithoutSecureRenegotiation) {
  expect_hello_refused([](ClientHello& ch) { ch.extensions.pop_back(); },
                       ErrorCode::bad_renegotiation_info, Alert::handshake_failure);
}

TEST_F(HostileClient12, NonEmptyRenegotiationInfo) {
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions.back() = ext(msgs::to_extension(msgs::RenegotiationInfo{Bytes(12, 3)}));
      },
      ErrorCode::bad_renegotiation_info, Alert::handshake_failure);
}

TEST_F(HostileClient12, CompressionWithoutNull) {
  expect_hello_refused([](ClientHello& ch) { ch.legacy_compression_methods = {1}; },
                       ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient12, FallbackScsvToAServerWithTls13) {
  // RFC 7507 §3: inappropriate_fallback.
  expect_hello_refused(
      [](ClientHello& ch) { ch.cipher_suites.push_back(handshake::kFallbackScsv); },
      ErrorCode::inappropriate_fallback, Alert::inappropriate_fallback);
}

TEST_F(HostileClient12, FallbackScsvToAServerThatStopsAtTls12) {
  auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  options.max_version = ProtocolVersion::tls12;
  start(std::move(options));
  auto ch = client_hello();
  ch.cipher_suites.push_back(handshake::kFallbackScsv);
  complete(ch);
}

TEST_F(HostileClient12, Tls11AndOlderAreProtocolVersion) {
  // RFC 8996: TLS 1.0 and 1.1 MUST NOT be negotiated.
  for (uint16_t version : {0x0302, 0x0301, 0x0300}) {
    SCOPED_TRACE(version);
    peer = Peer12(Plays::client);
    SetUp();
    expect_hello_refused(
        [&](ClientHello& ch) { ch.legacy_version = static_cast<ProtocolVersion>(version); },
        ErrorCode::protocol_version, Alert::protocol_version);
  }
}

TEST_F(HostileClient12, DuplicateExtension) {
  auto ch = client_hello();
  ch.extensions.push_back(ch.extensions[1]);
  expect_fatal(deliver(raw_record(ContentType::handshake, msgs::encode_message(ch).value())),
               ErrorCode::duplicate_extension, Alert::illegal_parameter);
}

TEST_F(HostileClient12, NoSuiteInCommon) {
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.cipher_suites = {CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256};
      },
      ErrorCode::no_common_cipher_suite, Alert::handshake_failure);
}

TEST_F(HostileClient12, RsaKeyTransportIsNotAcceptedUnlessNamed) {
  expect_hello_refused(
      [](ClientHello& ch) { ch.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256}; },
      ErrorCode::no_common_cipher_suite, Alert::handshake_failure);
}

TEST_F(HostileClient12, OnlyFiniteFieldGroups) {
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions[1] = ext(msgs::to_extension(msgs::SupportedGroups{{NamedGroup::ffdhe2048}}));
      },
      ErrorCode::no_common_group, Alert::handshake_failure);
}

TEST_F(HostileClient12, PointFormatsWithoutUncompressed) {
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions[3] = ext(msgs::to_extension(
            msgs::EcPointFormats{{msgs::EcPointFormat::ansix962_compressed_prime}}));
      },
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient12, NoSchemeForTheServersKey) {
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions[2] = ext(
            msgs::to_extension(msgs::SignatureAlgorithms{{SignatureScheme::rsa_pss_rsae_sha256}}));
      },
      ErrorCode::no_common_signature, Alert::handshake_failure);
}

TEST_F(HostileClient12, SslV2FormatClientHello) {
  // An SSL 2.0 CLIENT-HELLO (RFC 6176 prohibits SSL 2.0): the first byte is no record type.
  const Bytes v2 = {0x80, 0x2e, 0x01, 0x03, 0x03, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10,
                    0xc0, 0x2b, 0x00, 0x00, 0x2f, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00};
  expect_fatal(deliver(v2), ErrorCode::bad_content_type, Alert::unexpected_message);
}

TEST_F(HostileClient12, TruncatedClientHello) {
  Bytes body = msgs::encode_message(client_hello()).value();
  Bytes cut(body.begin() + 4, body.end() - 2);
  expect_fatal(
      deliver(raw_record(ContentType::handshake, framed(HandshakeType::client_hello, cut))),
      ErrorCode::decode_error, Alert::decode_error);
}

// --- ClientKeyExchange, change_cipher_spec, Finished ------------------------------------------

TEST_F(HostileClient12, ChangeCipherSpecBeforeClientKeyExchange) {
  first_flight();
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient12, ChangeCipherSpecBeforeClientHello) {
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient12, FinishedBeforeChangeCipherSpec) {
  first_flight();
  expect_fatal(deliver(concat({key_exchange(), peer.finished()})), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileClient12, FinishedWithoutClientKeyExchange) {
  first_flight();
  expect_fatal(deliver(peer.message(framed(HandshakeType::finished, Bytes(12, 0)))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient12, ClientKeyExchangeTwice) {
  first_flight();
  Bytes cke = key_exchange();
  expect_fatal(deliver(concat({cke, cke})), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileClient12, UnrequestedCertificate) {
  first_flight();
  msgs::Certificate12 cert{{first_der(kEcdsaCertPem)}};
  expect_fatal(deliver(peer.message(msgs::encode_message(cert).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient12, EmptyClientKeyExchange) {
  first_flight();
  expect_fatal(deliver(peer.message(framed(HandshakeType::client_key_exchange, Bytes{0}))),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileClient12, ClientKeyExchangeLengthsDisagree) {
  first_flight();
  expect_fatal(deliver(peer.message(framed(HandshakeType::client_key_exchange, Bytes{40, 1, 2}))),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileClient12, InvalidClientPoints) {
  for (const auto& [name, entry] : invalid_key_shares()) {
    if (entry.group != NamedGroup::x25519 || entry.key_exchange.empty()) continue;
    SCOPED_TRACE(name);
    peer = Peer12(Plays::client);
    SetUp();
    first_flight();
    msgs::ClientKeyExchangeEcdhe cke{entry.key_exchange};
    expect_fatal(deliver(peer.message(msgs::encode_message(cke).value())), ErrorCode::bad_key_share,
                 Alert::illegal_parameter);
  }
}

TEST_F(HostileClient12, PointOfAnotherCurve) {
  auto ch = client_hello();
  ch.extensions[1] = ext(msgs::to_extension(msgs::SupportedGroups{{NamedGroup::secp256r1}}));
  first_flight(ch);
  msgs::ClientKeyExchangeEcdhe cke{peer.make_share(NamedGroup::secp384r1)};
  expect_fatal(deliver(peer.message(msgs::encode_message(cke).value())), ErrorCode::bad_key_share,
               Alert::illegal_parameter);
}

TEST_F(HostileClient12, TamperedFinished) {
  first_flight();
  expect_fatal(deliver(concat({key_exchange(), peer.change_cipher_spec(), peer.finished(true)})),
               ErrorCode::bad_finished, Alert::decrypt_error);
}

TEST_F(HostileClient12, BadRecordMac) {
  first_flight();
  Bytes flight = concat({key_exchange(), peer.change_cipher_spec()});
  Bytes fin = peer.finished();
  fin[8] ^= 1;
  expect_fatal(deliver(concat({flight, fin})), ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

TEST_F(HostileClient12, ApplicationDataBeforeFinished) {
  first_flight();
  Bytes flight = concat({key_exchange(), peer.change_cipher_spec()});
  expect_fatal(deliver(concat({flight, peer.record(ContentType::application_data, bytes_of("x"))})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

// --- resumption -------------------------------------------------------------------------------

TEST_F(HostileClient12, ResumingAnExtendedSessionWithoutTheExtensionIsAborted) {
  // RFC 7627 §5.3: the original session used the extended master secret, the new ClientHello
  // does not: the server MUST abort.
  complete();
  const auto id = server_hello()->legacy_session_id_echo;
  ASSERT_EQ(id.size(), 32u) << "the server gave the session an ID";
  reconnect();
  expect_hello_refused(
      [&](ClientHello& ch) {
        ch.legacy_session_id = id;
        ch.extensions.erase(ch.extensions.begin() + 4);
      },
      ErrorCode::no_extended_master_secret, Alert::handshake_failure);
}

TEST_F(HostileClient12, SessionIdWithAnotherSuiteGivesAFullHandshake) {
  auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  options.cipher_suites = {kSuite, CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384};
  start(std::move(options));
  complete();
  const auto id = server_hello()->legacy_session_id_echo;
  reconnect();
  auto ch = client_hello();
  ch.legacy_session_id = id;
  ch.cipher_suites = {CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384};
  first_flight(ch);
  EXPECT_NE(server_hello()->legacy_session_id_echo, id);
  EXPECT_EQ(server_hello()->cipher_suite, CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384);
}

TEST_F(HostileClient12, ForgedTicketGivesAFullHandshake) {
  auto ch = client_hello();
  ch.extensions.push_back(ext(msgs::to_extension(msgs::SessionTicket{Bytes(120, 0x5a)})));
  ch.legacy_session_id.assign(32, 9);
  first_flight(ch);
  EXPECT_NE(server_hello()->legacy_session_id_echo, ch.legacy_session_id);
  EXPECT_EQ(peer.received()[1].type, HandshakeType::certificate);
}

// --- after the handshake ----------------------------------------------------------------------

TEST_F(HostileClient12, RenegotiationIsRefusedWithAWarning) {
  complete();
  ASSERT_OK(
      deliver(peer.record(ContentType::handshake, msgs::encode_message(client_hello()).value())));
  auto sent = peer.take(*server);
  auto alert = Peer::last_alert(sent);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->first, 1);
  EXPECT_EQ(alert->second, Alert::no_renegotiation);
  ASSERT_OK(deliver(peer.record(ContentType::application_data, bytes_of("still"))));
  EXPECT_EQ(read_all(*server), "still");
}

TEST_F(HostileClient12, EndlessRenegotiationIsCutOff) {
  complete();
  const Bytes again = msgs::encode_message(client_hello()).value();
  Result<void> result;
  for (unsigned i = 0; i <= limits::kMaxWarningAlerts && result.ok(); ++i) {
    result = deliver(peer.record(ContentType::handshake, again));
  }
  expect_fatal(result, ErrorCode::too_many_messages, Alert::unexpected_message);
}

TEST_F(HostileClient12, NoRenegotiationWarningFromTheClientIsSurvived) {
  complete();
  const uint8_t warning[] = {1, static_cast<uint8_t>(Alert::no_renegotiation)};
  ASSERT_OK(deliver(peer.record(ContentType::alert, warning)));
  EXPECT_FALSE(server->failed());
}

TEST_F(HostileClient12, ChangeCipherSpecAfterTheHandshake) {
  complete();
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

using namespace hostile;

// RSA key transport, named on the server: whatever the client's ciphertext holds, the server
// says nothing until the Finished, where every bad case fails the same way (RFC 5246
// §7.4.7.1, against Bleichenbacher's oracle).
class HostileRsaClient12 : public HostileClient12 {
 protected:
  void SetUp() override {
    auto options = server_options_with(kRsaCertPem, kRsaKeyPem);
    options.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
    start(std::move(options));
  }
  ClientHello rsa_hello() {
    auto ch = client_hello();
    ch.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
    return ch;
  }
  void first_rsa_flight() {
    ASSERT_OK(deliver(hello(rsa_hello())));
    peer.take(*server);
    ASSERT_EQ(peer.received().back().type, HandshakeType::server_hello_done);
    ASSERT_EQ(peer.received().size(), 3u) << "no ServerKeyExchange";
  }
  Bytes encrypted(std::span<const uint8_t> plaintext) {
    auto pub = handshake::peer_public_key(peer.provider(), first_der(kRsaCertPem));
    EXPECT_TRUE(pub.ok());
    auto c = (*pub)->encrypt_pkcs1(plaintext);
    EXPECT_TRUE(c.ok());
    return *c;
  }
  static Bytes pre_master(uint8_t minor = 3) {
    Bytes pms(48, 0x61);
    pms[0] = 3;
    pms[1] = minor;
    return pms;
  }
  // Sends the key exchange (nothing comes back), then change_cipher_spec and Finished.
  Result<void> finish_with(const Bytes& ciphertext, const Bytes& claimed) {
    auto ok = deliver(peer.rsa_key_exchange(ciphertext, claimed));
    EXPECT_TRUE(ok.ok());
    EXPECT_TRUE(server->pending_output().empty()) << "the server answered the key exchange";
    EXPECT_FALSE(server->failed());
    return deliver(concat({peer.change_cipher_spec(), peer.finished()}));
  }
};

TEST_F(HostileRsaClient12, AGoodPreMasterSecretCompletes) {
  first_rsa_flight();
  const Bytes pms = pre_master();
  ASSERT_OK(finish_with(encrypted(pms), pms));
  EXPECT_TRUE(server->handshake_complete());
  EXPECT_FALSE(server->info().group.has_value());
}

TEST_F(HostileRsaClient12, GarbageFailsOnlyAtTheFinished) {
  first_rsa_flight();
  expect_fatal(finish_with(Bytes(256, 0x42), pre_master()), ErrorCode::bad_record_mac,
               Alert::bad_record_mac);
}

TEST_F(HostileRsaClient12, AWrongVersionFailsTheSameWay) {
  first_rsa_flight();
  const Bytes tls10 = pre_master(1);
  expect_fatal(finish_with(encrypted(tls10), tls10), ErrorCode::bad_record_mac,
               Alert::bad_record_mac);
}

TEST_F(HostileRsaClient12, AShortCiphertextFailsTheSameWay) {
  first_rsa_flight();
  expect_fatal(finish_with(Bytes(16, 1), pre_master()), ErrorCode::bad_record_mac,
               Alert::bad_record_mac);
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

using namespace hostile;

// A server that requires a client certificate: the client's Certificate and CertificateVerify.
class HostileClientAuth12 : public HostileClient12 {
 protected:
  void SetUp() override {
    auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    options.client_auth = ClientAuth::require;
    options.client_verifier = exact_certificate_verifier({first_der(kEcdsaCertPem)});
    start(std::move(options));
  }
  // Everything up to the CertificateVerify: our Certificate and ClientKeyExchange.
  Bytes certificate_and_key_exchange() {
    first_flight();
    EXPECT_EQ(peer.received()[3].type, HandshakeType::certificate_request);
    msgs::Certificate12 cert{{first_der(kEcdsaCertPem)}};
    Bytes out = peer.message(msgs::encode_message(cert).value());
    return concat({out, key_exchange()});
  }
};

TEST_F(HostileClientAuth12, BadCertificateVerifySignature) {
  Bytes before = certificate_and_key_exchange();
  msgs::CertificateVerify cv{SignatureScheme::ecdsa_secp256r1_sha256, Bytes(70, 0x30)};
  expect_fatal(deliver(concat({before, peer.message(msgs::encode_message(cv).value())})),
               ErrorCode::bad_signature, Alert::decrypt_error);
}

TEST_F(HostileClientAuth12, CertificateVerifyWithASchemeNotRequested) {
  Bytes before = certificate_and_key_exchange();
  msgs::CertificateVerify cv{static_cast<SignatureScheme>(0x0203), Bytes(70, 0x30)};
  expect_fatal(deliver(concat({before, peer.message(msgs::encode_message(cv).value())})),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAuth12, ChangeCipherSpecInsteadOfTheCertificateVerify) {
  Bytes before = certificate_and_key_exchange();
  expect_fatal(deliver(concat({before, raw_record(ContentType::change_cipher_spec, Bytes{1})})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

}  // namespace
}  // namespace bastion::test
