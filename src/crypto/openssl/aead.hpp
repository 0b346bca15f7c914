// AEADs keyed once, with the nonce set per record.
#pragma once

#include <memory>

#include "crypto/openssl/handles.hpp"
#include "crypto/provider.hpp"

namespace bastion::crypto::openssl {

Result<std::unique_ptr<Aead>> make_aead(const EVP_CIPHER* cipher, AeadAlg alg, Bytes key);

}  // namespace bastion::crypto::openssl
