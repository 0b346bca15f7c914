// Typed extension codecs: round trips, known encodings and the RFC's bounds.
#include <gtest/gtest.h>

#include "msgs/msgs.hpp"
#include "unit/msgs/test_util.hpp"

namespace bastion::msgs {
namespace {

using testing::bytes;

template <class T>
T round_trip(const T& value) {
  const std::vector<uint8_t> encoded = value.encode().value();
  auto decoded = T::decode(encoded);
  EXPECT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->encode().value(), encoded);
  return *decoded;
}

template <class T>
ErrorCode decode_fails(const std::vector<uint8_t>& data) {
  auto decoded = T::decode(data);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? ErrorCode::internal_error : decoded.error().code;
}

// --- server_name --------------------------------------------------------------------------------

TEST(ServerNameExt, EncodesOneHostName) {
  ServerName sni{"example.com"};
  EXPECT_EQ(sni.encode().value(),
            bytes({0, 14, 0, 0, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'}));
  EXPECT_EQ(round_trip(sni).host_name, "example.com");
}

TEST(ServerNameExt, EncodeDropsTrailingDot) {
  ServerName with_dot{"example.com."};
  EXPECT_EQ(with_dot.encode().value(), ServerName{"example.com"}.encode().value());
}

TEST(ServerNameExt, DecodeRejectsMalformedLists) {
  EXPECT_EQ(decode_fails<ServerName>({}), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 0})), ErrorCode::decode_error);  // empty list
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 3, 0, 0, 0})), ErrorCode::decode_error);  // ""
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 4, 0, 0, 2, 'a'})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 4, 0, 0, 1, 'a', 0})), ErrorCode::trailing_data);
}

TEST(ServerNameExt, DecodeRejectsTwoHostNames) {
  // RFC 6066 §3: at most one name per name_type.
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 8, 0, 0, 1, 'a', 0, 0, 1, 'b'})),
            ErrorCode::illegal_parameter);
}

TEST(ServerNameExt, DecodeChecksHostNameCharacters) {
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 6, 0, 0, 3, 'a', 'b', '.'})),
            ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 6, 0, 0, 3, 'a', 0, 'b'})),
            ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 6, 0, 0, 3, 'a', 0xc3, 0xa9})),
            ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<ServerName>(bytes({0, 6, 0, 0, 3, 'a', ' ', 'b'})),
            ErrorCode::illegal_parameter);
}

TEST(ServerNameExt, DecodeRefusesNamesLongerThanADnsName) {
  for (size_t length : {size_t{253}, size_t{254}, size_t{300}}) {
    std::vector<uint8_t> data{0, 0, 0, static_cast<uint8_t>(length >> 8),
                              static_cast<uint8_t>(length)};
    data.insert(data.end(), length, 'a');
    const size_t list = data.size() - 2;
    data[0] = static_cast<uint8_t>(list >> 8);
    data[1] = static_cast<uint8_t>(list);
    if (length <= 253) {
      EXPECT_TRUE(ServerName::decode(data).ok());
    } else {
      EXPECT_EQ(decode_fails<ServerName>(data), ErrorCode::illegal_parameter) << length;
    }
  }
}

