// The local CA end to end: files on disk, and its leaves accepted by our own verifier.
#include <gtest/gtest.h>

#include <chrono>

#include "bastion/ca.hpp"
#include "bastion/x509.hpp"
#include "crypto/provider.hpp"
#include "unit/x509/ca_test_support.hpp"
#include "x509/certificate.hpp"

namespace bastion {
namespace {

using x509::testing::file_mode;
using x509::testing::read_text_file;
using x509::testing::TempDir;

class LocalCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = crypto::openssl_provider();
    ASSERT_TRUE(dir_.ok());
  }

  std::shared_ptr<const crypto::Provider> provider_;
  TempDir dir_;
};

TEST_F(LocalCaTest, CreateWritesTheCaAndItsKeyPrivately) {
  auto ca = LocalCa::create(dir_.path(), CertKeyType::ecdsa_p256, provider_);
  ASSERT_TRUE(ca.ok()) << ca.error().message();
  EXPECT_EQ(ca->certificate_file(), dir_.path() / "ca.pem");
  EXPECT_EQ(ca->key_file(), dir_.path() / "ca-key.pem");
  EXPECT_EQ(file_mode(dir_.path() / "ca-key.pem"), 0600);
  EXPECT_EQ(file_mode(dir_.path() / "ca.pem"), 0644);
  EXPECT_NE(read_text_file(dir_.path() / "ca-key.pem").find("-----BEGIN PRIVATE KEY-----"),
            std::string::npos);

  const auto pem = parse_pem_certificates(read_text_file(dir_.path() / "ca.pem"));
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->front(), ca->certificate());
  const auto cert = x509::Certificate::parse(ca->certificate());
  ASSERT_TRUE(cert.ok());
  EXPECT_TRUE((*cert)->basic_constraints()->ca);
  // Ten years, give or take the second the test takes.
  EXPECT_EQ((*cert)->not_after() - (*cert)->not_before(), int64_t{kLocalCaValidityDays} * 86400);

  // An existing CA is never replaced.
  const std::string before = read_text_file(dir_.path() / "ca.pem");
  auto again = LocalCa::create(dir_.path(), CertKeyType::ed25519, provider_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::io_error);
  EXPECT_EQ(read_text_file(dir_.path() / "ca.pem"), before);
}

TEST_F(LocalCaTest, LoadChecksTheKeyMatches) {
  ASSERT_TRUE(LocalCa::create(dir_.path(), CertKeyType::ecdsa_p256, provider_).ok());
  auto loaded = LocalCa::load(dir_.path(), provider_);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();

  TempDir other;
  ASSERT_TRUE(LocalCa::create(other.path(), CertKeyType::ecdsa_p256, provider_).ok());
  std::filesystem::copy_file(other.path() / "ca-key.pem", dir_.path() / "ca-key.pem",
                             std::filesystem::copy_options::overwrite_existing);
  auto mismatched = LocalCa::load(dir_.path(), provider_);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().code, ErrorCode::invalid_key);

  auto missing = LocalCa::load(dir_.path() / "nowhere", provider_);
  ASSERT_FALSE(missing.ok());
}

