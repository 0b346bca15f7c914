// HMAC keyed once: the hash states after the inner and outer pad blocks, prepared at creation.
#pragma once

#include <memory>

#include "crypto/openssl/handles.hpp"
#include "crypto/provider.hpp"

namespace bastion::crypto::openssl {

std::unique_ptr<Hmac> make_hmac(const EVP_MD* md, HashAlg alg, Bytes key);

}  // namespace bastion::crypto::openssl
