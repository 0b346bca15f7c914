// Ticket sealing and opening: round trip, tampering, foreign keys, expiry and epoch rotation.
#include "session/ticket_keys.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace bastion::session {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

const std::vector<uint8_t> kSecret(32, 0x5a);
// A fixed time in the middle of an hour-long epoch.
const system_clock::time_point kNow = system_clock::time_point(1'800'000'000s + 1800s);

TicketContents sample(system_clock::time_point issued = kNow) {
  TicketContents t;
  t.suite = CipherSuite::tls_aes_256_gcm_sha384;
  const std::vector<uint8_t> psk(48, 0x11);
  t.psk = Secret(psk);
  t.issued = issued;
  t.lifetime = 3600s;
  t.age_add = 0xdeadbeef;
  t.alpn = "h2";
  t.server_name = "example.com";
  t.client_certificates = {Der{1, 2, 3}, Der{4, 5}};
  t.client_verified = true;
  return t;
}

std::unique_ptr<const TicketKeys> keys(const std::vector<uint8_t>& secret = kSecret,
                                       std::chrono::seconds period = 3600s) {
  auto k = TicketKeys::create(crypto::openssl_provider(), secret, period);
  EXPECT_TRUE(k.ok());
  return k.ok() ? std::move(k).value() : nullptr;
}

TEST(TicketKeys, SealedTicketOpensWithEverythingInIt) {
  auto k = keys();
  auto sealed = k->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  auto opened = k->open(*sealed, kNow + 10s);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->version, ProtocolVersion::tls13);
  EXPECT_EQ(opened->suite, CipherSuite::tls_aes_256_gcm_sha384);
  EXPECT_EQ(std::vector<uint8_t>(opened->psk.span().begin(), opened->psk.span().end()),
            std::vector<uint8_t>(48, 0x11));
  EXPECT_EQ(opened->issued, kNow);
  EXPECT_EQ(opened->lifetime, 3600s);
  EXPECT_EQ(opened->age_add, 0xdeadbeefu);
  EXPECT_EQ(opened->alpn, "h2");
  EXPECT_EQ(opened->server_name, "example.com");
  EXPECT_EQ(opened->client_certificates, (std::vector<Der>{Der{1, 2, 3}, Der{4, 5}}));
  EXPECT_TRUE(opened->client_verified);
}

TEST(TicketKeys, PlaintextIsNotVisible) {
  auto k = keys();
  auto sealed = k->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  const std::string host = "example.com";
  EXPECT_EQ(std::search(sealed->begin(), sealed->end(), host.begin(), host.end()), sealed->end());
}

TEST(TicketKeys, EveryTamperedByteIsRefused) {
  auto k = keys();
  auto sealed = k->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    auto bad = *sealed;
    bad[i] ^= 0x01;
    EXPECT_FALSE(k->open(bad, kNow).has_value()) << "byte " << i;
  }
  auto shorter = *sealed;
  shorter.pop_back();
  EXPECT_FALSE(k->open(shorter, kNow).has_value());
  EXPECT_FALSE(k->open(std::vector<uint8_t>(TicketKeys::kOverhead, 0), kNow).has_value());
}

TEST(TicketKeys, AnotherSecretCannotOpen) {
  auto sealed = keys()->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  EXPECT_FALSE(keys(std::vector<uint8_t>(32, 0x5b))->open(*sealed, kNow).has_value());
  // Two configs without a secret get different random keys.
  auto a = keys({});
  auto b = keys({});
  auto random_sealed = a->seal(sample(), kNow);
  ASSERT_TRUE(random_sealed.ok());
  EXPECT_TRUE(a->open(*random_sealed, kNow).has_value());
  EXPECT_FALSE(b->open(*random_sealed, kNow).has_value());
}

TEST(TicketKeys, SameSecretIsSharedBetweenServers) {
  auto sealed = keys()->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(keys()->open(*sealed, kNow).has_value());
}

TEST(TicketKeys, ExpiredTicketIsRefused) {
  auto k = keys(kSecret, 7200s);
  auto sealed = k->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(k->open(*sealed, kNow + 3599s).has_value());
  EXPECT_FALSE(k->open(*sealed, kNow + 3600s).has_value());
}

TEST(TicketKeys, PreviousEpochStillOpensButNotTheOneBefore) {
  auto k = keys(kSecret, 3600s);
  auto t = sample();
  t.lifetime = 24h;  // so that only the key rotation decides
  auto sealed = k->seal(t, kNow);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(k->open(*sealed, kNow + 3600s).has_value());   // next epoch
  EXPECT_FALSE(k->open(*sealed, kNow + 7200s).has_value());  // two epochs on
  EXPECT_FALSE(k->open(*sealed, kNow - 3600s).has_value());  // sealed in the future
  // A new epoch seals under a new key name.
  auto later = k->seal(t, kNow + 3600s);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(
      std::equal(sealed->begin(), sealed->begin() + TicketKeys::kNameLength, later->begin()));
}

TEST(TicketKeys, OversizedContentsAreNotSealed) {
  auto t = sample();
  t.client_certificates = {Der(kMaxTicketPlaintext, 0x30)};
  auto sealed = keys()->seal(t, kNow);
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().code, ErrorCode::message_too_large);
}

TEST(TicketKeys, ShortSecretIsAConfigError) {
  auto k = TicketKeys::create(crypto::openssl_provider(), std::vector<uint8_t>(16, 1), 3600s);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().code, ErrorCode::invalid_config);
}

TEST(TicketContents, TrailingOrTruncatedEncodingIsRefused) {
  std::vector<uint8_t> encoded;
  sample().encode(encoded);
  ASSERT_TRUE(TicketContents::decode(encoded).ok());
  auto longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(TicketContents::decode(longer).ok());
  encoded.pop_back();
  EXPECT_FALSE(TicketContents::decode(encoded).ok());
}

}  // namespace
}  // namespace bastion::session
