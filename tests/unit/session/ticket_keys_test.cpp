// Ticket sealing and opening: round trip, tampering, foreign keys, expiry, epoch rotation and the
// per-epoch key cache.
#include "session/ticket_keys.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
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
  t.auth_time = issued;
  t.age_add = 0xdeadbeef;
  t.alpn = "h2";
  t.server_name = "example.com";
  t.client_certificates = {Der{1, 2, 3}, Der{4, 5}};
  t.client_verified = true;
  return t;
}

// Keys whose epochs are `period` long, for tickets that live as long as one epoch.
std::unique_ptr<const TicketKeys> keys(const std::vector<uint8_t>& secret = kSecret,
                                       std::chrono::seconds period = 3600s,
                                       const TicketKeys::Context& context = {}) {
  auto k = TicketKeys::create(crypto::openssl_provider(), secret, period, period, context);
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

// Keys are cached per epoch: what a warm TicketKeys seals and opens must be what a fresh one
// derives, in every epoch it passes through, also when an epoch comes back after two others
// pushed it out of the cache.
TEST(TicketKeys, CachedEpochKeysEqualFreshDerivation) {
  auto cached = keys(kSecret, 3600s);
  auto t = sample();
  t.lifetime = 24h;
  const std::array<system_clock::time_point, 5> times = {kNow, kNow + 3600s, kNow + 7200s,
                                                         kNow + 3600s, kNow};
  for (const auto when : times) {
    for (int i = 0; i < 2; ++i) {
      auto sealed = cached->seal(t, when);
      ASSERT_TRUE(sealed.ok());
      EXPECT_TRUE(keys(kSecret, 3600s)->open(*sealed, when).has_value());
      EXPECT_TRUE(cached->open(*sealed, when).has_value());
      auto fresh = keys(kSecret, 3600s)->seal(t, when);
      ASSERT_TRUE(fresh.ok());
      EXPECT_TRUE(cached->open(*fresh, when).has_value());
      EXPECT_TRUE(
          std::equal(fresh->begin(), fresh->begin() + TicketKeys::kNameLength, sealed->begin()));
    }
  }
}

TEST(TicketKeys, CacheRotatesAcrossEpochs) {
  auto k = keys(kSecret, 3600s);
  auto t = sample();
  t.lifetime = 24h;
  auto first = k->seal(t, kNow);
  ASSERT_TRUE(first.ok());
  // Epoch by epoch: each ticket opens in its own epoch and the next, never two on, while the
  // cache holds at most two keys.
  for (int epoch = 1; epoch <= 4; ++epoch) {
    const auto when = kNow + epoch * 3600s;
    auto sealed = k->seal(t, when);
    ASSERT_TRUE(sealed.ok());
    EXPECT_TRUE(k->open(*sealed, when).has_value());
    EXPECT_TRUE(k->open(*sealed, when + 3600s).has_value());
    EXPECT_FALSE(k->open(*sealed, when + 7200s).has_value());
    EXPECT_EQ(k->open(*first, when).has_value(), epoch == 1);
  }
  // An old epoch, long pushed out, is derived again to the same key.
  EXPECT_TRUE(k->open(*first, kNow).has_value());
}

// RFC 8446 §4.6.1: a ticket renewed by resumption carries the original authentication time
// and stops opening 7 days after it, whatever its own lifetime says.
TEST(TicketKeys, RenewedTicketExpiresSevenDaysAfterItsAuthentication) {
  auto k = keys(kSecret, 3600s);
  auto t = sample();
  t.auth_time = kNow - 7 * 24h + 60s;
  auto sealed = k->seal(t, kNow);
  ASSERT_TRUE(sealed.ok());
  auto opened = k->open(*sealed, kNow + 59s);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->auth_time, t.auth_time);
  EXPECT_FALSE(k->open(*sealed, kNow + 60s).has_value());
}

