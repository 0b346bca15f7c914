#include "bastion/version.hpp"

namespace bastion {

std::string_view version() {
  return BASTION_VERSION_STRING;
}

}  // namespace bastion
