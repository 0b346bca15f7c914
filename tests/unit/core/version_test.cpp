#include "bastion/version.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bastion {
namespace {

TEST(Version, TheLibraryAndTheMacrosAgree) {
  EXPECT_EQ(version(), BASTION_VERSION_STRING);
  EXPECT_EQ(std::string(version()), std::to_string(BASTION_VERSION_MAJOR) + "." +
                                        std::to_string(BASTION_VERSION_MINOR) + "." +
                                        std::to_string(BASTION_VERSION_PATCH));
}

}  // namespace
}  // namespace bastion
