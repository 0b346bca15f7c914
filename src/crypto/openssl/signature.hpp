// What a signature algorithm needs from libcrypto, and which key types it fits.
#pragma once

#include "crypto/openssl/algorithms.hpp"

namespace bastion::crypto::openssl {

struct SignatureSetup {
  const EVP_MD* md = nullptr;  // null for Ed25519, which hashes internally
  int rsa_padding = 0;         // RSA_PKCS1_PADDING or RSA_PKCS1_PSS_PADDING; 0 for others
};

// The setup for `alg` with a key of `type`, or an Error with `mismatch` when they do not fit.
Result<SignatureSetup> signature_setup(const Algorithms& algs, KeyType type, SigAlg alg,
                                       ErrorCode mismatch);

// Applies the RSA padding (and for PSS: salt length = digest length, MGF1 with the same
// digest) to a context made by EVP_DigestSignInit or EVP_DigestVerifyInit.
bool configure_signature(EVP_PKEY_CTX* pctx, const SignatureSetup& setup);

const char* key_type_name(KeyType type);
const char* sig_alg_name(SigAlg alg);

}  // namespace bastion::crypto::openssl
