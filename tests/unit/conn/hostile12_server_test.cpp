// Our TLS 1.2 client against a scripted, hostile server: messages out of order, skipped or
// repeated, bad lengths, unsolicited and duplicate extensions, choices that were not offered,
// invalid points, bad signatures, tampered Finished and records, renegotiation requests. Each
// failure asserts the exact alert and that the connection is dead.
#include <gtest/gtest.h>

#include "unit/conn/hostile12_server.hpp"
#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

using namespace hostile;
using msgs::ServerHello;

TEST_F(HostileServer12, ScriptedServerCompletesAHandshake) {
  complete();
  EXPECT_EQ(client->info().version, ProtocolVersion::tls12);
  EXPECT_TRUE(client->info().extended_master_secret);
  EXPECT_TRUE(client->info().peer_verified);
  ASSERT_OK(deliver(peer.record(ContentType::application_data, bytes_of("hi"))));
  EXPECT_EQ(read_all(*client), "hi");
  ASSERT_OK(client->write(bytes_of("back")));
  auto sent = peer.take(*client);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::string(sent[0].content.begin(), sent[0].content.end()), "back");
}

TEST_F(HostileServer12, TheClientHelloOffersWhatTls12Needs) {
  // RFC 7627 §5.1, RFC 5746 §3.4, RFC 8422 §5.1.2; no TLS 1.3 extensions when 1.3 is off.
  for (auto type : {ExtensionType::extended_master_secret, ExtensionType::renegotiation_info,
                    ExtensionType::ec_point_formats, ExtensionType::signature_algorithms,
                    ExtensionType::supported_groups}) {
    EXPECT_TRUE(msgs::contains(ch.extensions, type)) << static_cast<int>(type);
  }
  EXPECT_FALSE(msgs::contains(ch.extensions, ExtensionType::supported_versions));
  EXPECT_FALSE(msgs::contains(ch.extensions, ExtensionType::key_share));
  EXPECT_TRUE(ch.legacy_session_id.empty());
  for (CipherSuite s : ch.cipher_suites)
    EXPECT_NE(handshake::find_suite(ProtocolVersion::tls12, s), nullptr);
}

TEST_F(HostileServer12, WithoutExtendedMasterSecretTheClassicMasterSecretIsUsed) {
  auto sh = server_hello();
  sh.extensions.pop_back();
  peer.set_client_random(ch.random);
  ASSERT_OK(deliver(concat({hello(sh), certificate(), key_exchange(), done()})));
  peer.take(*client);
  ASSERT_TRUE(peer.peer_finished_verified());
  ASSERT_OK(deliver(concat({peer.change_cipher_spec(), peer.finished()})));
  EXPECT_TRUE(client->handshake_complete());
  EXPECT_FALSE(client->info().extended_master_secret);
  // RFC 7627 §5.4: such a session MUST NOT export keying material.
  std::vector<uint8_t> out(16);
  auto exported = client->export_keying_material("EXPORTER-test", out);
  ASSERT_FALSE(exported.ok());
  EXPECT_EQ(exported.error().code, ErrorCode::no_extended_master_secret);
}

// --- order ------------------------------------------------------------------------------------

