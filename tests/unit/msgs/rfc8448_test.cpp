// Decoding the handshake messages of the RFC 8448 traces, and re-encoding them byte for byte.
#include <gtest/gtest.h>

#include "msgs/msgs.hpp"
#include "unit/msgs/rfc8448_vectors.hpp"
#include "unit/msgs/test_util.hpp"

namespace bastion::msgs {
namespace {

using testing::body_of;
using testing::from_hex;

// Decodes the framed message with M::decode, checks the header, and checks that framing the
// re-encoded struct gives the same bytes.
template <class M>
M decode_and_check_round_trip(std::string_view hex) {
  const std::vector<uint8_t> framed = from_hex(hex);
  auto message = decode_handshake(framed);
  EXPECT_TRUE(message.ok());
  EXPECT_EQ(message->type, M::kType);
  auto decoded = M::decode(message->body());
  EXPECT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(encode_message(*decoded).value(), framed);
  return *decoded;
}

TEST(Rfc8448, ClientHello) {
  ClientHello ch = decode_and_check_round_trip<ClientHello>(rfc8448::kClientHello);
  EXPECT_EQ(ch.legacy_version, ProtocolVersion::tls12);
  EXPECT_EQ(ch.random[0], 0xcb);
  EXPECT_EQ(ch.random[31], 0xe7);
  EXPECT_TRUE(ch.legacy_session_id.empty());
  EXPECT_EQ(ch.cipher_suites, (std::vector<CipherSuite>{CipherSuite::tls_aes_128_gcm_sha256,
                                                        CipherSuite::tls_chacha20_poly1305_sha256,
                                                        CipherSuite::tls_aes_256_gcm_sha384}));
  EXPECT_EQ(ch.legacy_compression_methods, std::vector<uint8_t>{0});
  ASSERT_EQ(ch.extensions.size(), 9u);
  EXPECT_TRUE(check_extensions(ch.extensions, MessageKind::client_hello).ok());

  auto sni = find_as<ServerName>(ch.extensions);
  ASSERT_TRUE(sni.ok() && sni->has_value());
  EXPECT_EQ((*sni)->host_name, "server");

  auto reneg = find_as<RenegotiationInfo>(ch.extensions);
  ASSERT_TRUE(reneg.ok() && reneg->has_value());
  EXPECT_TRUE((*reneg)->renegotiated_connection.empty());

  auto groups = find_as<SupportedGroups>(ch.extensions);
  ASSERT_TRUE(groups.ok() && groups->has_value());
  ASSERT_EQ((*groups)->groups.size(), 9u);
  EXPECT_EQ((*groups)->groups[0], NamedGroup::x25519);
  EXPECT_EQ((*groups)->groups[1], NamedGroup::secp256r1);
  EXPECT_EQ(static_cast<uint16_t>((*groups)->groups[8]), 0x0104);  // ffdhe8192

  auto ticket = find_as<SessionTicket>(ch.extensions);
  ASSERT_TRUE(ticket.ok() && ticket->has_value());
  EXPECT_TRUE((*ticket)->ticket.empty());

  auto shares = find_as<KeyShareClientHello>(ch.extensions);
  ASSERT_TRUE(shares.ok() && shares->has_value());
  ASSERT_EQ((*shares)->client_shares.size(), 1u);
  const KeyShareEntry* x25519 = (*shares)->find(NamedGroup::x25519);
  ASSERT_NE(x25519, nullptr);
  EXPECT_EQ(x25519->key_exchange,
            from_hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"));

  auto versions = find_as<SupportedVersionsClientHello>(ch.extensions);
  ASSERT_TRUE(versions.ok() && versions->has_value());
  EXPECT_EQ((*versions)->versions, std::vector<ProtocolVersion>{ProtocolVersion::tls13});

  auto sigs = find_as<SignatureAlgorithms>(ch.extensions);
  ASSERT_TRUE(sigs.ok() && sigs->has_value());
  ASSERT_EQ((*sigs)->schemes.size(), 15u);
  EXPECT_EQ((*sigs)->schemes[0], SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ((*sigs)->schemes[4], SignatureScheme::rsa_pss_rsae_sha256);

  auto modes = find_as<PskKeyExchangeModes>(ch.extensions);
  ASSERT_TRUE(modes.ok() && modes->has_value());
  EXPECT_TRUE((*modes)->contains(PskKeyExchangeMode::psk_dhe_ke));
  EXPECT_FALSE((*modes)->contains(PskKeyExchangeMode::psk_ke));

  auto limit = find_as<RecordSizeLimit>(ch.extensions);
  ASSERT_TRUE(limit.ok() && limit->has_value());
  EXPECT_EQ((*limit)->record_size_limit, 0x4001);
}

TEST(Rfc8448, ServerHello) {
  ServerHello sh = decode_and_check_round_trip<ServerHello>(rfc8448::kServerHello);
  EXPECT_FALSE(sh.is_hello_retry_request());
  EXPECT_EQ(sh.kind(), MessageKind::server_hello);
  EXPECT_EQ(sh.legacy_version, ProtocolVersion::tls12);
  EXPECT_EQ(sh.random[0], 0xa6);
  EXPECT_EQ(sh.cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
  EXPECT_EQ(sh.legacy_compression_method, 0);
  ASSERT_EQ(sh.extensions.size(), 2u);
  EXPECT_TRUE(check_extensions(sh.extensions, MessageKind::server_hello).ok());

  auto share = find_as<KeyShareServerHello>(sh.extensions);
  ASSERT_TRUE(share.ok() && share->has_value());
  EXPECT_EQ((*share)->server_share.group, NamedGroup::x25519);
  EXPECT_EQ((*share)->server_share.key_exchange,
            from_hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"));
  auto version = find_as<SupportedVersionsServerHello>(sh.extensions);
  ASSERT_TRUE(version.ok() && version->has_value());
  EXPECT_EQ((*version)->selected_version, ProtocolVersion::tls13);
}

TEST(Rfc8448, EncryptedExtensions) {
  EncryptedExtensions ee =
      decode_and_check_round_trip<EncryptedExtensions>(rfc8448::kEncryptedExtensions);
  ASSERT_EQ(ee.extensions.size(), 3u);
  EXPECT_TRUE(check_extensions(ee.extensions, MessageKind::encrypted_extensions).ok());
  auto groups = find_as<SupportedGroups>(ee.extensions);
  ASSERT_TRUE(groups.ok() && groups->has_value());
  EXPECT_EQ((*groups)->groups.size(), 9u);
  auto limit = find_as<RecordSizeLimit>(ee.extensions);
  ASSERT_TRUE(limit.ok() && limit->has_value());
  EXPECT_EQ((*limit)->record_size_limit, 0x4001);
  auto ack = find_as<ServerNameAck>(ee.extensions);
  ASSERT_TRUE(ack.ok());
  EXPECT_TRUE(ack->has_value());
  // The ClientHello form does not parse the empty reply.
  EXPECT_FALSE(find_as<ServerName>(ee.extensions).ok());
}

TEST(Rfc8448, Certificate) {
  Certificate cert = decode_and_check_round_trip<Certificate>(rfc8448::kCertificate);
  EXPECT_TRUE(cert.certificate_request_context.empty());
  ASSERT_EQ(cert.certificate_list.size(), 1u);
  const CertificateEntry& leaf = cert.certificate_list[0];
  EXPECT_EQ(leaf.cert_data.size(), 0x1b0u);
  EXPECT_EQ(leaf.cert_data[0], 0x30);  // DER SEQUENCE
  EXPECT_EQ(leaf.cert_data[1], 0x82);
  EXPECT_TRUE(leaf.extensions.empty());
}

TEST(Rfc8448, CertificateVerify) {
  CertificateVerify cv =
      decode_and_check_round_trip<CertificateVerify>(rfc8448::kCertificateVerify);
  EXPECT_EQ(cv.algorithm, SignatureScheme::rsa_pss_rsae_sha256);
  ASSERT_EQ(cv.signature.size(), 128u);
  EXPECT_EQ(cv.signature[0], 0x5a);
}

TEST(Rfc8448, Finished) {
  for (std::string_view hex : {rfc8448::kServerFinished, rfc8448::kClientFinished}) {
    const std::vector<uint8_t> framed = from_hex(hex);
    auto message = decode_handshake(framed);
    ASSERT_TRUE(message.ok());
    EXPECT_EQ(message->type, HandshakeType::finished);
    auto fin = Finished::decode(message->body(), 32);
    ASSERT_TRUE(fin.ok());
    EXPECT_EQ(fin->verify_data.size(), 32u);
    EXPECT_EQ(encode_message(*fin).value(), framed);
    EXPECT_EQ(Finished::decode(message->body(), 48).error().code, ErrorCode::decode_error);
  }
  auto fin = Finished::decode(body_of(rfc8448::kServerFinished), 32);
  EXPECT_EQ(fin->verify_data[0], 0x9b);
}

TEST(Rfc8448, NewSessionTicket) {
  NewSessionTicket nst = decode_and_check_round_trip<NewSessionTicket>(rfc8448::kNewSessionTicket);
  EXPECT_EQ(nst.ticket_lifetime, 30u);
  EXPECT_EQ(nst.ticket_age_add, 0xfad6aac5u);
  EXPECT_EQ(nst.ticket_nonce, std::vector<uint8_t>({0x00, 0x00}));
  EXPECT_EQ(nst.ticket.size(), 0xb2u);
  ASSERT_EQ(nst.extensions.size(), 1u);
  EXPECT_TRUE(check_extensions(nst.extensions, MessageKind::new_session_ticket).ok());
  auto early = find_as<EarlyDataTicket>(nst.extensions);
  ASSERT_TRUE(early.ok() && early->has_value());
  EXPECT_EQ((*early)->max_early_data_size, 0x400u);
}

TEST(Rfc8448, ResumptionClientHelloWithPsk) {
  ClientHello ch = decode_and_check_round_trip<ClientHello>(rfc8448::kResumptionClientHello);
  ASSERT_FALSE(ch.extensions.empty());
  EXPECT_EQ(ch.extensions.back().type, ExtensionType::pre_shared_key);
  EXPECT_TRUE(contains(ch.extensions, ExtensionType::early_data));
  auto padding = find_as<Padding>(ch.extensions);
  ASSERT_TRUE(padding.ok() && padding->has_value());
  EXPECT_EQ((*padding)->length, 0x57u);

  auto psk = find_as<PreSharedKeyClientHello>(ch.extensions);
  ASSERT_TRUE(psk.ok() && psk->has_value());
  ASSERT_EQ((*psk)->identities.size(), 1u);
  EXPECT_EQ((*psk)->identities[0].identity.size(), 0xb2u);
  EXPECT_EQ((*psk)->identities[0].obfuscated_ticket_age, 0xfad6aacbu);
  ASSERT_EQ((*psk)->binders.size(), 1u);
  EXPECT_EQ((*psk)->binders[0],
            from_hex("3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d"));

  // RFC 8446 §4.2.11.2: the binder covers the ClientHello up to the binders list, which the
  // trace prints as the "ClientHello prefix".
  const std::vector<uint8_t> full = from_hex(rfc8448::kResumptionClientHello);
  const std::vector<uint8_t> prefix = from_hex(rfc8448::kResumptionClientHelloPrefix);
  ASSERT_EQ(full.size() - (*psk)->binders_size(), prefix.size());
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), full.begin()));
}

TEST(Rfc8448, HelloRetryRequest) {
  ServerHello hrr = decode_and_check_round_trip<ServerHello>(rfc8448::kHelloRetryRequest);
  EXPECT_TRUE(hrr.is_hello_retry_request());
  EXPECT_EQ(hrr.kind(), MessageKind::hello_retry_request);
  EXPECT_TRUE(check_extensions(hrr.extensions, MessageKind::hello_retry_request).ok());
  auto share = find_as<KeyShareHelloRetryRequest>(hrr.extensions);
  ASSERT_TRUE(share.ok() && share->has_value());
  EXPECT_EQ((*share)->selected_group, NamedGroup::secp256r1);
  auto cookie = find_as<Cookie>(hrr.extensions);
  ASSERT_TRUE(cookie.ok() && cookie->has_value());
  EXPECT_EQ((*cookie)->cookie.size(), 0x72u);
  auto version = find_as<SupportedVersionsServerHello>(hrr.extensions);
  ASSERT_TRUE(version.ok() && version->has_value());
  EXPECT_EQ((*version)->selected_version, ProtocolVersion::tls13);
}

TEST(Rfc8448, CertificateRequest) {
  CertificateRequest cr =
      decode_and_check_round_trip<CertificateRequest>(rfc8448::kCertificateRequest);
  EXPECT_TRUE(cr.certificate_request_context.empty());
  EXPECT_TRUE(check_extensions(cr.extensions, MessageKind::certificate_request).ok());
  auto sigs = find_as<SignatureAlgorithms>(cr.extensions);
  ASSERT_TRUE(sigs.ok() && sigs->has_value());
  EXPECT_EQ((*sigs)->schemes.size(), 15u);
}

TEST(Rfc8448, EndOfEarlyData) {
  decode_and_check_round_trip<EndOfEarlyData>(rfc8448::kEndOfEarlyData);
}

}  // namespace
}  // namespace bastion::msgs
