#include "x509/path.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "bastion/x509.hpp"
#include "crypto/provider.hpp"
#include "unit/x509/test_support.hpp"

namespace bastion {
namespace {

using x509::testing::der_of;
namespace t = x509::testing;

std::chrono::system_clock::time_point at(long long seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

const auto kNow = at(t::kNotBefore + 86400);

class PathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = crypto::openssl_provider();
    ASSERT_TRUE(provider_);
    auto store = TrustStore::from_ders({der_of(t::k_root)});
    ASSERT_TRUE(store.ok());
    store_ = *store;
    verifier_ = webpki_verifier(store_, provider_);
  }

  Result<void> server(std::vector<Der> chain, std::string_view name,
                      std::chrono::system_clock::time_point now = kNow) const {
    return verifier_->verify_server(chain, name, now);
  }

  static void expect_error(const Result<void>& r, ErrorCode code) {
    ASSERT_FALSE(r.ok()) << "expected " << error_code_name(code);
    EXPECT_EQ(r.error().code, code) << r.error().message();
    EXPECT_FALSE(r.error().detail.empty());
  }

  std::shared_ptr<const crypto::Provider> provider_;
  std::shared_ptr<const TrustStore> store_;
  std::shared_ptr<const CertificateVerifier> verifier_;
};

TEST_F(PathTest, AcceptsEachKeyType) {
  EXPECT_TRUE(server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "example.com").ok());
  EXPECT_TRUE(server({der_of(t::k_leaf_rsa), der_of(t::k_inter)}, "rsa.example.com").ok());
  EXPECT_TRUE(server({der_of(t::k_leaf_ed), der_of(t::k_inter)}, "ed.example.com").ok());
  EXPECT_TRUE(server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "127.0.0.1").ok());
  EXPECT_TRUE(server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "www.example.com").ok());
}

TEST_F(PathTest, AcceptsEachSignatureAlgorithm) {
  // ECDSA P-256 (above), RSA PKCS#1 v1.5, RSASSA-PSS and Ed25519 issuers.
  EXPECT_TRUE(server({der_of(t::k_leaf_pkcs1), der_of(t::k_inter_rsa)}, "pkcs1.example.com").ok());
  EXPECT_TRUE(server({der_of(t::k_leaf_pss), der_of(t::k_inter_rsa)}, "pss.example.com").ok());
  EXPECT_TRUE(server({der_of(t::k_leaf_by_ed), der_of(t::k_inter_ed)}, "eddsa.example.com").ok());
  const auto pss = x509::Certificate::parse(der_of(t::k_leaf_pss));
  ASSERT_TRUE(pss.ok());
  EXPECT_EQ((*pss)->signature_algorithm().alg, crypto::SigAlg::rsa_pss_sha256);
}

TEST_F(PathTest, CorruptRsaSignature) {
  Der leaf = der_of(t::k_leaf_pkcs1);
  leaf[leaf.size() - 3] ^= 0x40;
  expect_error(server({leaf, der_of(t::k_inter_rsa)}, "pkcs1.example.com"),
               ErrorCode::certificate_bad_signature);
}

TEST_F(PathTest, AcceptsUnorderedAndSuperfluousCertificates) {
  EXPECT_TRUE(server({der_of(t::k_leaf_ec), der_of(t::k_root), der_of(t::k_other_root),
                      der_of(t::k_inter_nc), der_of(t::k_inter)},
                     "example.com")
                  .ok());
  // Unparsable extras are ignored.
  EXPECT_TRUE(
      server({der_of(t::k_leaf_ec), Der{0x30, 0x00}, der_of(t::k_inter)}, "example.com").ok());
}

TEST_F(PathTest, AcceptsAChainThroughPathLenZero) {
  EXPECT_TRUE(server({der_of(t::k_leaf_nc_ok), der_of(t::k_inter_nc)}, "www.example.org").ok());
}