// One TicketKeys serves every thread of a server: the cache must hold up when threads seal and
// open across an epoch change at the same time.
TEST(TicketKeys, ThreadsShareTheCache) {
  auto k = keys(kSecret, 3600s);
  auto t = sample();
  t.lifetime = 24h;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 50; ++j) {
        const auto when = kNow + ((i + j) % 3) * 3600s;
        auto sealed = k->seal(t, when);
        if (!sealed.ok() || !k->open(*sealed, when).has_value()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(TicketKeys, TicketNamesItsEpochAndOpensForTheLifetimeOnly) {
  // Hour-long epochs for three-hour tickets: the epoch a ticket names is accepted while a
  // ticket sealed in it may live, and is the only key tried.
  auto k = TicketKeys::create(crypto::openssl_provider(), kSecret, 3h, 1h);
  ASSERT_TRUE(k.ok());
  auto t = sample();
  t.lifetime = 24h;  // so that only the epochs decide
  auto sealed = (*k)->seal(t, kNow);
  ASSERT_TRUE(sealed.ok());
  uint64_t epoch = 0;
  for (size_t i = 0; i < TicketKeys::kEpochLength; ++i) epoch = (epoch << 8) | (*sealed)[i];
  EXPECT_EQ(epoch, 1'800'000'000u / 3600);
  EXPECT_TRUE((*k)->open(*sealed, kNow + 3h).has_value());
  EXPECT_FALSE((*k)->open(*sealed, kNow + 4h).has_value());
  // Another epoch number, the key and tag unchanged: the key of that epoch fails the tag.
  auto renamed = *sealed;
  renamed[TicketKeys::kEpochLength - 1] ^= 1;
  EXPECT_FALSE((*k)->open(renamed, kNow + 2h).has_value());
}

TEST(TicketKeys, AnotherContextOrPeriodCannotOpen) {
  TicketKeys::Context other{};
  other[0] = 1;
  auto sealed = keys(kSecret, 3600s, other)->seal(sample(), kNow);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(keys(kSecret, 3600s, other)->open(*sealed, kNow).has_value());
  EXPECT_FALSE(keys(kSecret, 3600s)->open(*sealed, kNow).has_value());
  // Same epoch number under another period (both start at the Unix epoch: epoch 0).
  const auto origin = system_clock::time_point(10s);
  auto early = keys(kSecret, 3600s)->seal(sample(origin), origin);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(keys(kSecret, 7200s)->open(*early, origin).has_value());
}

TEST(TicketKeys, RandomKeysOfPastEpochsAreForgotten) {
  auto k = keys({}, 3600s);
  auto t = sample();
  t.lifetime = 24h;
  auto first = k->seal(t, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(k->open(*first, kNow + 1h).has_value());
  ASSERT_TRUE(k->seal(t, kNow + 2h).ok());
  // The first epoch's random key was wiped when a ticket was sealed two epochs on: even with
  // the clock back, nothing opens that ticket any more.
  EXPECT_FALSE(k->open(*first, kNow).has_value());
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

TEST(TicketContents, EncodedSizeIsExact) {
  std::vector<uint8_t> encoded;
  ASSERT_TRUE(sample().encode(encoded).ok());
  EXPECT_EQ(encoded.size(), sample().encoded_size());
  auto bare = sample();
  bare.alpn.clear();
  bare.client_certificates.clear();
  encoded.clear();
  ASSERT_TRUE(bare.encode(encoded).ok());
  EXPECT_EQ(encoded.size(), bare.encoded_size());
}

TEST(TicketContents, TrailingOrTruncatedEncodingIsRefused) {
  std::vector<uint8_t> encoded;
  ASSERT_TRUE(sample().encode(encoded).ok());
  ASSERT_TRUE(TicketContents::decode(encoded).ok());
  auto longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(TicketContents::decode(longer).ok());
  encoded.pop_back();
  EXPECT_FALSE(TicketContents::decode(encoded).ok());
}

TEST(TicketContents, FieldTooLongForItsLengthIsRefusedNotTruncated) {
  auto long_name = sample();
  long_name.server_name.assign(300, 'a');  // server_name<0..255>
  std::vector<uint8_t> encoded;
  auto r = long_name.encode(encoded);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::message_too_large);
  auto keys = TicketKeys::create(crypto::openssl_provider(), {}, 3600s);
  ASSERT_TRUE(keys.ok());
  auto sealed = (*keys)->seal(long_name, std::chrono::system_clock::now());
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().code, ErrorCode::message_too_large);
}

}  // namespace
}  // namespace bastion::session

namespace bastion::session {
namespace {

TEST(TicketKeys, Tls12SessionsKeepTheirVersionMasterSecretAndEms) {
  auto k = keys();
  auto t = sample();
  t.version = ProtocolVersion::tls12;
  t.suite = CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384;
  t.psk = Secret(std::vector<uint8_t>(48, 0x4d));  // the master secret
  t.extended_master_secret = true;
  auto sealed = k->seal(t, kNow);
  ASSERT_TRUE(sealed.ok());
  auto opened = k->open(*sealed, kNow + 10s);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->version, ProtocolVersion::tls12);
  EXPECT_EQ(opened->suite, CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384);
  EXPECT_TRUE(opened->extended_master_secret);
  EXPECT_EQ(std::vector<uint8_t>(opened->psk.span().begin(), opened->psk.span().end()),
            std::vector<uint8_t>(48, 0x4d));
  // The flag is in the ticket: a session without the extended master secret says so.
  t.extended_master_secret = false;
  auto plain = k->open(*k->seal(t, kNow), kNow);
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->extended_master_secret);
  // clone() copies everything.
  const TicketContents copy = opened->clone();
  EXPECT_EQ(copy.version, opened->version);
  EXPECT_EQ(copy.client_certificates, opened->client_certificates);
  EXPECT_TRUE(copy.extended_master_secret);
}

}  // namespace
}  // namespace bastion::session
