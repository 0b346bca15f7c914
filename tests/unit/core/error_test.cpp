#include <gtest/gtest.h>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/secret.hpp"

namespace bastion {
namespace {

TEST(Error, MapsReasonsToRfcAlerts) {
  EXPECT_EQ(alert_for(ErrorCode::decode_error), Alert::decode_error);
  EXPECT_EQ(alert_for(ErrorCode::bad_record_mac), Alert::bad_record_mac);
  EXPECT_EQ(alert_for(ErrorCode::bad_finished), Alert::decrypt_error);
  EXPECT_EQ(alert_for(ErrorCode::missing_extension), Alert::missing_extension);
  EXPECT_EQ(alert_for(ErrorCode::unknown_issuer), Alert::unknown_ca);
  EXPECT_EQ(alert_for(ErrorCode::certificate_expired), Alert::certificate_expired);
  EXPECT_EQ(alert_for(ErrorCode::no_application_protocol), Alert::no_application_protocol);
}

TEST(Error, MessageNamesReasonAndPeerAlert) {
  Error e{ErrorCode::peer_alert, "during handshake", Alert::handshake_failure};
  EXPECT_EQ(e.message(), "peer_alert (peer sent handshake_failure): during handshake");
  EXPECT_EQ(alert_name(static_cast<Alert>(200)), "alert(200)");
}

TEST(Result, HoldsValueOrError) {
  Result<int> good = 7;
  Result<int> bad = Error{ErrorCode::closed, ""};
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::closed);
}

TEST(Types, IanaNamesRoundTrip) {
  EXPECT_EQ(to_string(ProtocolVersion::tls13), "TLSv1.3");
  EXPECT_EQ(to_string(CipherSuite::tls_aes_128_gcm_sha256), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(to_string(static_cast<CipherSuite>(0x1a1a)), "0x1a1a");
  EXPECT_EQ(parse_cipher_suite("tls_chacha20_poly1305_sha256"),
            CipherSuite::tls_chacha20_poly1305_sha256);
  EXPECT_EQ(parse_named_group("P-256"), NamedGroup::secp256r1);
  EXPECT_EQ(parse_named_group("x25519"), NamedGroup::x25519);
  EXPECT_EQ(parse_named_group("ffdhe2048"), NamedGroup::ffdhe2048);
  EXPECT_EQ(to_string(NamedGroup::ffdhe8192), "ffdhe8192");
  EXPECT_EQ(parse_named_group("P-521"), NamedGroup::secp521r1);
  EXPECT_FALSE(parse_named_group("ffdhe1024").has_value());
  EXPECT_FALSE(parse_named_group("brainpoolP256r1").has_value());
}

TEST(Secret, ConstantTimeEqualComparesContentAndLength) {
  const uint8_t a[] = {1, 2, 3};
  const uint8_t b[] = {1, 2, 4};
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(std::span(a, 2), a));
}

TEST(Secret, MoveLeavesSourceEmpty) {
  const uint8_t k[] = {9, 9, 9, 9};
  Secret s(k);
  Secret t(std::move(s));
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(s.size(), 0u);  // NOLINT(bugprone-use-after-move): checking the moved-from state
}

}  // namespace
}  // namespace bastion