TEST_F(PathTest, ValidityBoundsAreInclusive) {
  // The intermediate and root were made a second or two before the leaf.
  EXPECT_TRUE(
      server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "example.com", at(t::kNotBefore + 5))
          .ok());
  expect_error(
      server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "example.com", at(t::kNotBefore - 3600)),
      ErrorCode::certificate_not_yet_valid);
  expect_error(
      server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "example.com", at(t::kNotAfter + 3600)),
      ErrorCode::certificate_expired);
}

TEST_F(PathTest, UnknownIssuer) {
  expect_error(server({der_of(t::k_leaf_ec)}, "example.com"), ErrorCode::unknown_issuer);
  auto other = TrustStore::from_ders({der_of(t::k_other_root)});
  ASSERT_TRUE(other.ok());
  const auto v = webpki_verifier(*other, provider_);
  expect_error(v->verify_server(std::vector<Der>{der_of(t::k_leaf_ec), der_of(t::k_inter)},
                                "example.com", kNow),
               ErrorCode::unknown_issuer);
}

TEST_F(PathTest, BadSignature) {
  Der leaf = der_of(t::k_leaf_ec);
  leaf[leaf.size() - 5] ^= 0x01;  // inside the ECDSA signature
  expect_error(server({leaf, der_of(t::k_inter)}, "example.com"),
               ErrorCode::certificate_bad_signature);
}

TEST_F(PathTest, NameMismatch) {
  expect_error(server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "example.org"),
               ErrorCode::certificate_name_mismatch);
  expect_error(server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, "10.0.0.1"),
               ErrorCode::certificate_name_mismatch);
  expect_error(server({der_of(t::k_leaf_ec), der_of(t::k_inter)}, ""),
               ErrorCode::certificate_name_mismatch);
}

TEST_F(PathTest, IssuerThatIsNotACa) {
  expect_error(
      server({der_of(t::k_by_leaf), der_of(t::k_leaf_ec), der_of(t::k_inter)}, "sub.example.com"),
      ErrorCode::not_a_ca);
}

TEST_F(PathTest, PathLenConstraint) {
  expect_error(server({der_of(t::k_leaf_deep), der_of(t::k_inter_below), der_of(t::k_inter_pl0)},
                      "deep.example.com"),
               ErrorCode::path_too_long);
}

TEST_F(PathTest, NameConstraintViolation) {
  expect_error(server({der_of(t::k_leaf_nc_bad), der_of(t::k_inter_nc)}, "www.example.com"),
               ErrorCode::name_constraint_violated);
}

TEST_F(PathTest, ExtendedKeyUsage) {
  expect_error(server({der_of(t::k_client_only), der_of(t::k_inter)}, "client.example.com"),
               ErrorCode::bad_extended_key_usage);
  EXPECT_TRUE(
      verifier_->verify_client(std::vector<Der>{der_of(t::k_client_only), der_of(t::k_inter)}, kNow)
          .ok());
  EXPECT_TRUE(
      verifier_->verify_client(std::vector<Der>{der_of(t::k_leaf_ec), der_of(t::k_inter)}, kNow)
          .ok());
}

TEST_F(PathTest, KeyUsage) {
  expect_error(server({der_of(t::k_encipher_only), der_of(t::k_inter)}, "kx.example.com"),
               ErrorCode::bad_key_usage);
}

TEST_F(PathTest, UnknownCriticalExtensionInLeaf) {
  const auto unknown =
      t::extension({0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x01}, true, t::tlv(0x05, {}));
  expect_error(server({t::with_extra_extensions(der_of(t::k_leaf_ec), unknown), der_of(t::k_inter)},
                      "example.com"),
               ErrorCode::unsupported_certificate);
}

TEST_F(PathTest, MalformedAndEmptyChains) {
  expect_error(server({Der{0x30, 0x03, 0x02, 0x01, 0x01}}, "example.com"),
               ErrorCode::bad_certificate);
  expect_error(server({}, "example.com"), ErrorCode::bad_certificate);
}

