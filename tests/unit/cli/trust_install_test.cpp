// How `bastion cert install` names the CA in the stores and reads it
// (tools/bastion/trust_install.cpp); installing itself is tested in tests/interop/.
#include "trust_install.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "bastion/ca.hpp"
#include "certificate_report.hpp"

namespace bastion::cli {
namespace {

namespace fs = std::filesystem;

CaStoreNames names_for(std::string subject) {
  CertificateSummary summary;
  summary.subject = std::move(subject);
  return ca_store_names(summary);
}

TEST(CaStoreNames, FromTheCommonName) {
  auto names = names_for("O=Bastion development CA, CN=Bastion CA alice@laptop 1a2b3c4d");
  EXPECT_EQ(names.nickname, "Bastion CA alice@laptop 1a2b3c4d");
  EXPECT_EQ(names.file_name, "bastion-ca-alice-laptop-1a2b3c4d.crt");
  names = names_for("CN=My Dev Root, O=Example");
  EXPECT_EQ(names.nickname, "My Dev Root");
  EXPECT_EQ(names.file_name, "bastion-my-dev-root.crt");
}

TEST(CaStoreNames, WithoutAUsableCommonName) {
  auto names = names_for("C=US, O=Example Inc.");
  EXPECT_EQ(names.nickname, "C=US, O=Example Inc.");
  EXPECT_EQ(names.file_name, "bastion-c-us-o-example-inc.crt");
  // "CN=" inside another attribute's value is not a CN.
  EXPECT_EQ(names_for("O=XCN=Y").nickname, "O=XCN=Y");
  EXPECT_EQ(names_for("CN=").nickname, "CN=");
  names = names_for("");
  EXPECT_EQ(names.nickname, "Bastion local CA");
  EXPECT_EQ(names.file_name, "bastion-local-ca.crt");
  EXPECT_EQ(names_for("CN=---").file_name, "bastion-ca.crt");
}

TEST(CaStoreNames, FileNamesAreTameAndBounded) {
  auto names = names_for("CN=Zürich  Root/../../etc");
  EXPECT_EQ(names.file_name, "bastion-z-rich-root-etc.crt");
  names = names_for("CN=" + std::string(200, 'a'));
  EXPECT_EQ(names.file_name, "bastion-" + std::string(64, 'a') + ".crt");
}

TEST(ReadTrustedCa, ReadsTheCaOfADirectory) {
  const fs::path dir =
      fs::temp_directory_path() / ("bastion-cli-trust-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto missing = read_trusted_ca(dir);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("bastion cert ca --dir"), std::string::npos);

  auto ca = LocalCa::create(dir, CertKeyType::ecdsa_p256, nullptr);
  ASSERT_TRUE(ca) << ca.error().message();
  auto trusted = read_trusted_ca(dir);
  ASSERT_TRUE(trusted) << trusted.error().message();
  EXPECT_EQ(trusted->certificate, ca->certificate());
  EXPECT_EQ(trusted->pem_file, dir / "ca.pem");
  EXPECT_TRUE(trusted->names.nickname.starts_with("Bastion CA ")) << trusted->names.nickname;
  EXPECT_TRUE(trusted->names.file_name.starts_with("bastion-ca-")) << trusted->names.file_name;

  {
    std::ofstream twice(dir / "ca.pem", std::ios::app);
    twice << pem_certificate(ca->certificate());
  }
  auto bundle = read_trusted_ca(dir);
  ASSERT_FALSE(bundle);
  EXPECT_NE(bundle.error().message().find("holds 2 certificates"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bastion::cli
