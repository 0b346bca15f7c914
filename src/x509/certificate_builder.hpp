// Issuing X.509 v3 certificates (RFC 5280 §4.1) for the local CA: a TBSCertificate written
// with der::Writer and signed with the issuer's key through the crypto provider.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"
#include "crypto/provider.hpp"

namespace bastion::x509 {

// The attributes our names carry: CN and O, both UTF8String (RFC 5280 §4.1.2.4).
struct NameSpec {
  std::string common_name;
  std::string organization;
};
// The DER Name: O first, then CN, one attribute per RDN; empty attributes are left out.
std::vector<uint8_t> encode_name(const NameSpec& name);

// What the issued certificate is for.
enum class CertificateRole : uint8_t {
  // A root that signs leaves only: cA with pathLenConstraint 0, keyCertSign and cRLSign.
  local_root,
  // An intermediate CA: cA without a path length bound, keyCertSign and cRLSign.
  intermediate_ca,
  // A TLS server and client certificate: digitalSignature (and keyEncipherment for RSA
  // keys), serverAuth and clientAuth.
  tls_leaf,
};

struct CertificateSpec {
  CertificateRole role = CertificateRole::tls_leaf;
  std::vector<uint8_t> subject;  // a DER Name (encode_name)
  int64_t not_before = 0;        // seconds since the Unix epoch, both bounds inclusive
  int64_t not_after = 0;
  crypto::PublicKeyParams public_key;
  // subjectAltName entries: IP addresses ("192.0.2.1", "::1"), email addresses (with '@')
  // and DNS names (a leftmost "*" label allowed). Required for leaves.
  std::vector<std::string> names;
  // CAs: DNS subtrees excluded below this CA (a critical nameConstraints extension).
  std::vector<std::string> excluded_dns;
};

// The certificate that signs: its subject, its key identifier and its private key. For a
// self-signed certificate, the subject and key identifier of the certificate being built.
struct IssuerSpec {
  std::vector<uint8_t> name;    // DER Name, copied byte for byte into the issuer field
  std::vector<uint8_t> key_id;  // authorityKeyIdentifier; empty for a self-signed root
  const crypto::PrivateKey* key = nullptr;
};

// RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey BIT
// STRING's bytes. (RFC 5280 §4.2.1.2 suggests SHA-1, which the provider does not offer.)
std::vector<uint8_t> key_identifier(const crypto::PublicKeyParams& key,
                                    const crypto::Provider& provider);

// The SubjectPublicKeyInfo TLV of a key (RFC 3279 §2.3.1, RFC 5480 §2, RFC 8410 §4).
Result<std::vector<uint8_t>> encode_subject_public_key_info(const crypto::PublicKeyParams& key);

// The DER certificate, signed by `issuer.key`; the serial is 16 random bytes from the provider.
// Errors: invalid_config for a name that is not a valid DNS name, IP or email address, a
// validity that cannot be encoded, or a key type we do not issue for (RSASSA-PSS keys);
// crypto_failure when signing fails.
Result<std::vector<uint8_t>> build_certificate(const CertificateSpec& spec,
                                               const IssuerSpec& issuer,
                                               const crypto::Provider& provider);

// A self-signed root: IssuerSpec from the spec's own subject, with `key` as the signer.
Result<std::vector<uint8_t>> build_self_signed(const CertificateSpec& spec,
                                               const crypto::PrivateKey& key,
                                               const crypto::Provider& provider);

// RFC 7468 §2 textual encoding: "-----BEGIN <label>-----", base64 in lines of 64 characters,
// "-----END <label>-----", each line ending with '\n'.
std::string pem_encode(std::string_view label, std::span<const uint8_t> der);

}  // namespace bastion::x509