TEST_F(PathTest, HostileChainsAreBounded) {
  // Many copies of the same intermediate and of unrelated ones: the search must finish
  // quickly and still find the path.
  std::vector<Der> chain{der_of(t::k_leaf_ec)};
  for (int i = 0; i < 14; ++i) chain.push_back(der_of(i % 2 ? t::k_inter_nc : t::k_inter_pl0));
  chain.push_back(der_of(t::k_inter));
  EXPECT_TRUE(server(chain, "example.com").ok());
  chain.push_back(der_of(t::k_inter));
  chain.push_back(der_of(t::k_inter));
  expect_error(server(chain, "example.com"), ErrorCode::bad_certificate);  // over 16
}

TEST_F(PathTest, PinnedSelfSignedLeaf) {
  // A self-signed leaf (here the unrelated root, which is a CA) trusted directly.
  auto store = TrustStore::from_ders({der_of(t::k_other_root)});
  ASSERT_TRUE(store.ok());
  x509::ValidationOptions options;
  options.time = t::kNotBefore + 60;
  options.require_digital_signature = false;
  auto leaf = x509::Certificate::parse(der_of(t::k_other_root));
  ASSERT_TRUE(leaf.ok());
  EXPECT_TRUE(x509::build_path((*store)->anchors(), *leaf, {}, options, *provider_).ok());
}

TEST(TrustStore, LoadsFilesAndDirectories) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("bastion-x509-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "a.pem") << t::k_root;
    std::ofstream(dir / "b.crt") << t::k_other_root << "\n" << t::k_inter;
    std::ofstream(dir / "notes.txt") << "not a certificate";
  }
  auto file = TrustStore::from_pem_file(dir / "b.crt");
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_EQ((*file)->size(), 2u);
  auto directory = TrustStore::from_directory(dir);
  ASSERT_TRUE(directory.ok()) << directory.error().message();
  EXPECT_EQ((*directory)->size(), 3u);
  EXPECT_EQ((*directory)->subject_names().size(), 3u);
  EXPECT_FALSE(TrustStore::from_pem_file(dir / "notes.txt").ok());
  EXPECT_FALSE(TrustStore::from_pem_file(dir / "missing.pem").ok());
  EXPECT_FALSE(TrustStore::from_ders({Der{0x30, 0x00}}).ok());
  std::filesystem::remove_all(dir);
}

TEST(TrustStore, SystemBundle) {
  if (!std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) GTEST_SKIP();
  auto store = TrustStore::system();
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_GT((*store)->size(), 50u);
  // Every anchor of the bundle parses: count the PEM blocks against the anchors.
  std::ifstream in("/etc/ssl/certs/ca-certificates.crt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto ders = parse_pem_certificates(text);
  ASSERT_TRUE(ders.ok());
  for (const auto& der : *ders) {
    const auto c = x509::Certificate::parse(der);
    EXPECT_TRUE(c.ok()) << c.error().message() << " in "
                        << "the system bundle";
  }
  EXPECT_EQ((*store)->size(), ders->size());
}

TEST(ExactVerifier, TrustsOnlyThePinnedCertificate) {
  const auto v = exact_certificate_verifier({der_of(t::k_leaf_ec)});
  EXPECT_TRUE(v->verify_server(std::vector<Der>{der_of(t::k_leaf_ec)}, "anything", kNow).ok());
  EXPECT_TRUE(v->verify_client(std::vector<Der>{der_of(t::k_leaf_ec)}, kNow).ok());
  const auto r = v->verify_server(std::vector<Der>{der_of(t::k_leaf_rsa)}, "rsa.example.com", kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_untrusted);
  EXPECT_FALSE(v->verify_server(std::vector<Der>{}, "x", kNow).ok());
}

TEST(CertificateVerifier, DefaultVerifyClientRejects) {
  class ServerOnly final : public CertificateVerifier {
   public:
    Result<void> verify_server(std::span<const Der>, std::string_view,
                               std::chrono::system_clock::time_point) const override {
      return {};
    }
  };
  const ServerOnly v;
  const auto r = v.verify_client(std::vector<Der>{der_of(t::k_leaf_ec)}, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_untrusted);
}

}  // namespace
}  // namespace bastion
