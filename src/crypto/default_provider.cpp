#include "bastion/config.hpp"
#include "crypto/provider.hpp"

namespace bastion {

std::shared_ptr<const crypto::Provider> default_provider() {
  return crypto::openssl_provider();
}

}  // namespace bastion
