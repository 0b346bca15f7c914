// Ephemeral key-exchange shares: X25519 and the NIST curves.
#pragma once

#include <memory>

#include "crypto/openssl/algorithms.hpp"

namespace bastion::crypto::openssl {

bool key_share_supported(NamedGroup group);
Result<std::unique_ptr<KeyShare>> generate_key_share(std::shared_ptr<const Algorithms> algs,
                                                     NamedGroup group);
Result<std::unique_ptr<KeyShare>> key_share_from_private(std::shared_ptr<const Algorithms> algs,
                                                         NamedGroup group, Bytes private_key);

}  // namespace bastion::crypto::openssl
