#include "session/retry_cookies.hpp"

#include <gtest/gtest.h>

namespace bastion::session {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

RetryState sample() {
  RetryState state;
  state.suite = CipherSuite::tls_aes_256_gcm_sha384;
  state.group = NamedGroup::secp384r1;
  state.client_hello_hash.assign(48, 0x48);
  state.invariants.fill(0x17);
  return state;
}

TEST(RetryCookies, OpenWhatTheySealWithinTheirLifetime) {
  auto cookies = RetryCookies::create(crypto::openssl_provider(), {});
  const auto issued = system_clock::now();
  const auto cookie = cookies->seal(sample(), issued);
  for (auto at : {issued, issued + seconds(29), issued - seconds(4)}) {
    auto opened = cookies->open(cookie, at);
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->suite, CipherSuite::tls_aes_256_gcm_sha384);
    EXPECT_EQ(opened->group, NamedGroup::secp384r1);
    EXPECT_EQ(opened->client_hello_hash, std::vector<uint8_t>(48, 0x48));
    EXPECT_EQ(opened->invariants, sample().invariants);
  }
  EXPECT_FALSE(cookies->open(cookie, issued + RetryCookies::kLifetime + seconds(1)));
  EXPECT_FALSE(cookies->open(cookie, issued - RetryCookies::kClockSkew - seconds(1)));
}

TEST(RetryCookies, RefuseChangedTruncatedAndForeignCookies) {
  auto provider = crypto::openssl_provider();
  auto cookies = RetryCookies::create(provider, {});
  const auto now = system_clock::now();
  const auto cookie = cookies->seal(sample(), now);
  for (size_t i = 0; i < cookie.size(); ++i) {
    auto changed = cookie;
    changed[i] ^= 0x01;
    EXPECT_FALSE(cookies->open(changed, now)) << "byte " << i;
  }
  EXPECT_FALSE(cookies->open(std::span(cookie).first(cookie.size() - 1), now));
  EXPECT_FALSE(cookies->open({}, now));
  EXPECT_FALSE(RetryCookies::create(provider, {})->open(cookie, now)) << "another random key";
}

TEST(RetryCookies, ServersSharingASecretOpenEachOthers) {
  auto provider = crypto::openssl_provider();
  const std::vector<uint8_t> secret(32, 0x5e);
  const auto now = system_clock::now();
  const auto cookie = RetryCookies::create(provider, secret)->seal(sample(), now);
  EXPECT_TRUE(RetryCookies::create(provider, secret)->open(cookie, now));
  EXPECT_FALSE(RetryCookies::create(provider, std::vector<uint8_t>(32, 0x5f))->open(cookie, now));
}

}  // namespace
}  // namespace bastion::session
