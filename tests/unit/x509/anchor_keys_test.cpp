#include "x509/anchor_keys.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "bastion/x509.hpp"
#include "unit/x509/test_support.hpp"

namespace bastion {
namespace {

using x509::testing::der_of;
namespace t = x509::testing;

const auto kNow =
    std::chrono::system_clock::time_point(std::chrono::seconds(t::kNotBefore + 86400));

class AnchorKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = crypto::openssl_provider();
    ASSERT_TRUE(provider_);
    auto store = TrustStore::from_ders({der_of(t::k_root), der_of(t::k_other_root)});
    ASSERT_TRUE(store.ok());
    store_ = *store;
  }

  std::shared_ptr<const crypto::Provider> provider_;
  std::shared_ptr<const TrustStore> store_;
};

TEST_F(AnchorKeysTest, ImportsEachAnchorOnceAndOnlyAnchors) {
  const x509::AnchorKeys keys(store_->anchors(), *provider_);
  const auto& anchors = store_->anchors().anchors();
  ASSERT_EQ(anchors.size(), 2u);
  const crypto::PublicKey* first = keys.find(*anchors[0]);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(keys.find(*anchors[0]), first);
  EXPECT_NE(keys.find(*anchors[1]), nullptr);
  EXPECT_NE(keys.find(*anchors[1]), first);
  // The same certificate parsed again is not one of the set's objects.
  auto copy = x509::Certificate::parse(der_of(t::k_root));
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(keys.find(**copy), nullptr);
}

TEST_F(AnchorKeysTest, ThreadsShareOneImport) {
  const x509::AnchorKeys keys(store_->anchors(), *provider_);
  const x509::Certificate& root = *store_->anchors().anchors()[0];
  std::vector<const crypto::PublicKey*> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = keys.find(root); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto* key : seen) EXPECT_EQ(key, seen[0]);
  EXPECT_NE(seen[0], nullptr);
}

// A verifier keeps its anchors' keys between chains; a bad signature under an anchor is still
// found after good chains have used the kept key.
TEST_F(AnchorKeysTest, VerifierWithKeptKeysStillRejectsBadSignatures) {
  const auto verifier = webpki_verifier(store_, provider_);
  const std::vector<Der> good = {der_of(t::k_leaf_ec), der_of(t::k_inter)};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(verifier->verify_server(good, "example.com", kNow).ok());
  Der inter = der_of(t::k_inter);
  inter[inter.size() - 5] ^= 0x01;  // inside the root's signature on the intermediate
  const std::vector<Der> bad = {der_of(t::k_leaf_ec), inter};
  const auto r = verifier->verify_server(bad, "example.com", kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_bad_signature);
  EXPECT_TRUE(verifier->verify_server(good, "example.com", kNow).ok());
}

}  // namespace
}  // namespace bastion