TEST_F(HostileServer12, ServerKeyExchangeMissing) {
  peer.set_client_random(ch.random);
  expect_fatal(deliver(concat({hello(), certificate(), done()})), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileServer12, CertificateMissing) {
  peer.set_client_random(ch.random);
  expect_fatal(deliver(concat({hello(), key_exchange()})), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileServer12, ServerHelloDoneTwice) {
  first_flight();
  expect_fatal(deliver(done()), ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer12, ServerHelloTwice) {
  peer.set_client_random(ch.random);
  expect_fatal(deliver(concat({hello(), hello()})), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileServer12, ChangeCipherSpecBeforeServerHelloDone) {
  peer.set_client_random(ch.random);
  expect_fatal(deliver(concat({hello(), certificate(), key_exchange(),
                               raw_record(ContentType::change_cipher_spec, Bytes{1})})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer12, ChangeCipherSpecBeforeServerHello) {
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer12, FinishedBeforeChangeCipherSpec) {
  first_flight();
  expect_fatal(deliver(peer.finished()), ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer12, ChangeCipherSpecTwice) {
  first_flight();
  expect_fatal(deliver(concat({peer.change_cipher_spec(),
                               raw_record(ContentType::change_cipher_spec, Bytes{1})})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer12, ApplicationDataBeforeFinished) {
  first_flight();
  Bytes ccs = peer.change_cipher_spec();
  expect_fatal(deliver(concat({ccs, peer.record(ContentType::application_data, bytes_of("x"))})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileServer12, NewSessionTicketThatWasNotAnnounced) {
  first_flight();
  msgs::NewSessionTicket12 nst{3600, Bytes(32, 7)};
  expect_fatal(deliver(peer.message(msgs::encode_message(nst).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

// --- ServerHello ------------------------------------------------------------------------------

TEST_F(HostileServer12, SuiteNotOffered) {
  auto sh = server_hello();
  sh.cipher_suite = CipherSuite::tls_rsa_with_aes_128_gcm_sha256;
  expect_hello_refused(sh, ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, Tls13SuiteInATls12ServerHello) {
  auto sh = server_hello();
  sh.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
  peer.set_client_random(ch.random);
  Bytes bytes = raw_record(ContentType::handshake, msgs::encode_message(sh).value());
  expect_fatal(deliver(bytes), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, CompressionOtherThanNull) {
  auto sh = server_hello();
  sh.legacy_compression_method = 1;
  expect_hello_refused(sh, ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, UnsolicitedExtension) {
  // RFC 5246 §7.4.1.4: only extensions the client offered may appear (status_request was not).
  auto sh = server_hello();
  sh.extensions.push_back(msgs::Extension{ExtensionType::status_request, {}});
  expect_hello_refused(sh, ErrorCode::unsupported_extension, Alert::unsupported_extension);
}

TEST_F(HostileServer12, SessionTicketExtensionWithATicketInIt) {
  // RFC 5077 §3.2: the server's session_ticket is empty.
  auto sh = server_hello();
  sh.extensions.push_back(ext(msgs::to_extension(msgs::SessionTicket{Bytes(16, 1)})));
  expect_hello_refused(sh, ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, Tls13ExtensionInATls12ServerHello) {
  auto sh = server_hello();
  sh.extensions.push_back(
      ext(msgs::to_extension(msgs::KeyShareServerHello{{NamedGroup::x25519, Bytes(32, 9)}})));
  expect_hello_refused(sh, ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, DuplicateExtension) {
  auto sh = server_hello();
  sh.extensions.push_back(sh.extensions.front());
  peer.set_client_random(ch.random);
  expect_fatal(deliver(raw_record(ContentType::handshake, msgs::encode_message(sh).value())),
               ErrorCode::duplicate_extension, Alert::illegal_parameter);
}

TEST_F(HostileServer12, MissingRenegotiationInfo) {
  // RFC 5746 §3.4: Bastion refuses servers without secure renegotiation.
  auto sh = server_hello();
  sh.extensions.erase(sh.extensions.begin());
  expect_hello_refused(sh, ErrorCode::bad_renegotiation_info, Alert::handshake_failure);
}

TEST_F(HostileServer12, NonEmptyRenegotiationInfo) {
  auto sh = server_hello();
  sh.extensions.front() = ext(msgs::to_extension(msgs::RenegotiationInfo{Bytes(12, 1)}));
  expect_hello_refused(sh, ErrorCode::bad_renegotiation_info, Alert::handshake_failure);
}

TEST_F(HostileServer12, PointFormatsWithoutUncompressed) {
  auto sh = server_hello();
  sh.extensions.push_back(ext(
      msgs::to_extension(msgs::EcPointFormats{{msgs::EcPointFormat::ansix962_compressed_prime}})));
  expect_hello_refused(sh, ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

class HostileServer12RequiringEms : public HostileServer12 {
 protected:
  void SetUp() override {
    ClientOptions options = client_options_trusting(kEcdsaCertPem);
    options.max_version = ProtocolVersion::tls12;
    options.require_extended_master_secret = true;
    start(std::move(options));
  }
};

TEST_F(HostileServer12RequiringEms, ServerWithoutExtendedMasterSecret) {
  auto sh = server_hello();
  sh.extensions.pop_back();
  expect_hello_refused(sh, ErrorCode::no_extended_master_secret, Alert::handshake_failure);
}

TEST_F(HostileServer12, DowngradeSentinelIsNotCheckedWhenTls13IsNotOffered) {
  // RFC 8446 §4.1.3: only a client that offered TLS 1.3 checks it.
  auto sh = server_hello();
  std::copy(msgs::kDowngradeTls12.begin(), msgs::kDowngradeTls12.end(), sh.random.end() - 8);
  peer.set_client_random(ch.random);
  ASSERT_OK(deliver(concat({hello(sh), certificate(), key_exchange(), done()})));
  peer.take(*client);
  ASSERT_OK(deliver(concat({peer.change_cipher_spec(), peer.finished()})));
  EXPECT_TRUE(client->handshake_complete());
}

// --- Certificate and ServerKeyExchange ---------------------------------------------------------

TEST_F(HostileServer12, EmptyCertificate) {
  peer.set_client_random(ch.random);
  msgs::Certificate12 empty;
  expect_fatal(deliver(concat({hello(), peer.message(msgs::encode_message(empty).value())})),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer12, CertificateWithABadInnerLength) {
  peer.set_client_random(ch.random);
  // certificate_list of 5 bytes holding one certificate that claims 9.
  Bytes body = {0, 0, 5, 0, 0, 9, 1, 2};
  expect_fatal(deliver(concat({hello(), peer.message(framed(HandshakeType::certificate, body))})),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer12, RsaCertificateForAnEcdsaSuite) {
  ClientOptions options = client_options_trusting(kRsaCertPem);
  options.max_version = ProtocolVersion::tls12;
  peer = Peer12(Plays::server);
  start(std::move(options));
  peer.set_client_random(ch.random);
  expect_fatal(deliver(concat({hello(), certificate(kRsaCertPem)})),
               ErrorCode::unsupported_certificate, Alert::unsupported_certificate);
}

TEST_F(HostileServer12, BadServerKeyExchangeSignature) {
  peer.set_client_random(ch.random);
  auto ske = key_exchange_message();
  ske.signature.back() ^= 1;
  expect_fatal(deliver(concat({hello(), certificate(), key_exchange(ske)})),
               ErrorCode::bad_signature, Alert::decrypt_error);
}

TEST_F(HostileServer12, SignatureOverOtherRandoms) {
  peer.set_client_random(ch.random);
  Bytes bytes = concat({hello(), certificate()});
  auto real = peer.server_random();
  auto other = real;
  other[0] ^= 1;
  peer.set_server_random(other);
  auto ske = key_exchange_message();
  peer.set_server_random(real);
  expect_fatal(deliver(concat({bytes, key_exchange(ske)})), ErrorCode::bad_signature,
               Alert::decrypt_error);
}

TEST_F(HostileServer12, SignatureSchemeNotOffered) {
  peer.set_client_random(ch.random);
  auto ske = key_exchange_message();
  ske.scheme = static_cast<SignatureScheme>(0x0203);  // ecdsa_sha1
  expect_fatal(deliver(concat({hello(), certificate(), key_exchange(ske)})),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, SignatureSchemeThatDoesNotFitTheKey) {
  peer.set_client_random(ch.random);
  auto ske = key_exchange_message(NamedGroup::x25519, SignatureScheme::rsa_pss_rsae_sha256);
  expect_fatal(deliver(concat({hello(), certificate(), key_exchange(ske)})),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, GroupNotOffered) {
  for (NamedGroup g : {NamedGroup::x448, NamedGroup::ffdhe2048}) {
    SCOPED_TRACE(to_string(g));
    peer = Peer12(Plays::server);
    SetUp();
    peer.set_client_random(ch.random);
    Bytes first = concat({hello(), certificate()});
    auto ske = key_exchange_message(g);
    // An FFDHE share does not fit ServerECDHParams' point<1..255>: any value will do.
    if (ske.public_key.size() > 255) ske.public_key.resize(64);
    sign(ske);
    expect_fatal(deliver(concat({first, key_exchange(ske)})), ErrorCode::illegal_parameter,
                 Alert::illegal_parameter);
  }
}

TEST_F(HostileServer12, ExplicitCurve) {
  peer.set_client_random(ch.random);
  Bytes body = msgs::encode_message(key_exchange_message()).value();
  body[4] = 1;  // curve_type explicit_prime
  expect_fatal(deliver(concat({hello(), certificate(), peer.message(body)})),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileServer12, InvalidServerPoints) {
  for (const auto& [name, entry] : invalid_key_shares()) {
    if (!handshake::is_ecdhe_group(entry.group) || entry.key_exchange.empty()) continue;
    if (entry.group != NamedGroup::x25519 && entry.group != NamedGroup::secp256r1) continue;
    SCOPED_TRACE(name);
    peer = Peer12(Plays::server);
    SetUp();
    peer.set_client_random(ch.random);
    Bytes first = concat({hello(), certificate()});
    auto ske = key_exchange_message(entry.group);
    ske.public_key = entry.key_exchange;
    sign(ske);
    expect_fatal(deliver(concat({first, key_exchange(ske)})), ErrorCode::bad_key_share,
                 Alert::illegal_parameter);
  }
}

TEST_F(HostileServer12, TruncatedServerKeyExchange) {
  peer.set_client_random(ch.random);
  Bytes body = msgs::encode_message(key_exchange_message()).value();
  Bytes cut(body.begin() + 4, body.end() - 3);
  expect_fatal(deliver(concat({hello(), certificate(),
                               peer.message(framed(HandshakeType::server_key_exchange, cut))})),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer12, ServerHelloDoneWithABody) {
  peer.set_client_random(ch.random);
  expect_fatal(deliver(concat({hello(), certificate(), key_exchange(),
                               peer.message(framed(HandshakeType::server_hello_done, Bytes{0}))})),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer12, MalformedCertificateRequest) {
  peer.set_client_random(ch.random);
  // certificate_types<1..2^8-1> may not be empty.
  const Bytes body = {0, 0, 2, 4, 3, 0, 0};
  expect_fatal(deliver(concat({hello(), certificate(), key_exchange(),
                               peer.message(framed(HandshakeType::certificate_request, body))})),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileServer12, MalformedAnnouncedNewSessionTicket) {
  // The server announced a ticket (an empty session_ticket in its ServerHello), then sends one
  // whose length disagrees with its body.
  auto sh = server_hello();
  sh.extensions.push_back(ext(msgs::to_extension(msgs::SessionTicket{})));
  peer.set_client_random(ch.random);
  ASSERT_OK(deliver(concat({hello(sh), certificate(), key_exchange(), done()})));
  peer.take(*client);
  const Bytes body = {0, 0, 0x1c, 0x20, 0, 40, 1, 2, 3};
  expect_fatal(deliver(peer.message(framed(HandshakeType::new_session_ticket, body))),
               ErrorCode::decode_error, Alert::decode_error);
}

// --- Finished and records ---------------------------------------------------------------------

TEST_F(HostileServer12, TamperedFinished) {
  first_flight();
  expect_fatal(deliver(concat({peer.change_cipher_spec(), peer.finished(true)})),
               ErrorCode::bad_finished, Alert::decrypt_error);
}

TEST_F(HostileServer12, BadRecordMac) {
  first_flight();
  Bytes ccs = peer.change_cipher_spec();
  Bytes fin = peer.finished();
  fin.back() ^= 1;
  expect_fatal(deliver(concat({ccs, fin})), ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

// --- after the handshake ----------------------------------------------------------------------

TEST_F(HostileServer12, HelloRequestIsAnsweredWithNoRenegotiation) {
  complete();
  ASSERT_OK(deliver(peer.record(ContentType::handshake, framed(HandshakeType::hello_request, {}))));
  auto sent = peer.take(*client);
  auto alert = Peer::last_alert(sent);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->first, 1) << "no_renegotiation is a warning";
  EXPECT_EQ(alert->second, Alert::no_renegotiation);
  // The connection goes on.
  ASSERT_OK(deliver(peer.record(ContentType::application_data, bytes_of("still"))));
  EXPECT_EQ(read_all(*client), "still");
}

TEST_F(HostileServer12, HelloRequestDuringTheHandshakeIsIgnored) {
  // RFC 5246 §7.4.1.1: ignored while negotiating, and not in the transcript.
  peer.set_client_random(ch.random);
  Bytes request = raw_record(ContentType::handshake, framed(HandshakeType::hello_request, {}));
  ASSERT_OK(deliver(concat({hello(), request, certificate(), key_exchange(), done()})));
  peer.take(*client);
  ASSERT_TRUE(peer.peer_finished_verified());
}

TEST_F(HostileServer12, EndlessHelloRequestsDuringTheHandshakeAreCutOff) {
  peer.set_client_random(ch.random);
  ASSERT_OK(deliver(hello()));
  const Bytes request =
      raw_record(ContentType::handshake, framed(HandshakeType::hello_request, {}));
  Result<void> result;
  for (unsigned i = 0; i <= limits::kMaxWarningAlerts && result.ok(); ++i) {
    result = deliver(request);
  }
  expect_fatal(result, ErrorCode::too_many_messages, Alert::unexpected_message);
}

TEST_F(HostileServer12, UnrecognizedNameWarningDuringTheHandshakeIsSurvived) {
  // RFC 6066 §3 advises against it, but older servers send it; RFC 5246 §7.2 lets us go on.
  peer.set_client_random(ch.random);
  const uint8_t warning[] = {1, static_cast<uint8_t>(Alert::unrecognized_name)};
  ASSERT_OK(deliver(concat(
      {hello(), raw_record(ContentType::alert, warning), certificate(), key_exchange(), done()})));
  peer.take(*client);
  ASSERT_TRUE(peer.peer_finished_verified());
}

TEST_F(HostileServer12, EndlessHelloRequestsAreCutOff) {
  complete();
  Result<void> result;
  for (unsigned i = 0; i <= limits::kMaxWarningAlerts && result.ok(); ++i) {
    result = deliver(peer.record(ContentType::handshake, framed(HandshakeType::hello_request, {})));
  }
  expect_fatal(result, ErrorCode::too_many_messages, Alert::unexpected_message);
}

TEST_F(HostileServer12, KeyUpdateIsNotTls12) {
  complete();
  auto ku = msgs::encode_message(msgs::KeyUpdate{}).value();
  expect_fatal(deliver(peer.record(ContentType::handshake, ku)), ErrorCode::unexpected_message,
               Alert::unexpected_message);
}

TEST_F(HostileServer12, WarningAlertsOtherThanNoRenegotiationAreFatal) {
  complete();
  const uint8_t warning[] = {1, static_cast<uint8_t>(Alert::bad_certificate)};
  auto result = deliver(peer.record(ContentType::alert, warning));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::peer_alert);
  EXPECT_TRUE(client->failed());
}

TEST_F(HostileServer12, PlaintextRecordAfterTheChangeCipherSpec) {
  complete();
  expect_fatal(deliver(raw_record(ContentType::application_data, bytes_of("forged"))),
               ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

}  // namespace
}  // namespace bastion::test
