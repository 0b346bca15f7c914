// The generic extension list, the registry and the placement checks.
#include <gtest/gtest.h>

#include "msgs/msgs.hpp"
#include "unit/msgs/test_util.hpp"

namespace bastion::msgs {
namespace {

using testing::bytes;

constexpr auto kGrease = static_cast<ExtensionType>(0x0a0a);

TEST(ExtensionList, RoundTripsUnknownTypesUntouched) {
  const std::vector<Extension> exts = {
      {kGrease, {}},
      {static_cast<ExtensionType>(0xfafa), bytes({0})},
      {ExtensionType::server_name, bytes({0, 4, 0, 0, 1, 'a'})},
      {static_cast<ExtensionType>(0x1234), bytes({1, 2, 3, 4, 5})},
  };
  const std::vector<uint8_t> encoded = encode_extensions(exts).value();
  auto decoded = decode_extensions(encoded);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, exts);
  EXPECT_EQ(encode_extensions(*decoded).value(), encoded);
}

TEST(ExtensionList, EmptyBlock) {
  auto decoded = decode_extensions(bytes({0, 0}));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->empty());
  EXPECT_EQ(encode_extensions({}).value(), bytes({0, 0}));
}

TEST(ExtensionList, RejectsDuplicates) {
  // RFC 8446 §4.2: no two extensions of the same type in one block.
  auto decoded = decode_extensions(bytes({0, 8, 0, 0x2b, 0, 0, 0, 0x2b, 0, 0}));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, ErrorCode::duplicate_extension);
  EXPECT_EQ(decoded.error().alert(), Alert::illegal_parameter);
  // Unknown types too.
  decoded = decode_extensions(bytes({0, 8, 0x0a, 0x0a, 0, 0, 0x0a, 0x0a, 0, 0}));
  EXPECT_EQ(decoded.error().code, ErrorCode::duplicate_extension);
}

TEST(ExtensionList, CapsTheCount) {
  auto block = [](size_t count) {
    std::vector<Extension> exts;
    for (size_t i = 0; i < count; ++i) {
      exts.push_back({static_cast<ExtensionType>(0x1000 + i), {}});
    }
    return encode_extensions(exts).value();
  };
  EXPECT_TRUE(decode_extensions(block(limits::kMaxExtensions)).ok());
  auto over = decode_extensions(block(limits::kMaxExtensions + 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::decode_error);
}

TEST(ExtensionList, RejectsBadLengths) {
  // Block length larger than the data.
  EXPECT_EQ(decode_extensions(bytes({0, 5, 0, 1, 0, 0})).error().code, ErrorCode::decode_error);
  // Extension data length overruns the block.
  EXPECT_EQ(decode_extensions(bytes({0, 4, 0, 1, 0, 1})).error().code, ErrorCode::decode_error);
  // Half an extension header.
  EXPECT_EQ(decode_extensions(bytes({0, 3, 0, 1, 0})).error().code, ErrorCode::decode_error);
  // Bytes after the block.
  EXPECT_EQ(decode_extensions(bytes({0, 0, 0})).error().code, ErrorCode::trailing_data);
  // No length at all.
  EXPECT_EQ(decode_extensions(bytes({0})).error().code, ErrorCode::decode_error);
}

TEST(ExtensionList, MinimumLengthIsEnforced) {
  const std::vector<uint8_t> one = bytes({0, 4, 0, 0x2b, 0, 0});
  Reader r(one);
  EXPECT_TRUE(read_extensions(r, 4).ok());
  Reader r2(one);
  EXPECT_EQ(read_extensions(r2, 6).error().code, ErrorCode::decode_error);
}

TEST(ExtensionList, FindAndFindAs) {
  const std::vector<Extension> exts = {
      to_extension(Cookie{bytes({1, 2})}).value(),
      {ExtensionType::supported_groups, bytes({0, 1})},  // odd length: malformed
  };
  ASSERT_NE(find(exts, ExtensionType::cookie), nullptr);
  EXPECT_EQ(find(exts, ExtensionType::key_share), nullptr);
  EXPECT_TRUE(contains(exts, ExtensionType::supported_groups));

  auto cookie = find_as<Cookie>(exts);
  ASSERT_TRUE(cookie.ok());
  ASSERT_TRUE(cookie->has_value());
  EXPECT_EQ((*cookie)->cookie, bytes({1, 2}));

  auto absent = find_as<KeyShareServerHello>(exts);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  auto bad = find_as<SupportedGroups>(exts);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::decode_error);
}