TEST_F(LocalCaTest, IssuedLeafIsAcceptedByTheWebpkiVerifier) {
  ASSERT_TRUE(LocalCa::create(dir_.path(), CertKeyType::ecdsa_p256, provider_).ok());
  auto ca = LocalCa::load(dir_.path(), provider_);
  ASSERT_TRUE(ca.ok());
  const auto out = dir_.path() / "leaves";
  auto leaf = ca->issue({"localhost", "127.0.0.1", "::1"}, out);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message();
  EXPECT_EQ(leaf->certificate_file, out / "localhost.pem");
  EXPECT_EQ(leaf->key_file, out / "localhost-key.pem");
  EXPECT_EQ(file_mode(leaf->key_file), 0600);
  const auto cert = x509::Certificate::parse(leaf->certificate);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)->not_after() - (*cert)->not_before(), int64_t{kLeafValidityDays} * 86400);

  auto store = TrustStore::from_ders({ca->certificate()});
  ASSERT_TRUE(store.ok()) << store.error().message();
  const auto verifier = webpki_verifier(*store, provider_);
  const auto now = std::chrono::system_clock::now();
  const std::vector<Der> chain{leaf->certificate};
  for (const char* name : {"localhost", "127.0.0.1", "::1"}) {
    const auto verdict = verifier->verify_server(chain, name, now);
    EXPECT_TRUE(verdict.ok()) << name << ": " << verdict.error().message();
  }
  const auto client = verifier->verify_client(chain, now);
  EXPECT_TRUE(client.ok()) << client.error().message();

  const auto wrong = verifier->verify_server(chain, "example.com", now);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::certificate_name_mismatch);
  const auto later =
      verifier->verify_server(chain, "localhost", now + std::chrono::hours(24 * 826));
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, ErrorCode::certificate_expired);

  // Another CA's leaf is not trusted by this one.
  TempDir other;
  auto stranger = LocalCa::create(other.path(), CertKeyType::ecdsa_p256, provider_);
  ASSERT_TRUE(stranger.ok());
  auto foreign = stranger->issue({"localhost"}, other.path());
  ASSERT_TRUE(foreign.ok());
  const auto rejected =
      verifier->verify_server(std::vector<Der>{foreign->certificate}, "localhost", now);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, ErrorCode::unknown_issuer);
}

TEST_F(LocalCaTest, EveryKeyTypeIssuesVerifiableLeaves) {
  for (CertKeyType type : {CertKeyType::ecdsa_p256, CertKeyType::ecdsa_p384, CertKeyType::rsa_2048,
                           CertKeyType::rsa_3072, CertKeyType::ed25519}) {
    TempDir dir;
    auto ca = LocalCa::create(dir.path(), type, provider_);
    ASSERT_TRUE(ca.ok()) << to_string(type) << ": " << ca.error().message();
    auto leaf = ca->issue({"*.dev.test", "dev.test"}, dir.path(), type);
    ASSERT_TRUE(leaf.ok()) << to_string(type) << ": " << leaf.error().message();
    EXPECT_EQ(leaf->certificate_file, dir.path() / "_wildcard.dev.test.pem");
    auto store = TrustStore::from_ders({ca->certificate()});
    ASSERT_TRUE(store.ok());
    const auto verdict = webpki_verifier(*store, provider_)
                             ->verify_server(std::vector<Der>{leaf->certificate}, "www.dev.test",
                                             std::chrono::system_clock::now());
    EXPECT_TRUE(verdict.ok()) << to_string(type) << ": " << verdict.error().message();
  }
}

TEST_F(LocalCaTest, IssueRefusesBadInput) {
  auto ca = LocalCa::create(dir_.path(), CertKeyType::ecdsa_p256, provider_);
  ASSERT_TRUE(ca.ok());
  EXPECT_FALSE(ca->issue({}, dir_.path()).ok());
  EXPECT_FALSE(ca->issue({"bad_name.test"}, dir_.path()).ok());
  EXPECT_FALSE(ca->issue({"ok.test"}, dir_.path(), CertKeyType::ecdsa_p256, 0).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "bad_name.test.pem"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "bad_name.test-key.pem"));
}

TEST(LocalCaNames, FileStemsAndKeyTypes) {
  EXPECT_EQ(issued_file_stem("example.test"), "example.test");
  EXPECT_EQ(issued_file_stem("*.example.test"), "_wildcard.example.test");
  EXPECT_EQ(issued_file_stem("::1"), "__1");
  EXPECT_EQ(issued_file_stem("2001:db8::1"), "2001_db8__1");
  EXPECT_EQ(issued_file_stem("dev@example.test"), "dev@example.test");
  for (CertKeyType type : {CertKeyType::ecdsa_p256, CertKeyType::ecdsa_p384, CertKeyType::rsa_2048,
                           CertKeyType::rsa_3072, CertKeyType::ed25519}) {
    EXPECT_EQ(parse_cert_key_type(to_string(type)), type);
  }
  EXPECT_EQ(parse_cert_key_type("ecdsa-p256"), CertKeyType::ecdsa_p256);
  EXPECT_FALSE(parse_cert_key_type("rsa"));
  EXPECT_FALSE(parse_cert_key_type("dsa"));
}

}  // namespace
}  // namespace bastion