TEST(ServerNameExt, SkipsUnknownNameTypes) {
  auto decoded = ServerName::decode(bytes({0, 10, 7, 0, 2, 'x', 'y', 0, 0, 2, 'a', 'b'}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->host_name, "ab");
  auto only_unknown = ServerName::decode(bytes({0, 5, 7, 0, 2, 'x', 'y'}));
  ASSERT_TRUE(only_unknown.ok());
  EXPECT_TRUE(only_unknown->host_name.empty());
}

TEST(ServerNameExt, ValidHostNames) {
  EXPECT_TRUE(ServerName::is_valid_host_name("example.com"));
  EXPECT_TRUE(ServerName::is_valid_host_name("xn--bcher-kva.example"));
  EXPECT_TRUE(ServerName::is_valid_host_name("localhost"));
  EXPECT_FALSE(ServerName::is_valid_host_name(""));
  EXPECT_FALSE(ServerName::is_valid_host_name("example.com."));
  EXPECT_FALSE(ServerName::is_valid_host_name(".example.com"));
  EXPECT_FALSE(ServerName::is_valid_host_name("a..b"));
  EXPECT_FALSE(ServerName::is_valid_host_name("192.168.0.1"));
  EXPECT_FALSE(ServerName::is_valid_host_name("::1"));
  EXPECT_FALSE(ServerName::is_valid_host_name("a b"));
  EXPECT_FALSE(ServerName::is_valid_host_name(std::string("a\0b", 3)));
}

TEST(ServerNameExt, AckIsEmpty) {
  EXPECT_TRUE(ServerNameAck::decode({}).ok());
  EXPECT_EQ(decode_fails<ServerNameAck>(bytes({0})), ErrorCode::trailing_data);
}

// --- supported_groups, signature_algorithms ----------------------------------------------------

TEST(SupportedGroupsExt, RoundTripAndBounds) {
  SupportedGroups groups{
      {NamedGroup::x25519, NamedGroup::secp256r1, static_cast<NamedGroup>(0x2a2a)}};
  EXPECT_EQ(groups.encode().value(), bytes({0, 6, 0, 0x1d, 0, 0x17, 0x2a, 0x2a}));
  EXPECT_EQ(round_trip(groups).groups, groups.groups);
  EXPECT_EQ(decode_fails<SupportedGroups>(bytes({0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<SupportedGroups>(bytes({0, 3, 0, 0x1d, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<SupportedGroups>(bytes({0, 2, 0, 0x1d, 0})), ErrorCode::trailing_data);
}

TEST(SignatureAlgorithmsExt, RoundTripAndBounds) {
  SignatureAlgorithms sigs{{SignatureScheme::ed25519, SignatureScheme::rsa_pss_rsae_sha256}};
  EXPECT_EQ(sigs.encode().value(), bytes({0, 4, 8, 7, 8, 4}));
  EXPECT_EQ(round_trip(sigs).schemes, sigs.schemes);
  EXPECT_EQ(decode_fails<SignatureAlgorithms>(bytes({0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<SignatureAlgorithms>(bytes({0, 1, 8})), ErrorCode::decode_error);

  SignatureAlgorithmsCert cert{{SignatureScheme::ecdsa_secp384r1_sha384}};
  EXPECT_EQ(round_trip(cert).schemes, cert.schemes);
  EXPECT_EQ(to_extension(cert).value().type, ExtensionType::signature_algorithms_cert);
  EXPECT_EQ(decode_fails<SignatureAlgorithmsCert>(bytes({0, 0})), ErrorCode::decode_error);
}

TEST(SignatureAlgorithmsExt, MaximumLength) {
  // <2..2^16-2>: 32767 schemes fit exactly.
  SignatureAlgorithms many;
  many.schemes.assign(32767, SignatureScheme::ed25519);
  EXPECT_EQ(round_trip(many).schemes.size(), 32767u);
}

// --- supported_versions --------------------------------------------------------------------------

TEST(SupportedVersionsExt, ClientHelloForm) {
  SupportedVersionsClientHello v{{ProtocolVersion::tls13, ProtocolVersion::tls12}};
  EXPECT_EQ(v.encode().value(), bytes({4, 3, 4, 3, 3}));
  EXPECT_EQ(round_trip(v).versions, v.versions);
  EXPECT_EQ(decode_fails<SupportedVersionsClientHello>(bytes({0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<SupportedVersionsClientHello>(bytes({1, 3})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<SupportedVersionsClientHello>(bytes({3, 3, 4, 3})),
            ErrorCode::decode_error);
  // 255 bytes is over the <2..254> bound.
  std::vector<uint8_t> too_long(256, 3);
  too_long[0] = 255;
  EXPECT_EQ(decode_fails<SupportedVersionsClientHello>(too_long), ErrorCode::decode_error);
  std::vector<uint8_t> longest(255, 3);
  longest[0] = 254;
  EXPECT_TRUE(SupportedVersionsClientHello::decode(longest).ok());
}

TEST(SupportedVersionsExt, ServerHelloForm) {
  SupportedVersionsServerHello v{ProtocolVersion::tls13};
  EXPECT_EQ(v.encode().value(), bytes({3, 4}));
  EXPECT_EQ(round_trip(v).selected_version, ProtocolVersion::tls13);
  EXPECT_EQ(decode_fails<SupportedVersionsServerHello>(bytes({3})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<SupportedVersionsServerHello>(bytes({3, 4, 0})), ErrorCode::trailing_data);
}

// --- key_share -----------------------------------------------------------------------------------

TEST(KeyShareExt, ClientHelloForm) {
  KeyShareClientHello ks{
      {{NamedGroup::x25519, bytes({1, 2, 3})}, {NamedGroup::secp256r1, bytes({4})}}};
  EXPECT_EQ(ks.encode().value(), bytes({0, 12, 0, 0x1d, 0, 3, 1, 2, 3, 0, 0x17, 0, 1, 4}));
  KeyShareClientHello back = round_trip(ks);
  EXPECT_EQ(back.client_shares, ks.client_shares);
  ASSERT_NE(back.find(NamedGroup::secp256r1), nullptr);
  EXPECT_EQ(back.find(NamedGroup::x448), nullptr);
  // An empty list is allowed (the client waits for a HelloRetryRequest).
  EXPECT_TRUE(KeyShareClientHello::decode(bytes({0, 0})).ok());
}

TEST(KeyShareExt, ClientHelloFormRejects) {
  // An empty key_exchange is read, to be refused where it is used (illegal_parameter, as any
  // value that is no key of its group).
  auto empty = KeyShareClientHello::decode(bytes({0, 4, 0, 0x1d, 0, 0}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->client_shares.front().key_exchange.empty());
  // Same group twice.
  EXPECT_EQ(decode_fails<KeyShareClientHello>(bytes({0, 10, 0, 0x1d, 0, 1, 1, 0, 0x1d, 0, 1, 2})),
            ErrorCode::illegal_parameter);
  // Entry overruns the list.
  EXPECT_EQ(decode_fails<KeyShareClientHello>(bytes({0, 5, 0, 0x1d, 0, 2, 1})),
            ErrorCode::decode_error);
}

TEST(KeyShareExt, ServerHelloAndHelloRetryRequestForms) {
  KeyShareServerHello sh{{NamedGroup::x25519, bytes({9, 9})}};
  EXPECT_EQ(sh.encode().value(), bytes({0, 0x1d, 0, 2, 9, 9}));
  EXPECT_EQ(round_trip(sh).server_share, sh.server_share);
  EXPECT_TRUE(KeyShareServerHello::decode(bytes({0, 0x1d, 0, 0})).ok());
  EXPECT_EQ(decode_fails<KeyShareServerHello>(bytes({0, 0x1d, 0, 1, 9, 9})),
            ErrorCode::trailing_data);

  KeyShareHelloRetryRequest hrr{NamedGroup::secp384r1};
  EXPECT_EQ(hrr.encode().value(), bytes({0, 0x18}));
  EXPECT_EQ(round_trip(hrr).selected_group, NamedGroup::secp384r1);
  EXPECT_EQ(decode_fails<KeyShareHelloRetryRequest>(bytes({0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<KeyShareHelloRetryRequest>(bytes({0, 0x18, 0})), ErrorCode::trailing_data);
}

// --- ALPN ---------------------------------------------------------------------------------------

TEST(AlpnExt, RoundTrip) {
  Alpn alpn{{"h2", "http/1.1"}};
  EXPECT_EQ(alpn.encode().value(),
            bytes({0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'}));
  Alpn back = round_trip(alpn);
  EXPECT_EQ(back.protocol_name_list, alpn.protocol_name_list);
  EXPECT_FALSE(back.has_single_protocol());
  EXPECT_TRUE(round_trip(Alpn{{"h2"}}).has_single_protocol());
  // Binary names survive.
  Alpn binary{{std::string("\x00\xff", 2)}};
  EXPECT_EQ(round_trip(binary).protocol_name_list, binary.protocol_name_list);
}

TEST(AlpnExt, NameTooLongForItsLengthIsAnEncodingError) {
  // ProtocolName<1..2^8-1>: a 256-byte name is refused, not sent with a truncated length.
  auto ext = to_extension(Alpn{{std::string(256, 'a')}});
  ASSERT_FALSE(ext.ok());
  EXPECT_EQ(ext.error().code, ErrorCode::internal_error);
  ClientHello ch;
  ch.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256};
  ch.extensions.push_back({ExtensionType::padding, std::vector<uint8_t>(0x10000, 0)});
  EXPECT_FALSE(encode_message(ch).ok()) << "extension_data<0..2^16-1> overflowed";
}

TEST(AlpnExt, Rejects) {
  EXPECT_EQ(decode_fails<Alpn>(bytes({0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<Alpn>(bytes({0, 1, 0})), ErrorCode::decode_error);  // list < 2
  EXPECT_EQ(decode_fails<Alpn>(bytes({0, 3, 2, 'h', '2', 0})), ErrorCode::trailing_data);
  EXPECT_EQ(decode_fails<Alpn>(bytes({0, 3, 0, 1, 'a'})), ErrorCode::decode_error);  // ""
  EXPECT_EQ(decode_fails<Alpn>(bytes({0, 3, 3, 'h', '2'})), ErrorCode::decode_error);
}

// --- cookie, psk_key_exchange_modes, pre_shared_key, early_data ----------------------------------

TEST(CookieExt, RoundTripAndBounds) {
  Cookie cookie{bytes({1, 2, 3})};
  EXPECT_EQ(cookie.encode().value(), bytes({0, 3, 1, 2, 3}));
  EXPECT_EQ(round_trip(cookie).cookie, cookie.cookie);
  EXPECT_EQ(decode_fails<Cookie>(bytes({0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<Cookie>(bytes({0, 2, 1})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<Cookie>(bytes({0, 1, 1, 0})), ErrorCode::trailing_data);
  Cookie big{std::vector<uint8_t>(0xffff, 7)};
  EXPECT_EQ(round_trip(big).cookie.size(), 0xffffu);
}

TEST(PskKeyExchangeModesExt, RoundTripAndBounds) {
  PskKeyExchangeModes modes{{PskKeyExchangeMode::psk_dhe_ke, PskKeyExchangeMode::psk_ke}};
  EXPECT_EQ(modes.encode().value(), bytes({2, 1, 0}));
  EXPECT_EQ(round_trip(modes).ke_modes, modes.ke_modes);
  EXPECT_EQ(decode_fails<PskKeyExchangeModes>(bytes({0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<PskKeyExchangeModes>(bytes({1, 1, 1})), ErrorCode::trailing_data);
}

PreSharedKeyClientHello sample_offer() {
  PreSharedKeyClientHello psk;
  psk.identities = {{bytes({1, 2, 3}), 0x01020304}, {bytes({4}), 7}};
  psk.binders = {std::vector<uint8_t>(32, 0xaa), std::vector<uint8_t>(48, 0xbb)};
  return psk;
}

TEST(PreSharedKeyExt, ClientHelloForm) {
  PreSharedKeyClientHello psk = sample_offer();
  PreSharedKeyClientHello back = round_trip(psk);
  EXPECT_EQ(back.identities, psk.identities);
  EXPECT_EQ(back.binders, psk.binders);
  EXPECT_EQ(psk.binders_size(), 2u + 33u + 49u);
  const std::vector<uint8_t> encoded = psk.encode().value();
  // The binders are the tail of the extension.
  EXPECT_EQ(encoded[encoded.size() - psk.binders_size()], 0);
  EXPECT_EQ(encoded[encoded.size() - psk.binders_size() + 1], 33 + 49);
}

TEST(PreSharedKeyExt, ClientHelloFormRejects) {
  // Binder count differs from identity count.
  PreSharedKeyClientHello psk = sample_offer();
  psk.binders.pop_back();
  EXPECT_EQ(decode_fails<PreSharedKeyClientHello>(psk.encode().value()),
            ErrorCode::illegal_parameter);
  // Binder shorter than 32 bytes.
  psk = sample_offer();
  psk.binders[1].resize(31);
  EXPECT_EQ(decode_fails<PreSharedKeyClientHello>(psk.encode().value()), ErrorCode::decode_error);
  // Empty identity.
  psk = sample_offer();
  psk.identities[1].identity.clear();
  EXPECT_EQ(decode_fails<PreSharedKeyClientHello>(psk.encode().value()), ErrorCode::decode_error);
  // No identities at all (identities<7..>).
  psk.identities.clear();
  psk.binders.clear();
  EXPECT_EQ(decode_fails<PreSharedKeyClientHello>(psk.encode().value()), ErrorCode::decode_error);
  // Trailing byte.
  std::vector<uint8_t> trailing = sample_offer().encode().value();
  trailing.push_back(0);
  EXPECT_EQ(decode_fails<PreSharedKeyClientHello>(trailing), ErrorCode::trailing_data);
}

TEST(PreSharedKeyExt, ServerHelloForm) {
  PreSharedKeyServerHello sh{3};
  EXPECT_EQ(sh.encode().value(), bytes({0, 3}));
  EXPECT_EQ(round_trip(sh).selected_identity, 3);
  EXPECT_EQ(decode_fails<PreSharedKeyServerHello>(bytes({0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<PreSharedKeyServerHello>(bytes({0, 0, 0})), ErrorCode::trailing_data);
}

TEST(EarlyDataExt, Forms) {
  EXPECT_TRUE(EarlyDataIndication::decode({}).ok());
  EXPECT_EQ(decode_fails<EarlyDataIndication>(bytes({0})), ErrorCode::trailing_data);
  EarlyDataTicket ticket{16384};
  EXPECT_EQ(ticket.encode().value(), bytes({0, 0, 0x40, 0}));
  EXPECT_EQ(round_trip(ticket).max_early_data_size, 16384u);
  EXPECT_EQ(decode_fails<EarlyDataTicket>(bytes({0, 0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<EarlyDataTicket>(bytes({0, 0, 0, 0, 0})), ErrorCode::trailing_data);
}

// --- record_size_limit, max_fragment_length, padding
// ----------------------------------------------

TEST(RecordSizeLimitExt, BoundsPerRfc8449) {
  RecordSizeLimit limit{16385};
  EXPECT_EQ(limit.encode().value(), bytes({0x40, 0x01}));
  EXPECT_EQ(round_trip(limit).record_size_limit, 16385);
  EXPECT_TRUE(RecordSizeLimit::decode(bytes({0, 64})).ok());
  EXPECT_EQ(decode_fails<RecordSizeLimit>(bytes({0, 63})), ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<RecordSizeLimit>(bytes({0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<RecordSizeLimit>(bytes({0, 64, 0})), ErrorCode::trailing_data);
}

TEST(MaxFragmentLengthExt, DecodesTheFourValues) {
  for (int code = 1; code <= 4; ++code) {
    auto mfl = MaxFragmentLength::decode(bytes({code}));
    ASSERT_TRUE(mfl.ok());
    EXPECT_EQ(mfl->fragment_length(), size_t{1} << (8 + code));
  }
  EXPECT_EQ(decode_fails<MaxFragmentLength>(bytes({0})), ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<MaxFragmentLength>(bytes({5})), ErrorCode::illegal_parameter);
  EXPECT_EQ(decode_fails<MaxFragmentLength>({}), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<MaxFragmentLength>(bytes({1, 1})), ErrorCode::trailing_data);
}

TEST(PaddingExt, ZeroBytes) {
  Padding padding{5};
  EXPECT_EQ(padding.encode().value(), std::vector<uint8_t>(5, 0));
  EXPECT_EQ(round_trip(padding).length, 5u);
  EXPECT_EQ(round_trip(Padding{0}).length, 0u);
  EXPECT_EQ(decode_fails<Padding>(bytes({0, 1, 0})), ErrorCode::illegal_parameter);
}

// --- status_request, certificate_authorities
// -------------------------------------------------------

TEST(StatusRequestExt, OcspForm) {
  // The usual request: no responder ids, no extensions.
  auto plain = StatusRequest::decode(bytes({1, 0, 0, 0, 0}));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->status_type, CertificateStatusType::ocsp);
  EXPECT_TRUE(plain->responder_id_list.empty());
  EXPECT_TRUE(plain->request_extensions.empty());
  EXPECT_EQ(plain->encode().value(), bytes({1, 0, 0, 0, 0}));

  StatusRequest full;
  full.responder_id_list = {bytes({0x30, 0}), bytes({0x30, 1, 5})};
  full.request_extensions = bytes({0x30, 0});
  StatusRequest back = round_trip(full);
  EXPECT_EQ(back.responder_id_list, full.responder_id_list);
  EXPECT_EQ(back.request_extensions, full.request_extensions);
}

TEST(StatusRequestExt, Rejects) {
  EXPECT_EQ(decode_fails<StatusRequest>({}), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<StatusRequest>(bytes({1, 0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<StatusRequest>(bytes({1, 0, 2, 0, 0, 0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<StatusRequest>(bytes({1, 0, 0, 0, 0, 9})), ErrorCode::trailing_data);
}

TEST(StatusRequestExt, UnknownStatusTypeIsKeptOpaque) {
  auto other = StatusRequest::decode(bytes({2, 9, 8, 7}));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(static_cast<int>(other->status_type), 2);
  EXPECT_EQ(other->opaque_request, bytes({9, 8, 7}));
  EXPECT_EQ(other->encode().value(), bytes({2, 9, 8, 7}));
}

TEST(StatusRequestExt, AckAndCertificateStatus) {
  EXPECT_TRUE(StatusRequestAck::decode({}).ok());
  EXPECT_EQ(decode_fails<StatusRequestAck>(bytes({1})), ErrorCode::trailing_data);

  CertificateStatus status{CertificateStatusType::ocsp, bytes({0x30, 3, 1, 2, 3})};
  EXPECT_EQ(status.encode().value(), bytes({1, 0, 0, 5, 0x30, 3, 1, 2, 3}));
  EXPECT_EQ(round_trip(status).ocsp_response, status.ocsp_response);
  EXPECT_EQ(decode_fails<CertificateStatus>(bytes({1, 0, 0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<CertificateStatus>(bytes({2, 0, 0, 1, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<CertificateStatus>(bytes({1, 0, 0, 1, 0, 0})), ErrorCode::trailing_data);
}

TEST(CertificateAuthoritiesExt, RoundTripAndBounds) {
  CertificateAuthorities cas{{bytes({0x30, 0}), bytes({0x30, 2, 0x31, 0})}};
  EXPECT_EQ(cas.encode().value(), bytes({0, 10, 0, 2, 0x30, 0, 0, 4, 0x30, 2, 0x31, 0}));
  EXPECT_EQ(round_trip(cas).authorities, cas.authorities);
  EXPECT_EQ(decode_fails<CertificateAuthorities>(bytes({0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<CertificateAuthorities>(bytes({0, 2, 0, 0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<CertificateAuthorities>(bytes({0, 3, 0, 0, 1})),
            ErrorCode::decode_error);  // empty DistinguishedName
  EXPECT_EQ(decode_fails<CertificateAuthorities>(bytes({0, 3, 0, 1, 0x30, 0})),
            ErrorCode::trailing_data);
}

// --- TLS 1.2 extensions and post_handshake_auth
// ---------------------------------------------------

TEST(Tls12Ext, RenegotiationInfo) {
  RenegotiationInfo initial;
  EXPECT_EQ(initial.encode().value(), bytes({0}));
  RenegotiationInfo reneg{std::vector<uint8_t>(12, 5)};
  EXPECT_EQ(round_trip(reneg).renegotiated_connection, reneg.renegotiated_connection);
  EXPECT_EQ(decode_fails<RenegotiationInfo>({}), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<RenegotiationInfo>(bytes({2, 1})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<RenegotiationInfo>(bytes({0, 0})), ErrorCode::trailing_data);
}

TEST(Tls12Ext, ExtendedMasterSecret) {
  EXPECT_TRUE(ExtendedMasterSecret::decode({}).ok());
  EXPECT_TRUE(ExtendedMasterSecret{}.encode().value().empty());
  EXPECT_EQ(decode_fails<ExtendedMasterSecret>(bytes({0})), ErrorCode::trailing_data);
}

TEST(Tls12Ext, EcPointFormats) {
  EcPointFormats formats;
  EXPECT_EQ(formats.encode().value(), bytes({1, 0}));
  EXPECT_TRUE(round_trip(formats).has_uncompressed());
  auto compressed_only = EcPointFormats::decode(bytes({1, 1}));
  ASSERT_TRUE(compressed_only.ok());
  EXPECT_FALSE(compressed_only->has_uncompressed());
  EXPECT_EQ(decode_fails<EcPointFormats>(bytes({0})), ErrorCode::decode_error);
  EXPECT_EQ(decode_fails<EcPointFormats>(bytes({1, 0, 0})), ErrorCode::trailing_data);
}

TEST(Tls12Ext, SessionTicket) {
  EXPECT_TRUE(round_trip(SessionTicket{}).ticket.empty());
  SessionTicket ticket{bytes({1, 2, 3})};
  EXPECT_EQ(ticket.encode().value(), bytes({1, 2, 3}));
  EXPECT_EQ(round_trip(ticket).ticket, ticket.ticket);
}

TEST(PostHandshakeAuthExt, Empty) {
  EXPECT_TRUE(PostHandshakeAuth::decode({}).ok());
  EXPECT_EQ(decode_fails<PostHandshakeAuth>(bytes({0})), ErrorCode::trailing_data);
  EXPECT_EQ(to_extension(PostHandshakeAuth{}).value().type, ExtensionType::post_handshake_auth);
}

}  // namespace
}  // namespace bastion::msgs
