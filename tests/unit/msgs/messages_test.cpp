// Handshake message codecs: round trips of built messages and the RFC's bounds.
#include <gtest/gtest.h>

#include "msgs/msgs.hpp"
#include "unit/msgs/test_util.hpp"

namespace bastion::msgs {
namespace {

using testing::bytes;

template <class M>
M round_trip(const M& message) {
  const std::vector<uint8_t> body = message.encode().value();
  auto decoded = M::decode(body);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->encode().value(), body);
  return *decoded;
}

template <class M>
ErrorCode decode_fails(const std::vector<uint8_t>& body) {
  auto decoded = M::decode(body);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? ErrorCode::internal_error : decoded.error().code;
}

ClientHello sample_client_hello() {
  ClientHello ch;
  for (size_t i = 0; i < ch.random.size(); ++i) ch.random[i] = static_cast<uint8_t>(i);
  ch.legacy_session_id.assign(32, 0x55);
  ch.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256, static_cast<CipherSuite>(0x1a1a)};
  ch.extensions = {
      to_extension(ServerName{"example.com"}).value(),
      to_extension(SupportedVersionsClientHello{{ProtocolVersion::tls13}}).value(),
      to_extension(SupportedGroups{{NamedGroup::x25519}}).value(),
      to_extension(KeyShareClientHello{{{NamedGroup::x25519, std::vector<uint8_t>(32, 1)}}})
          .value(),
      {static_cast<ExtensionType>(0x2a2a), bytes({0})},
  };
  return ch;
}

// --- ClientHello ---------------------------------------------------------------------------------

TEST(ClientHelloMsg, RoundTrip) {
  ClientHello ch = sample_client_hello();
  ClientHello back = round_trip(ch);
  EXPECT_EQ(back.random, ch.random);
  EXPECT_EQ(back.legacy_session_id, ch.legacy_session_id);
  EXPECT_EQ(back.cipher_suites, ch.cipher_suites);
  EXPECT_EQ(back.legacy_compression_methods, std::vector<uint8_t>{0});
  EXPECT_EQ(back.extensions, ch.extensions);
  EXPECT_EQ(encode_message(ch).value()[0], 1);
}

TEST(ClientHelloMsg, Tls12HelloWithoutExtensions) {
  ClientHello ch = sample_client_hello();
  ch.extensions.clear();
  ch.legacy_compression_methods = {1, 0};
  const std::vector<uint8_t> body = ch.encode().value();
  EXPECT_EQ(body.size(), 2u + 32u + 33u + 6u + 3u);  // no extensions block
  ClientHello back = round_trip(ch);
  EXPECT_TRUE(back.extensions.empty());
  EXPECT_EQ(back.legacy_compression_methods, ch.legacy_compression_methods);
  // And with an empty block.
  std::vector<uint8_t> with_empty_block = body;
  with_empty_block.push_back(0);
  with_empty_block.push_back(0);
  EXPECT_TRUE(ClientHello::decode(with_empty_block).ok());
}

TEST(ClientHelloMsg, RejectsBadVectors) {
  ClientHello ch = sample_client_hello();
  ch.legacy_session_id.assign(33, 1);  // <0..32>
  EXPECT_EQ(decode_fails<ClientHello>(ch.encode().value()), ErrorCode::decode_error);

  ch = sample_client_hello();
  ch.cipher_suites.clear();  // <2..2^16-2>
  EXPECT_EQ(decode_fails<ClientHello>(ch.encode().value()), ErrorCode::decode_error);

  ch = sample_client_hello();
  ch.legacy_compression_methods.clear();  // <1..2^8-1>
  EXPECT_EQ(decode_fails<ClientHello>(ch.encode().value()), ErrorCode::decode_error);

  // An odd cipher_suites length (4 -> 3).
  ch = sample_client_hello();
  std::vector<uint8_t> body = ch.encode().value();
  const size_t suites_length_at = 2 + 32 + 1 + 32;
  ASSERT_EQ(body[suites_length_at + 1], 4);
  body[suites_length_at + 1] = 3;
  EXPECT_EQ(decode_fails<ClientHello>(body), ErrorCode::decode_error);
}

TEST(ClientHelloMsg, RejectsTrailingBytes) {
  std::vector<uint8_t> body = sample_client_hello().encode().value();
  body.push_back(0);
  EXPECT_FALSE(ClientHello::decode(body).ok());
}

