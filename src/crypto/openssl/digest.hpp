// Hashes, HMAC and HKDF over pre-fetched digests.
#pragma once

#include <memory>

#include "crypto/openssl/handles.hpp"
#include "crypto/provider.hpp"

namespace bastion::crypto::openssl {

std::unique_ptr<HashContext> make_hash_context(const EVP_MD* md, HashAlg alg);

void hmac(const EVP_MD* md, Bytes key, Bytes data, MutableBytes out);
void hkdf_extract(const EVP_MD* md, Bytes salt, Bytes ikm, MutableBytes out);
void hkdf_expand(const EVP_MD* md, Bytes prk, Bytes info, MutableBytes out);

}  // namespace bastion::crypto::openssl
