#include "core/secret_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace bastion {
namespace {

class SecretFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bastion-secret-file.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  }
  std::filesystem::path dir;
};

TEST_F(SecretFile, ReadsTheWholeFile) {
  const std::string text = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  auto read = read_secret_file(write("key.pem", text), 1024);
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(std::string(read->span().begin(), read->span().end()), text);
  auto empty = read_secret_file(write("empty.pem", ""), 1024);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size(), 0u);
}

TEST_F(SecretFile, RefusesWhatIsNotASmallRegularFile) {
  auto large = read_secret_file(write("large.pem", std::string(1025, 'a')), 1024);
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().code, ErrorCode::io_error);
  auto directory = read_secret_file(dir, 1024);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::io_error);
  auto missing = read_secret_file(dir / "missing.pem", 1024);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().detail.find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace bastion
