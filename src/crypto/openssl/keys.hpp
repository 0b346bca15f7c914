// Signature keys: public keys imported from certificate fields, private keys loaded from PEM or
// generated.
#pragma once

#include <memory>
#include <string_view>

#include "crypto/openssl/algorithms.hpp"

namespace bastion::crypto::openssl {

Result<std::unique_ptr<PublicKey>> import_public_key(std::shared_ptr<const Algorithms> algs,
                                                     const PublicKeyParams& params);
Result<std::unique_ptr<PrivateKey>> load_private_key_pem(std::shared_ptr<const Algorithms> algs,
                                                         std::string_view pem, Bytes passphrase);
Result<std::unique_ptr<PrivateKey>> generate_private_key(std::shared_ptr<const Algorithms> algs,
                                                         KeyType type, size_t bits);

}  // namespace bastion::crypto::openssl
