// A public SigningKey seen through the provider's PrivateKey interface, so that the handshake
// signs with it as with a key in memory.
#pragma once

#include <memory>

#include "bastion/config.hpp"
#include "crypto/provider.hpp"

namespace bastion {

// `key` signs for the leaf whose public key is `leaf_key`.
std::shared_ptr<const crypto::PrivateKey> wrap_signing_key(std::shared_ptr<const SigningKey> key,
                                                           crypto::PublicKeyParams leaf_key);

}  // namespace bastion
