// The local CA's certificates as OpenSSL's command line sees them: `openssl x509 -text`
// parses them and `openssl verify -x509_strict` accepts the leaf for its name, address and
// both purposes. Skipped when the openssl command is not installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "bastion/ca.hpp"
#include "crypto/provider.hpp"
#include "unit/x509/ca_test_support.hpp"

namespace bastion {
namespace {

using x509::testing::read_text_file;
using x509::testing::TempDir;

bool have_openssl() {
  return std::system("openssl version >/dev/null 2>&1") == 0;
}

std::string quoted(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

// Runs `command` with its output in `output` (both streams); true when it exits with 0.
bool run(const std::string& command, const std::filesystem::path& output) {
  return std::system((command + " >" + quoted(output) + " 2>&1").c_str()) == 0;
}

struct KeyTypes {
  CertKeyType ca;
  CertKeyType leaf;
};

class CaOpensslTest : public ::testing::TestWithParam<KeyTypes> {};

TEST_P(CaOpensslTest, OpensslParsesAndVerifies) {
  if (!have_openssl()) GTEST_SKIP() << "the openssl command is not installed";
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const auto provider = crypto::openssl_provider();
  auto ca = LocalCa::create(dir.path() / "ca", GetParam().ca, provider);
  ASSERT_TRUE(ca.ok()) << ca.error().message();
  auto leaf = ca->issue({"localhost", "127.0.0.1", "::1"}, dir.path(), GetParam().leaf);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message();
  const std::string ca_pem = quoted(ca->certificate_file());
  const std::string leaf_pem = quoted(leaf->certificate_file);
  const auto out = dir.path() / "out.txt";

  ASSERT_TRUE(run("openssl x509 -noout -text -in " + ca_pem, out)) << read_text_file(out);
  const std::string ca_text = read_text_file(out);
  EXPECT_NE(ca_text.find("CA:TRUE, pathlen:0"), std::string::npos) << ca_text;
  EXPECT_NE(ca_text.find("Certificate Sign, CRL Sign"), std::string::npos) << ca_text;
  EXPECT_NE(ca_text.find("Subject Key Identifier"), std::string::npos) << ca_text;

  ASSERT_TRUE(run("openssl x509 -noout -text -in " + leaf_pem, out)) << read_text_file(out);
  const std::string leaf_text = read_text_file(out);
  EXPECT_NE(leaf_text.find("Digital Signature"), std::string::npos) << leaf_text;
  EXPECT_NE(leaf_text.find("TLS Web Server Authentication, TLS Web Client Authentication"),
            std::string::npos)
      << leaf_text;
  EXPECT_NE(leaf_text.find("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"),
            std::string::npos)
      << leaf_text;
  EXPECT_NE(leaf_text.find("Authority Key Identifier"), std::string::npos) << leaf_text;

  const std::string verify = "openssl verify -x509_strict -CAfile " + ca_pem;
  EXPECT_TRUE(run(verify + " " + leaf_pem, out)) << read_text_file(out);
  EXPECT_TRUE(run(verify + " -purpose sslserver -verify_hostname localhost " + leaf_pem, out))
      << read_text_file(out);
  EXPECT_TRUE(run(verify + " -purpose sslserver -verify_ip 127.0.0.1 " + leaf_pem, out))
      << read_text_file(out);
  EXPECT_TRUE(run(verify + " -purpose sslclient " + leaf_pem, out)) << read_text_file(out);
  EXPECT_FALSE(run(verify + " -verify_hostname example.com " + leaf_pem, out))
      << read_text_file(out);

  // The key file holds the certificate's key.
  const auto cert_key = dir.path() / "cert-pub.txt";
  const auto file_key = dir.path() / "key-pub.txt";
  ASSERT_TRUE(run("openssl x509 -noout -pubkey -in " + leaf_pem, cert_key));
  ASSERT_TRUE(run("openssl pkey -pubout -in " + quoted(leaf->key_file), file_key));
  EXPECT_EQ(read_text_file(cert_key), read_text_file(file_key));
}

INSTANTIATE_TEST_SUITE_P(
    KeyTypes, CaOpensslTest,
    ::testing::Values(KeyTypes{CertKeyType::ecdsa_p256, CertKeyType::ecdsa_p256},
                      KeyTypes{CertKeyType::ecdsa_p384, CertKeyType::ecdsa_p384},
                      KeyTypes{CertKeyType::rsa_2048, CertKeyType::rsa_2048},
                      KeyTypes{CertKeyType::ed25519, CertKeyType::ed25519},
                      KeyTypes{CertKeyType::rsa_3072, CertKeyType::ecdsa_p256},
                      KeyTypes{CertKeyType::ecdsa_p256, CertKeyType::rsa_2048}),
    [](const ::testing::TestParamInfo<KeyTypes>& param_info) {
      std::string name = std::string(to_string(param_info.param.ca)) + "_ca_" +
                         std::string(to_string(param_info.param.leaf)) + "_leaf";
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace bastion
