// Ephemeral key-exchange shares: X25519 and X448, the NIST curves, and the RFC 7919 FFDHE
// groups, each with the checks RFC 8446 §4.2.8 asks of a peer's share.
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
