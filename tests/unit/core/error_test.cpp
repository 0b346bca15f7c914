#include <gtest/gtest.h>

#include <string>
#include <system_error>

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

TEST(ErrorCode, ValuesAreStable) {
  // The C API and std::error_code carry these numbers: they never change.
  EXPECT_EQ(static_cast<int>(ErrorCode::decode_error), 1);
  EXPECT_EQ(static_cast<int>(ErrorCode::record_overflow), 10);
  EXPECT_EQ(static_cast<int>(ErrorCode::unexpected_message), 20);
  EXPECT_EQ(static_cast<int>(ErrorCode::too_many_messages), 44);
  EXPECT_EQ(static_cast<int>(ErrorCode::bad_certificate), 60);
  EXPECT_EQ(static_cast<int>(ErrorCode::certificate_untrusted), 72);
  EXPECT_EQ(static_cast<int>(ErrorCode::peer_alert), 90);
  EXPECT_EQ(static_cast<int>(ErrorCode::truncated), 91);
  EXPECT_EQ(static_cast<int>(ErrorCode::internal_error), 100);
  EXPECT_EQ(static_cast<int>(ErrorCode::closed), 106);
}

TEST(ErrorCode, ConvertsToStdErrorCode) {
  std::error_code ec = ErrorCode::bad_finished;
  EXPECT_TRUE(ec);
  EXPECT_EQ(ec.category().name(), std::string("bastion"));
  EXPECT_EQ(ec.value(), static_cast<int>(ErrorCode::bad_finished));
  EXPECT_EQ(ec.message(), "bad_finished");
  EXPECT_EQ(ec, ErrorCode::bad_finished);
  EXPECT_NE(ec, ErrorCode::bad_binder);
  EXPECT_EQ(&make_error_code(ErrorCode::closed).category(), &error_category());
  EXPECT_EQ(error_category().message(0), "success");
  EXPECT_EQ(error_category().message(9999), "error(9999)");
}

TEST(ErrorCode, MatchesPortableConditions) {
  EXPECT_EQ(make_error_code(ErrorCode::timed_out), std::errc::timed_out);
  EXPECT_NE(make_error_code(ErrorCode::io_error), std::errc::io_error);  // not EIO
  EXPECT_NE(make_error_code(ErrorCode::bad_finished), std::errc::timed_out);
  // Values outside uint16_t are nobody's code, not a truncated one.
  const std::error_code outside(65536 + static_cast<int>(ErrorCode::timed_out), error_category());
  EXPECT_NE(outside, std::errc::timed_out);
  EXPECT_EQ(error_category().message(65537), "error(65537)");
}

TEST(Result, ValueOnAnErrorThrowsTheError) {
  Result<int> failed = Error{ErrorCode::certificate_expired, "notAfter 2020-01-01"};
  try {
    (void)failed.value();
    FAIL() << "value() did not throw";
  } catch (const Exception& e) {
    EXPECT_EQ(e.error().code, ErrorCode::certificate_expired);
    EXPECT_EQ(e.code(), ErrorCode::certificate_expired);
    EXPECT_EQ(std::string(e.what()), "certificate_expired: notAfter 2020-01-01");
  }
  EXPECT_THROW((void)*failed, std::system_error);
  Result<std::string> moved = Error{ErrorCode::closed, "gone"};
  EXPECT_THROW((void)std::move(moved).value(), Exception);
  Result<void> nothing = Error{ErrorCode::timed_out, "late"};
  EXPECT_THROW(nothing.value(), Exception);
  Result<void> fine;
  EXPECT_NO_THROW(fine.value());
  Result<int> seven = 7;
  EXPECT_EQ(seven.value(), 7);
}

}  // namespace
}  // namespace bastion