TEST(ClientHelloMsg, RejectsDuplicateExtensions) {
  ClientHello ch = sample_client_hello();
  ch.extensions.push_back(ch.extensions[1]);
  EXPECT_EQ(decode_fails<ClientHello>(ch.encode().value()), ErrorCode::duplicate_extension);
}

TEST(ClientHelloMsg, RejectsTooManyExtensions) {
  ClientHello ch = sample_client_hello();
  ch.extensions.clear();
  for (size_t i = 0; i <= limits::kMaxExtensions; ++i) {
    ch.extensions.push_back({static_cast<ExtensionType>(0x3000 + i), {}});
  }
  EXPECT_EQ(decode_fails<ClientHello>(ch.encode().value()), ErrorCode::decode_error);
  ch.extensions.pop_back();
  EXPECT_TRUE(ClientHello::decode(ch.encode().value()).ok());
}

TEST(ClientHelloMsg, PreSharedKeyMustBeLast) {
  PreSharedKeyClientHello psk;
  psk.identities = {{bytes({1}), 0}};
  psk.binders = {std::vector<uint8_t>(32, 0)};
  ClientHello ch = sample_client_hello();
  ch.extensions.push_back(to_extension(psk).value());
  EXPECT_TRUE(ClientHello::decode(ch.encode().value()).ok());
  ch.extensions.push_back({ExtensionType::padding, {}});
  EXPECT_EQ(decode_fails<ClientHello>(ch.encode().value()), ErrorCode::illegal_parameter);
}

// --- ServerHello / HelloRetryRequest -------------------------------------------------------------

ServerHello sample_server_hello() {
  ServerHello sh;
  sh.random.fill(0x42);
  sh.legacy_session_id_echo.assign(32, 0x55);
  sh.cipher_suite = CipherSuite::tls_aes_256_gcm_sha384;
  sh.extensions = {to_extension(SupportedVersionsServerHello{ProtocolVersion::tls13}).value(),
                   to_extension(KeyShareServerHello{{NamedGroup::x25519, bytes({1, 2})}}).value()};
  return sh;
}

TEST(ServerHelloMsg, RoundTrip) {
  ServerHello sh = sample_server_hello();
  ServerHello back = round_trip(sh);
  EXPECT_EQ(back.random, sh.random);
  EXPECT_EQ(back.legacy_session_id_echo, sh.legacy_session_id_echo);
  EXPECT_EQ(back.cipher_suite, sh.cipher_suite);
  EXPECT_EQ(back.extensions, sh.extensions);
  EXPECT_FALSE(back.is_hello_retry_request());
}

TEST(ServerHelloMsg, HelloRetryRequest) {
  ServerHello hrr = sample_server_hello();
  hrr.random = kHelloRetryRequestRandom;
  hrr.extensions = {to_extension(SupportedVersionsServerHello{ProtocolVersion::tls13}).value(),
                    to_extension(KeyShareHelloRetryRequest{NamedGroup::secp256r1}).value(),
                    to_extension(Cookie{bytes({7})}).value()};
  ServerHello back = round_trip(hrr);
  EXPECT_TRUE(back.is_hello_retry_request());
  EXPECT_EQ(back.kind(), MessageKind::hello_retry_request);
  EXPECT_TRUE(check_extensions(back.extensions, back.kind()).ok());
  // A cookie is not allowed in a real ServerHello.
  EXPECT_FALSE(check_extensions(back.extensions, MessageKind::server_hello).ok());
}

TEST(ServerHelloMsg, DowngradeSentinels) {
  // RFC 8446 §4.1.3: "44 4F 57 4E 47 52 44 01" and "44 4F 57 4E 47 52 44 00".
  EXPECT_EQ(std::string(kDowngradeTls12.begin(), kDowngradeTls12.end() - 1), "DOWNGRD");
  EXPECT_EQ(kDowngradeTls12.back(), 1);
  EXPECT_EQ(kDowngradeTls11.back(), 0);
}

TEST(ServerHelloMsg, Tls12WithoutExtensions) {
  ServerHello sh = sample_server_hello();
  sh.extensions.clear();
  EXPECT_EQ(sh.encode().value().size(), 2u + 32u + 33u + 3u);
  EXPECT_TRUE(round_trip(sh).extensions.empty());
}

