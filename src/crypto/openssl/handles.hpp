// Owning handles for libcrypto objects, and turning libcrypto failures into Error values.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <memory>
#include <string_view>

#include "bastion/error.hpp"

namespace bastion::crypto::openssl {

template <auto Free>
struct Freer {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

using MdPtr = std::unique_ptr<EVP_MD, Freer<EVP_MD_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Freer<EVP_MD_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Freer<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Freer<EVP_CIPHER_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Freer<EVP_PKEY_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Freer<BN_clear_free>>;

// An Error whose detail is `what` followed by libcrypto's most recent reason. Empties this
// thread's libcrypto error queue, so that failures do not pile up in it.
Error openssl_error(ErrorCode code, std::string_view what);

// Empties this thread's libcrypto error queue after an expected failure (a bad tag, a bad
// signature, a point not on the curve).
void discard_openssl_errors();

// For failures that an interface without an error channel cannot report (allocation failure in
// libcrypto, a caller breaking a documented size contract). Continuing could leak or reuse key
// material, so the process stops.
[[noreturn]] void fatal(std::string_view what);

}  // namespace bastion::crypto::openssl