TEST(ExtensionRegistry, MatchesTheRfc8446Table) {
  using K = MessageKind;
  struct Row {
    ExtensionType type;
    std::vector<K> tls13;
  };
  // RFC 8446 §4.2, plus record_size_limit (RFC 8449 §5).
  const std::vector<Row> table = {
      {ExtensionType::server_name, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::max_fragment_length, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::status_request, {K::client_hello, K::certificate_request, K::certificate}},
      {ExtensionType::supported_groups, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::signature_algorithms, {K::client_hello, K::certificate_request}},
      {ExtensionType::use_srtp, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::heartbeat, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::application_layer_protocol_negotiation,
       {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::signed_certificate_timestamp,
       {K::client_hello, K::certificate_request, K::certificate}},
      {ExtensionType::client_certificate_type, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::server_certificate_type, {K::client_hello, K::encrypted_extensions}},
      {ExtensionType::padding, {K::client_hello}},
      {ExtensionType::key_share, {K::client_hello, K::server_hello, K::hello_retry_request}},
      {ExtensionType::pre_shared_key, {K::client_hello, K::server_hello}},
      {ExtensionType::psk_key_exchange_modes, {K::client_hello}},
      {ExtensionType::early_data,
       {K::client_hello, K::encrypted_extensions, K::new_session_ticket}},
      {ExtensionType::cookie, {K::client_hello, K::hello_retry_request}},
      {ExtensionType::supported_versions,
       {K::client_hello, K::server_hello, K::hello_retry_request}},
      {ExtensionType::certificate_authorities, {K::client_hello, K::certificate_request}},
      {ExtensionType::oid_filters, {K::certificate_request}},
      {ExtensionType::post_handshake_auth, {K::client_hello}},
      {ExtensionType::signature_algorithms_cert, {K::client_hello, K::certificate_request}},
      {ExtensionType::record_size_limit, {K::client_hello, K::encrypted_extensions}},
      // TLS 1.2 only: ClientHello and nothing else in TLS 1.3.
      {ExtensionType::ec_point_formats, {K::client_hello}},
      {ExtensionType::encrypt_then_mac, {K::client_hello}},
      {ExtensionType::extended_master_secret, {K::client_hello}},
      {ExtensionType::session_ticket, {K::client_hello}},
      {ExtensionType::renegotiation_info, {K::client_hello}},
  };
  const std::vector<K> tls13_kinds = {
      K::client_hello, K::server_hello,        K::hello_retry_request, K::encrypted_extensions,
      K::certificate,  K::certificate_request, K::new_session_ticket};
  EXPECT_EQ(extension_registry().size(), table.size());
  for (const Row& row : table) {
    ASSERT_TRUE(is_known(row.type)) << extension_name(row.type);
    for (K kind : tls13_kinds) {
      bool expected = std::find(row.tls13.begin(), row.tls13.end(), kind) != row.tls13.end();
      EXPECT_EQ(check_allowed(row.type, kind), expected)
          << extension_name(row.type) << " in kind " << static_cast<int>(kind);
    }
  }
}

TEST(ExtensionRegistry, Tls12ServerHello) {
  EXPECT_TRUE(check_allowed(ExtensionType::renegotiation_info, MessageKind::server_hello_tls12));
  EXPECT_TRUE(
      check_allowed(ExtensionType::extended_master_secret, MessageKind::server_hello_tls12));
  EXPECT_TRUE(check_allowed(ExtensionType::ec_point_formats, MessageKind::server_hello_tls12));
  EXPECT_TRUE(check_allowed(ExtensionType::session_ticket, MessageKind::server_hello_tls12));
  EXPECT_TRUE(check_allowed(ExtensionType::application_layer_protocol_negotiation,
                            MessageKind::server_hello_tls12));
  EXPECT_FALSE(check_allowed(ExtensionType::key_share, MessageKind::server_hello_tls12));
  EXPECT_FALSE(check_allowed(ExtensionType::supported_versions, MessageKind::server_hello_tls12));
  EXPECT_FALSE(check_allowed(ExtensionType::pre_shared_key, MessageKind::server_hello_tls12));
}

TEST(ExtensionRegistry, UnknownTypesAreAllowedEverywhere) {
  EXPECT_FALSE(is_known(kGrease));
  EXPECT_TRUE(check_allowed(kGrease, MessageKind::client_hello));
  EXPECT_TRUE(check_allowed(kGrease, MessageKind::encrypted_extensions));
}

TEST(ExtensionRegistry, Names) {
  EXPECT_EQ(extension_name(ExtensionType::key_share), "key_share");
  EXPECT_EQ(extension_name(ExtensionType::renegotiation_info), "renegotiation_info");
  EXPECT_EQ(extension_name(kGrease), "extension(0x0a0a)");
}

TEST(CheckExtensions, MisplacedRecognizedExtensionIsIllegalParameter) {
  // RFC 8446 §4.2: key_share in EncryptedExtensions.
  const std::vector<Extension> ee = {{ExtensionType::key_share, bytes({0, 0x1d})}};
  auto checked = check_extensions(ee, MessageKind::encrypted_extensions);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, ErrorCode::illegal_parameter);
  EXPECT_TRUE(check_extensions(ee, MessageKind::client_hello).ok());
  // Unknown types pass this check.
  EXPECT_TRUE(check_extensions({{kGrease, {}}}, MessageKind::encrypted_extensions).ok());
}