TEST(ServerHelloMsg, Rejects) {
  ServerHello sh = sample_server_hello();
  sh.legacy_session_id_echo.assign(33, 0);
  EXPECT_EQ(decode_fails<ServerHello>(sh.encode().value()), ErrorCode::decode_error);
  sh = sample_server_hello();
  sh.extensions.push_back(sh.extensions[0]);
  EXPECT_EQ(decode_fails<ServerHello>(sh.encode().value()), ErrorCode::duplicate_extension);
  std::vector<uint8_t> body = sample_server_hello().encode().value();
  body.push_back(1);
  EXPECT_FALSE(ServerHello::decode(body).ok());
}

// --- EncryptedExtensions ------------------------------------------------------------------------

TEST(EncryptedExtensionsMsg, RoundTripAndEmpty) {
  EncryptedExtensions ee{
      {to_extension(Alpn{{"h2"}}).value(), to_extension(ServerNameAck{}).value()}};
  EXPECT_EQ(round_trip(ee).extensions, ee.extensions);
  EXPECT_EQ(EncryptedExtensions{}.encode().value(), bytes({0, 0}));
  EXPECT_TRUE(round_trip(EncryptedExtensions{}).extensions.empty());
  EXPECT_EQ(decode_fails<EncryptedExtensions>({}), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<EncryptedExtensions>(bytes({0, 0, 0})), ErrorCode::trailing_data);
}

// --- Certificate --------------------------------------------------------------------------------

Certificate sample_certificate(size_t entries) {
  Certificate cert;
  cert.certificate_request_context = bytes({9, 9});
  for (size_t i = 0; i < entries; ++i) {
    CertificateEntry entry;
    entry.cert_data = std::vector<uint8_t>(10 + i, static_cast<uint8_t>(i));
    if (i == 0) {
      entry.extensions = {
          to_extension(CertificateStatus{CertificateStatusType::ocsp, bytes({0x30, 0})}).value()};
    }
    cert.certificate_list.push_back(std::move(entry));
  }
  return cert;
}

TEST(CertificateMsg, RoundTrip) {
  Certificate cert = sample_certificate(3);
  Certificate back = round_trip(cert);
  EXPECT_EQ(back.certificate_request_context, cert.certificate_request_context);
  EXPECT_EQ(back.certificate_list, cert.certificate_list);
  auto status = find_as<CertificateStatus>(back.certificate_list[0].extensions);
  ASSERT_TRUE(status.ok() && status->has_value());
  // An empty certificate list (a client without a certificate).
  EXPECT_TRUE(round_trip(Certificate{}).certificate_list.empty());
}

TEST(CertificateMsg, ChainLengthIsCapped) {
  EXPECT_TRUE(
      Certificate::decode(sample_certificate(limits::kMaxCertificateChain).encode().value()).ok());
  EXPECT_EQ(decode_fails<Certificate>(
                sample_certificate(limits::kMaxCertificateChain + 1).encode().value()),
            ErrorCode::bad_certificate);
}

TEST(CertificateMsg, Rejects) {
  Certificate cert = sample_certificate(1);
  cert.certificate_list[0].cert_data.clear();  // <1..2^24-1>
  EXPECT_EQ(decode_fails<Certificate>(cert.encode().value()), ErrorCode::decode_error);

  cert = sample_certificate(1);
  cert.certificate_list[0].extensions.push_back(cert.certificate_list[0].extensions[0]);
  EXPECT_EQ(decode_fails<Certificate>(cert.encode().value()), ErrorCode::duplicate_extension);

  std::vector<uint8_t> body = sample_certificate(1).encode().value();
  body.push_back(0);
  EXPECT_EQ(decode_fails<Certificate>(body), ErrorCode::trailing_data);

  // An entry missing its extensions block.
  EXPECT_EQ(decode_fails<Certificate>(bytes({0, 0, 0, 4, 0, 0, 1, 0x30})), ErrorCode::decode_error);
}

// --- CertificateRequest -------------------------------------------------------------------------

