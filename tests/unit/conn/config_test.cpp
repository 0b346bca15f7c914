// Config-time checks: what could never be sent is refused when the config is built.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bastion/config.hpp"
#include "support/test_certs.hpp"

namespace bastion {
namespace {

// A verifier that names the issuers it is given, whatever they are.
class NamingVerifier final : public CertificateVerifier {
 public:
  explicit NamingVerifier(std::vector<Der> names) : names_(std::move(names)) {}
  Result<void> verify_server(std::span<const Der>, std::string_view,
                             std::chrono::system_clock::time_point) const override {
    return Error{ErrorCode::certificate_untrusted, "not used"};
  }
  std::span<const Der> client_ca_names() const override { return names_; }

 private:
  std::vector<Der> names_;
};

ServerOptions options_naming(std::vector<Der> names) {
  ServerOptions o;
  auto key = CertifiedKey::from_pem(test::kEcdsaCertPem, test::kEcdsaKeyPem, default_provider());
  EXPECT_TRUE(key.ok());
  o.certificates = {*key};
  o.client_auth = ClientAuth::request;
  o.client_verifier = std::make_shared<NamingVerifier>(std::move(names));
  return o;
}

TEST(ServerConfig, ClientCaNamesMustFitACertificateRequest) {
  EXPECT_TRUE(ServerConfig::create(options_naming({Der(30000, 0x30), Der(30000, 0x30)})).ok());
  auto too_many = ServerConfig::create(options_naming({Der(33000, 0x30), Der(33000, 0x30)}));
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::invalid_config);
  EXPECT_NE(too_many.error().detail.find("CertificateRequest"), std::string::npos);
  auto too_long = ServerConfig::create(options_naming({Der(0x10000, 0x30)}));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, ErrorCode::invalid_config);
}

TEST(ClientConfig, AlpnListMustFitItsLength) {
  ClientOptions fits;
  fits.insecure_skip_verify = true;
  fits.alpn.assign(100, std::string(255, 'a'));
  EXPECT_TRUE(ClientConfig::create(fits).ok());
  ClientOptions too_long = fits;
  too_long.alpn.assign(300, std::string(255, 'a'));
  auto config = ClientConfig::create(too_long);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::invalid_config);
}

class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bastion-config-files.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(ConfigFiles, KeyLogFileIsCreatedReadableByItsOwnerOnly) {
  const mode_t old_umask = ::umask(022);
  auto log = key_log_file(dir / "keys.log");
  ::umask(old_umask);
  ASSERT_NE(log, nullptr);
  const uint8_t random[] = {0xab, 0x01};
  const uint8_t secret[] = {0xff};
  log->log("CLIENT_TRAFFIC_SECRET_0", random, secret);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "keys.log").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(dir / "keys.log");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "CLIENT_TRAFFIC_SECRET_0 ab01 ff\n");
}

TEST_F(ConfigFiles, CertifiedKeyReadsItsKeyFileAndRefusesOthers) {
  std::ofstream(dir / "cert.pem") << test::kEcdsaCertPem;
  std::ofstream(dir / "key.pem") << test::kEcdsaKeyPem;
  auto loaded = CertifiedKey::from_pem_files(dir / "cert.pem", dir / "key.pem", default_provider());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_TRUE((*loaded)->usable());
  auto directory = CertifiedKey::from_pem_files(dir / "cert.pem", dir, default_provider());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::invalid_key);
}

}  // namespace
}  // namespace bastion
