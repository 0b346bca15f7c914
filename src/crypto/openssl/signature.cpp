#include "crypto/openssl/signature.hpp"

#include <openssl/rsa.h>

#include <string>

namespace bastion::crypto::openssl {

namespace {

bool is_ec(KeyType type) {
  return type == KeyType::ec_p256 || type == KeyType::ec_p384 || type == KeyType::ec_p521;
}

}  // namespace

Result<SignatureSetup> signature_setup(const Algorithms& algs, KeyType type, SigAlg alg,
                                       ErrorCode mismatch) {
  SignatureSetup setup;
  bool fits = false;
  switch (alg) {
    case SigAlg::rsa_pkcs1_sha256:
    case SigAlg::rsa_pkcs1_sha384:
    case SigAlg::rsa_pkcs1_sha512:
      // An RSASSA-PSS key (RFC 4055) must not make PKCS#1 v1.5 signatures.
      fits = type == KeyType::rsa;
      setup.rsa_padding = RSA_PKCS1_PADDING;
      break;
    case SigAlg::rsa_pss_sha256:
    case SigAlg::rsa_pss_sha384:
    case SigAlg::rsa_pss_sha512:
      fits = type == KeyType::rsa || type == KeyType::rsa_pss;
      setup.rsa_padding = RSA_PKCS1_PSS_PADDING;
      break;
    case SigAlg::ecdsa_sha256:
    case SigAlg::ecdsa_sha384:
    case SigAlg::ecdsa_sha512:
      // The curve/hash pairing of TLS 1.3 schemes is the caller's constraint; X.509 allows any.
      fits = is_ec(type);
      break;
    case SigAlg::ed25519:
      fits = type == KeyType::ed25519;
      break;
    case SigAlg::ed448:
      fits = type == KeyType::ed448;
      break;
  }
  if (!fits) {
    return Error{mismatch, std::string(sig_alg_name(alg)) + " does not fit a " +
                               key_type_name(type) + " key"};
  }
  switch (alg) {
    case SigAlg::rsa_pkcs1_sha256:
    case SigAlg::rsa_pss_sha256:
    case SigAlg::ecdsa_sha256:
      setup.md = algs.sha256.get();
      break;
    case SigAlg::rsa_pkcs1_sha384:
    case SigAlg::rsa_pss_sha384:
    case SigAlg::ecdsa_sha384:
      setup.md = algs.sha384.get();
      break;
    case SigAlg::rsa_pkcs1_sha512:
    case SigAlg::rsa_pss_sha512:
    case SigAlg::ecdsa_sha512:
      setup.md = algs.sha512.get();
      break;
    case SigAlg::ed25519:
    case SigAlg::ed448:
      break;  // EdDSA hashes the message itself (RFC 8032)
  }
  return setup;
}

bool configure_signature(EVP_PKEY_CTX* pctx, const SignatureSetup& setup) {
  if (setup.rsa_padding == 0) return true;
  if (EVP_PKEY_CTX_set_rsa_padding(pctx, setup.rsa_padding) != 1) return false;
  if (setup.rsa_padding != RSA_PKCS1_PSS_PADDING) return true;
  // RFC 8446 §4.2.3: the salt length MUST equal the digest length; MGF1 uses the same digest.
  return EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, setup.md) == 1;
}

const char* key_type_name(KeyType type) {
  switch (type) {
    case KeyType::rsa:
      return "RSA";
    case KeyType::rsa_pss:
      return "RSASSA-PSS";
    case KeyType::ec_p256:
      return "P-256";
    case KeyType::ec_p384:
      return "P-384";
    case KeyType::ec_p521:
      return "P-521";
    case KeyType::ed25519:
      return "Ed25519";
    case KeyType::ed448:
      return "Ed448";
  }
  return "unknown";
}

const char* sig_alg_name(SigAlg alg) {
  switch (alg) {
    case SigAlg::rsa_pkcs1_sha256:
      return "rsa_pkcs1_sha256";
    case SigAlg::rsa_pkcs1_sha384:
      return "rsa_pkcs1_sha384";
    case SigAlg::rsa_pkcs1_sha512:
      return "rsa_pkcs1_sha512";
    case SigAlg::rsa_pss_sha256:
      return "rsa_pss_sha256";
    case SigAlg::rsa_pss_sha384:
      return "rsa_pss_sha384";
    case SigAlg::rsa_pss_sha512:
      return "rsa_pss_sha512";
    case SigAlg::ecdsa_sha256:
      return "ecdsa_sha256";
    case SigAlg::ecdsa_sha384:
      return "ecdsa_sha384";
    case SigAlg::ecdsa_sha512:
      return "ecdsa_sha512";
    case SigAlg::ed25519:
      return "ed25519";
    case SigAlg::ed448:
      return "ed448";
  }
  return "unknown";
}

}  // namespace bastion::crypto::openssl