TEST(CheckSolicited, RepliesOnlyToWhatWasOffered) {
  const std::vector<ExtensionType> offered = {ExtensionType::key_share,
                                              ExtensionType::supported_versions};
  const std::vector<Extension> sh = {{ExtensionType::key_share, {}},
                                     {ExtensionType::supported_versions, {}}};
  EXPECT_TRUE(check_solicited(sh, MessageKind::server_hello, offered).ok());

  // Not offered: unsupported_extension.
  const std::vector<Extension> with_psk = {{ExtensionType::pre_shared_key, {}}};
  auto unsolicited = check_solicited(with_psk, MessageKind::server_hello, offered);
  ASSERT_FALSE(unsolicited.ok());
  EXPECT_EQ(unsolicited.error().code, ErrorCode::unsupported_extension);
  EXPECT_EQ(unsolicited.error().alert(), Alert::unsupported_extension);

  // Unknown types in a reply were never offered.
  auto grease = check_solicited({{kGrease, {}}}, MessageKind::encrypted_extensions, offered);
  EXPECT_EQ(grease.error().code, ErrorCode::unsupported_extension);

  // Recognized but misplaced wins over not offered: illegal_parameter.
  auto misplaced =
      check_solicited({{ExtensionType::padding, {}}}, MessageKind::server_hello, offered);
  EXPECT_EQ(misplaced.error().code, ErrorCode::illegal_parameter);

  // RFC 8446 §4.2: cookie in a HelloRetryRequest needs no offer.
  const std::vector<Extension> hrr = {{ExtensionType::cookie, bytes({0, 1, 7})}};
  EXPECT_TRUE(check_solicited(hrr, MessageKind::hello_retry_request, offered).ok());
  EXPECT_FALSE(check_solicited(hrr, MessageKind::server_hello, offered).ok());
}

TEST(CheckSolicited, OfferAsExtensionBlock) {
  const std::vector<Extension> offered = {to_extension(Alpn{{"h2"}}).value(), {kGrease, {}}};
  EXPECT_TRUE(check_solicited({to_extension(Alpn{{"h2"}}).value()},
                              MessageKind::encrypted_extensions, offered)
                  .ok());
  EXPECT_EQ(check_solicited({to_extension(ServerNameAck{}).value()},
                            MessageKind::encrypted_extensions, offered)
                .error()
                .code,
            ErrorCode::unsupported_extension);
}

TEST(Grease, ReservedValues) {
  // RFC 8701 §2.
  for (unsigned i = 0; i < 16; ++i) {
    EXPECT_TRUE(is_grease(static_cast<uint16_t>(0x0a0a + 0x1010 * i))) << i;
  }
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
  EXPECT_FALSE(is_grease(0x0b0b));
  EXPECT_FALSE(is_grease(0xff01));
}

}  // namespace
}  // namespace bastion::msgs