TEST(CertificateRequestMsg, RoundTripAndRequiredExtension) {
  CertificateRequest cr;
  cr.certificate_request_context = bytes({1});
  cr.extensions = {to_extension(SignatureAlgorithms{{SignatureScheme::ed25519}}).value(),
                   to_extension(CertificateAuthorities{{bytes({0x30, 0})}}).value()};
  CertificateRequest back = round_trip(cr);
  EXPECT_EQ(back.extensions, cr.extensions);

  cr.extensions.erase(cr.extensions.begin());
  EXPECT_EQ(decode_fails<CertificateRequest>(cr.encode().value()), ErrorCode::missing_extension);
  cr.extensions.clear();  // extensions<2..2^16-1>
  EXPECT_EQ(decode_fails<CertificateRequest>(cr.encode().value()), ErrorCode::decode_error);
}

// --- CertificateVerify, Finished
// ------------------------------------------------------------------

TEST(CertificateVerifyMsg, RoundTripAndRejects) {
  CertificateVerify cv{SignatureScheme::ecdsa_secp256r1_sha256, std::vector<uint8_t>(71, 3)};
  CertificateVerify back = round_trip(cv);
  EXPECT_EQ(back.algorithm, cv.algorithm);
  EXPECT_EQ(back.signature, cv.signature);
  EXPECT_EQ(decode_fails<CertificateVerify>(bytes({4, 3, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<CertificateVerify>(bytes({4, 3, 0, 2, 1})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<CertificateVerify>(bytes({4, 3, 0, 1, 1, 0})), ErrorCode::trailing_data);
}

TEST(FinishedMsg, LengthIsChecked) {
  Finished fin{std::vector<uint8_t>(48, 7)};
  auto back = Finished::decode(fin.encode().value(), 48);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->verify_data, fin.verify_data);
  EXPECT_EQ(Finished::decode(fin.encode().value(), 32).error().code, ErrorCode::decode_error);
  EXPECT_EQ(Finished::decode({}, 32).error().code, ErrorCode::decode_error);
  EXPECT_EQ(encode_message(fin).value().size(), 52u);
}

// --- NewSessionTicket, KeyUpdate, EndOfEarlyData
// ---------------------------------------------------

TEST(NewSessionTicketMsg, RoundTripAndRejects) {
  NewSessionTicket nst;
  nst.ticket_lifetime = 604800;
  nst.ticket_age_add = 0xdeadbeef;
  nst.ticket_nonce = bytes({0, 1});
  nst.ticket = std::vector<uint8_t>(100, 0xab);
  nst.extensions = {to_extension(EarlyDataTicket{4096}).value(),
                    {static_cast<ExtensionType>(0x4a4a), {}}};
  NewSessionTicket back = round_trip(nst);
  EXPECT_EQ(back.ticket_lifetime, nst.ticket_lifetime);
  EXPECT_EQ(back.ticket_age_add, nst.ticket_age_add);
  EXPECT_EQ(back.ticket_nonce, nst.ticket_nonce);
  EXPECT_EQ(back.ticket, nst.ticket);
  EXPECT_EQ(back.extensions, nst.extensions);

  nst.ticket.clear();  // ticket<1..2^16-1>
  EXPECT_EQ(decode_fails<NewSessionTicket>(nst.encode().value()), ErrorCode::decode_error);
  nst.ticket = bytes({1});
  nst.extensions.clear();
  std::vector<uint8_t> body = nst.encode().value();
  body.push_back(0);
  EXPECT_EQ(decode_fails<NewSessionTicket>(body), ErrorCode::trailing_data);
}

TEST(KeyUpdateMsg, Values) {
  EXPECT_EQ(round_trip(KeyUpdate{KeyUpdateRequest::update_requested}).request_update,
            KeyUpdateRequest::update_requested);
  EXPECT_EQ(KeyUpdate{}.encode().value(), bytes({0}));
  EXPECT_EQ(decode_fails<KeyUpdate>(bytes({2})), ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<KeyUpdate>({}), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<KeyUpdate>(bytes({0, 0})), ErrorCode::trailing_data);
  EXPECT_EQ(encode_message(KeyUpdate{}).value(), bytes({24, 0, 0, 1, 0}));
}

TEST(EndOfEarlyDataMsg, EmptyBody) {
  EXPECT_TRUE(EndOfEarlyData::decode({}).ok());
  EXPECT_EQ(decode_fails<EndOfEarlyData>(bytes({0})), ErrorCode::trailing_data);
  EXPECT_EQ(encode_message(EndOfEarlyData{}).value(), bytes({5, 0, 0, 0}));
}

}  // namespace
}  // namespace bastion::msgs
