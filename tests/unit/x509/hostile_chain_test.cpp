// The worst chains a peer can send within the Certificate message limit: each is refused, and
// the work spent on it stays within the verification's budget (kMaxSignatureChecks signatures,
// kMaxNameComparisons name comparisons). The time they take is a benchmark figure
// (bastion-x509-bench), never asserted here.
#include <gtest/gtest.h>

#include "support/hostile_chains.hpp"
#include "x509/path.hpp"

namespace bastion::x509 {
namespace {

struct Verified {
  Result<std::vector<CertificatePtr>> path;
  PathWork work;
};

Verified verify(const test::HostileChain& hostile) {
  std::vector<CertificatePtr> anchors;
  for (const auto& der : hostile.anchors) anchors.push_back(Certificate::parse(der).value());
  auto leaf = Certificate::parse(hostile.chain.front());
  EXPECT_TRUE(leaf.ok()) << leaf.error().message();
  std::vector<CertificatePtr> pool;
  for (size_t i = 1; i < hostile.chain.size(); ++i) {
    auto cert = Certificate::parse(hostile.chain[i]);
    EXPECT_TRUE(cert.ok()) << cert.error().message();
    pool.push_back(*cert);
  }
  ValidationOptions options;
  options.time = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  options.server_name = hostile.server_name;
  PathWork work;
  auto path = build_path(AnchorSet(anchors), *leaf, pool, options, *crypto::openssl_provider(),
                         nullptr, &work);
  return {std::move(path), work};
}

class HostileChains : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { maker_ = new test::HostileChainMaker(crypto::openssl_provider()); }
  static void TearDownTestSuite() { delete maker_; }
  static test::HostileChainMaker* maker_;

  static void expect_within_limit(const test::HostileChain& c) {
    EXPECT_LE(c.message_bytes(), test::kHostileMessageLimit) << c.name;
    EXPECT_GT(c.message_bytes(), test::kHostileMessageLimit * 9 / 10) << c.name << " is not full";
  }
};
test::HostileChainMaker* HostileChains::maker_ = nullptr;

TEST_F(HostileChains, SharedKeyIntermediatesCostOneSignatureAndNoNameComparison) {
  const auto hostile = maker_->shared_key_intermediates();
  expect_within_limit(hostile);
  const auto result = verify(hostile);
  ASSERT_FALSE(result.path.ok());
  EXPECT_EQ(result.path.error().code, ErrorCode::unknown_issuer);
  // The nine copies share a key: their signature over each certificate is checked once.
  EXPECT_LE(result.work.signature_checks, 2u);
  // Nothing reached an anchor, so no constraint of the made-up CAs was ever applied.
  EXPECT_EQ(result.work.name_comparisons, 0u);
}

TEST_F(HostileChains, LayeredIntermediatesAreCutAtTheirFailingSignatures) {
  const auto hostile = maker_->layered_intermediates();
  expect_within_limit(hostile);
  const auto result = verify(hostile);
  ASSERT_FALSE(result.path.ok());
  // Three candidates at each of three levels, and no path tried twice.
  EXPECT_LE(result.work.signature_checks, 9u);
  EXPECT_EQ(result.work.name_comparisons, 0u);
}

TEST_F(HostileChains, SignatureMazeStopsAtTheSignatureBudget) {
  const auto hostile = maker_->signature_maze();
  const auto result = verify(hostile);
  ASSERT_FALSE(result.path.ok());
  EXPECT_EQ(result.path.error().code, ErrorCode::unknown_issuer);
  EXPECT_NE(result.path.error().detail.find("gave up"), std::string::npos)
      << result.path.error().detail;
  EXPECT_EQ(result.work.signature_checks, kMaxSignatureChecks);
}

TEST_F(HostileChains, AnchoredConstraintsStopAtTheComparisonBudget) {
  const auto hostile = maker_->anchored_constraints();
  expect_within_limit(hostile);
  const auto result = verify(hostile);
  ASSERT_FALSE(result.path.ok());
  EXPECT_EQ(result.path.error().code, ErrorCode::name_constraint_violated);
  EXPECT_EQ(result.work.name_comparisons, kMaxNameComparisons);
  EXPECT_EQ(result.work.signature_checks, 2u);
}

TEST_F(HostileChains, HugeRsaExponentsAndModuliAreRefusedBeforeAnySignature) {
  crypto::PublicKeyParams key;
  key.type = crypto::KeyType::rsa;
  key.rsa_modulus.assign(256, 0xc5);
  key.rsa_exponent.assign(384, 0xff);  // a 3,072-bit exponent
  auto spki = encode_subject_public_key_info(key);
  ASSERT_TRUE(spki.ok());
  auto parsed = parse_subject_public_key_info(*spki);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::unsupported_certificate);
  key.rsa_exponent = {0x01, 0x00, 0x01};
  EXPECT_TRUE(parse_subject_public_key_info(encode_subject_public_key_info(key).value()).ok());
  key.rsa_exponent = {0x01, 0x00, 0x00};  // even
  EXPECT_FALSE(parse_subject_public_key_info(encode_subject_public_key_info(key).value()).ok());
  key.rsa_exponent = {0x01};
  EXPECT_FALSE(parse_subject_public_key_info(encode_subject_public_key_info(key).value()).ok());
  key.rsa_exponent = {0x01, 0x00, 0x01};
  key.rsa_modulus.assign(8192 / 8 + 1, 0xc5);
  EXPECT_FALSE(parse_subject_public_key_info(encode_subject_public_key_info(key).value()).ok());
}

}  // namespace
}  // namespace bastion::x509
