#include "crypto/insecure_deterministic_provider.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace bastion::crypto {
namespace {

std::vector<uint8_t> bytes(std::span<const uint8_t> s) {
  return {s.begin(), s.end()};
}

constexpr std::array<uint8_t, 3> kSeedA = {1, 2, 3};
constexpr std::array<uint8_t, 3> kSeedB = {1, 2, 4};

TEST(InsecureDeterministicProvider, SameSeedSameStream) {
  auto a = insecure_deterministic_provider(kSeedA);
  auto b = insecure_deterministic_provider(kSeedA);
  ASSERT_TRUE(a && b);
  // Reads of different sizes still follow one stream.
  std::vector<uint8_t> x(100), y(100);
  a->random(std::span(x).first(7));
  a->random(std::span(x).subspan(7));
  b->random(y);
  EXPECT_EQ(x, y);
  std::vector<uint8_t> z(100);
  insecure_deterministic_provider(kSeedB)->random(z);
  EXPECT_NE(x, z);
}

TEST(InsecureDeterministicProvider, KeySharesAreReproducibleAndWork) {
  for (NamedGroup group : {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1}) {
    auto a = insecure_deterministic_provider(kSeedA);
    auto b = insecure_deterministic_provider(kSeedA);
    auto share_a = a->generate_key_share(group);
    auto share_b = b->generate_key_share(group);
    ASSERT_TRUE(share_a.ok() && share_b.ok()) << to_string(group);
    EXPECT_EQ(bytes((*share_a)->public_key()), bytes((*share_b)->public_key()));
    // The next share differs, and the two agree on a secret.
    auto other = a->generate_key_share(group);
    ASSERT_TRUE(other.ok());
    EXPECT_NE(bytes((*share_a)->public_key()), bytes((*other)->public_key()));
    auto s1 = (*share_a)->derive((*other)->public_key());
    auto s2 = (*other)->derive((*share_a)->public_key());
    ASSERT_TRUE(s1.ok() && s2.ok());
    EXPECT_EQ(bytes(s1->span()), bytes(s2->span()));
  }
}

TEST(InsecureDeterministicProvider, UnsupportedGroup) {
  auto p = insecure_deterministic_provider(kSeedA);
  auto share = p->generate_key_share(static_cast<NamedGroup>(0x0105));  // after ffdhe8192
  ASSERT_FALSE(share.ok());
  EXPECT_EQ(share.error().code, ErrorCode::no_common_group);
}

}  // namespace
}  // namespace bastion::crypto
