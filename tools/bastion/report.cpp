#include <cstdio>
#include <string>

#include "commands.hpp"

namespace bastion::cli {

int fail(std::string_view message) {
  std::fprintf(stderr, "error: %.*s\n", static_cast<int>(message.size()), message.data());
  return 1;
}

int usage_error(std::string_view message) {
  std::fprintf(stderr, "error: %.*s (see bastion --help)\n", static_cast<int>(message.size()),
               message.data());
  return 2;
}

}  // namespace bastion::cli
