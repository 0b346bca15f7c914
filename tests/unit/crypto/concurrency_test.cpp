#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "bastion/config.hpp"
#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"

namespace bastion::crypto {
namespace {

// One provider and one public key used from several threads at once, as connections do.
TEST(ConcurrencyTest, SharedProviderAndPublicKey) {
  auto provider = openssl_provider();
  ASSERT_NE(provider, nullptr);
  auto signer = provider->generate_private_key(KeyType::ec_p256, 0);
  ASSERT_TRUE(signer.ok());
  const auto message = as_bytes("shared");
  auto signature = (*signer)->sign(SigAlg::ecdsa_sha256, message);
  ASSERT_TRUE(signature.ok());
  auto verifier = provider->import_public_key((*signer)->public_params());
  ASSERT_TRUE(verifier.ok());

  std::atomic<int> failures{0};
  auto work = [&] {
    for (int i = 0; i < 50; ++i) {
      std::vector<uint8_t> out(32);
      provider->hkdf_expand(HashAlg::sha256, std::vector<uint8_t>(32, 1), as_bytes("info"), out);
      auto a = provider->generate_key_share(i % 2 ? NamedGroup::x25519 : NamedGroup::secp256r1);
      auto b = provider->generate_key_share(i % 2 ? NamedGroup::x25519 : NamedGroup::secp256r1);
      if (!a.ok() || !b.ok()) {
        ++failures;
        continue;
      }
      auto s1 = (*a)->derive((*b)->public_key());
      auto s2 = (*b)->derive((*a)->public_key());
      if (!s1.ok() || !s2.ok() || to_hex(s1->span()) != to_hex(s2->span())) ++failures;
      if (!(*verifier)->verify(SigAlg::ecdsa_sha256, message, *signature).ok()) ++failures;
      auto aead = provider->new_aead(AeadAlg::aes_128_gcm, std::vector<uint8_t>(16, 2));
      std::vector<uint8_t> nonce(12), data(100, 3), tag(16);
      if (!aead.ok() || !(*aead)->seal(nonce, {}, data, tag) ||
          !(*aead)->open(nonce, {}, data, tag)) {
        ++failures;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(DefaultProviderTest, HashesLikeTheOpenSslProvider) {
  auto provider = bastion::default_provider();
  ASSERT_NE(provider, nullptr);
  std::vector<uint8_t> out(32);
  provider->hash(HashAlg::sha256, as_bytes("abc"), out);
  EXPECT_EQ(to_hex(out), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace bastion::crypto
