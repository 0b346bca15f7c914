#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"

namespace bastion::crypto {
namespace {

class KeyShareTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Provider> provider_ = openssl_provider();

  std::unique_ptr<KeyShare> generate(NamedGroup group) {
    auto share = provider_->generate_key_share(group);
    EXPECT_TRUE(share.ok()) << (share.ok() ? "" : share.error().message());
    return share.ok() ? std::move(*share) : nullptr;
  }
};

// RFC 7748 §6.1.
TEST_F(KeyShareTest, X25519Rfc7748) {
  auto alice = provider_->key_share_from_private(
      NamedGroup::x25519,
      from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob = provider_->key_share_from_private(
      NamedGroup::x25519,
      from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice.ok());
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ((*alice)->group(), NamedGroup::x25519);
  EXPECT_EQ(to_hex((*alice)->public_key()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(to_hex((*bob)->public_key()),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto k1 = (*alice)->derive((*bob)->public_key());
  auto k2 = (*bob)->derive((*alice)->public_key());
  ASSERT_TRUE(k1.ok());
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(to_hex(k1->span()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_EQ(to_hex(k2->span()), to_hex(k1->span()));
}

TEST_F(KeyShareTest, GeneratedSharesAgree) {
  struct Case {
    NamedGroup group;
    size_t public_len;
    size_t secret_len;
  };
  for (auto c : {Case{NamedGroup::x25519, 32, 32}, Case{NamedGroup::secp256r1, 65, 32},
                 Case{NamedGroup::secp384r1, 97, 48}, Case{NamedGroup::secp521r1, 133, 66}}) {
    SCOPED_TRACE(static_cast<int>(c.group));
    EXPECT_TRUE(provider_->supports_group(c.group));
    auto a = generate(c.group);
    auto b = generate(c.group);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->group(), c.group);
    ASSERT_EQ(a->public_key().size(), c.public_len);
    if (c.group != NamedGroup::x25519) {
      EXPECT_EQ(a->public_key()[0], 0x04);
    }
    EXPECT_NE(to_hex(a->public_key()), to_hex(b->public_key()));
    auto s1 = a->derive(b->public_key());
    auto s2 = b->derive(a->public_key());
    ASSERT_TRUE(s1.ok()) << s1.error().message();
    ASSERT_TRUE(s2.ok()) << s2.error().message();
    EXPECT_EQ(s1->size(), c.secret_len);
    EXPECT_EQ(to_hex(s1->span()), to_hex(s2->span()));
  }
}

TEST_F(KeyShareTest, UnsupportedGroup) {
  EXPECT_FALSE(provider_->supports_group(NamedGroup::x448));
  EXPECT_FALSE(provider_->generate_key_share(NamedGroup::x448).ok());
}

void expect_bad_share(const KeyShare& share, std::span<const uint8_t> peer) {
  auto r = share.derive(peer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_key_share) << r.error().message();
}

TEST_F(KeyShareTest, X25519RejectsBadPeers) {
  auto share = generate(NamedGroup::x25519);
  ASSERT_NE(share, nullptr);
  expect_bad_share(*share, {});
  expect_bad_share(*share, std::vector<uint8_t>(31, 9));
  expect_bad_share(*share, std::vector<uint8_t>(33, 9));
  // Small-order points give an all-zero shared secret (RFC 7748 §6.1, RFC 8446 §7.4.2).
  expect_bad_share(*share, std::vector<uint8_t>(32, 0));
  auto one = std::vector<uint8_t>(32, 0);
  one[0] = 1;
  expect_bad_share(*share, one);
  expect_bad_share(*share,
                   from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"));
}

TEST_F(KeyShareTest, NistRejectsBadPeers) {
  for (NamedGroup group : {NamedGroup::secp256r1, NamedGroup::secp384r1}) {
    SCOPED_TRACE(static_cast<int>(group));
    auto share = generate(group);
    auto other = generate(group);
    ASSERT_NE(share, nullptr);
    ASSERT_NE(other, nullptr);
    std::vector<uint8_t> good(other->public_key().begin(), other->public_key().end());
    ASSERT_TRUE(share->derive(good).ok());

    expect_bad_share(*share, {});
    expect_bad_share(*share, std::span(good).first(good.size() - 1));
    auto longer = good;
    longer.push_back(0);
    expect_bad_share(*share, longer);
    // Point at infinity, alone and padded.
    expect_bad_share(*share, std::vector<uint8_t>{0});
    expect_bad_share(*share, std::vector<uint8_t>(good.size(), 0));
    // Compressed encoding of the same point.
    std::vector<uint8_t> compressed(good.begin(), good.begin() + 1 + (good.size() - 1) / 2);
    compressed[0] = static_cast<uint8_t>(0x02 | (good.back() & 1));
    expect_bad_share(*share, compressed);
    // Not on the curve: y changed.
    auto off_curve = good;
    off_curve.back() ^= 1;
    expect_bad_share(*share, off_curve);
    // A point of the other curve size.
    auto wrong_group =
        generate(group == NamedGroup::secp256r1 ? NamedGroup::secp384r1 : NamedGroup::secp256r1);
    expect_bad_share(*share, wrong_group->public_key());
    // x = p (all 0xff is above p for both curves) is not a field element.
    std::vector<uint8_t> big(good.size(), 0xff);
    big[0] = 0x04;
    expect_bad_share(*share, big);
  }
}

TEST_F(KeyShareTest, NistFromPrivateMatchesPublic) {
  // Scalar 1: the public key is the generator G of P-256.
  std::vector<uint8_t> one(32, 0);
  one[31] = 1;
  auto share = provider_->key_share_from_private(NamedGroup::secp256r1, one);
  ASSERT_TRUE(share.ok()) << share.error().message();
  EXPECT_EQ(to_hex((*share)->public_key()),
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
  auto peer = generate(NamedGroup::secp256r1);
  auto s1 = (*share)->derive(peer->public_key());
  auto s2 = peer->derive((*share)->public_key());
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(to_hex(s1->span()), to_hex(s2->span()));
  // The shared secret with scalar 1 is the peer's x-coordinate.
  EXPECT_EQ(to_hex(s1->span()), to_hex(peer->public_key().subspan(1, 32)));

  EXPECT_FALSE(
      provider_->key_share_from_private(NamedGroup::secp256r1, std::vector<uint8_t>(32)).ok());
  EXPECT_FALSE(
      provider_->key_share_from_private(NamedGroup::secp256r1, std::vector<uint8_t>(31, 1)).ok());
  EXPECT_FALSE(
      provider_->key_share_from_private(NamedGroup::x25519, std::vector<uint8_t>(31, 1)).ok());
}

}  // namespace
}  // namespace bastion::crypto
