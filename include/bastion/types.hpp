// Wire code points that appear in the public API, with their IANA names.
// Unknown values are representable: an enum class holds any value of its underlying type.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bastion {

enum class ProtocolVersion : uint16_t {
  tls10 = 0x0301,
  tls11 = 0x0302,
  tls12 = 0x0303,
  tls13 = 0x0304,
};

enum class CipherSuite : uint16_t {
  tls_aes_128_gcm_sha256 = 0x1301,
  tls_aes_256_gcm_sha384 = 0x1302,
  tls_chacha20_poly1305_sha256 = 0x1303,
  tls_aes_128_ccm_sha256 = 0x1304,    // not offered unless a config names it
  tls_aes_128_ccm_8_sha256 = 0x1305,  // not offered unless a config names it
  // TLS 1.2 (RFC 5289, RFC 7905): ECDHE with AEAD only.
  tls_ecdhe_ecdsa_with_aes_128_gcm_sha256 = 0xc02b,
  tls_ecdhe_ecdsa_with_aes_256_gcm_sha384 = 0xc02c,
  tls_ecdhe_rsa_with_aes_128_gcm_sha256 = 0xc02f,
  tls_ecdhe_rsa_with_aes_256_gcm_sha384 = 0xc030,
  tls_ecdhe_rsa_with_chacha20_poly1305_sha256 = 0xcca8,
  tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256 = 0xcca9,
  // TLS 1.2 RSA key transport (RFC 5288): no forward secrecy; only when a config names them.
  tls_rsa_with_aes_128_gcm_sha256 = 0x009c,
  tls_rsa_with_aes_256_gcm_sha384 = 0x009d,
};

enum class NamedGroup : uint16_t {
  secp256r1 = 0x0017,
  secp384r1 = 0x0018,
  secp521r1 = 0x0019,
  x25519 = 0x001d,
  x448 = 0x001e,
  // RFC 7919 finite-field groups.
  ffdhe2048 = 0x0100,
  ffdhe3072 = 0x0101,
  ffdhe4096 = 0x0102,
  ffdhe6144 = 0x0103,
  ffdhe8192 = 0x0104,
};

enum class SignatureScheme : uint16_t {
  rsa_pkcs1_sha256 = 0x0401,
  rsa_pkcs1_sha384 = 0x0501,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp256r1_sha256 = 0x0403,
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
  ed25519 = 0x0807,
  ed448 = 0x0808,
  rsa_pss_pss_sha256 = 0x0809,
  rsa_pss_pss_sha384 = 0x080a,
  rsa_pss_pss_sha512 = 0x080b,
};

// IANA spellings: "TLSv1.3", "TLS_AES_128_GCM_SHA256", "x25519", "ecdsa_secp256r1_sha256".
// Unknown values print as hex ("0x1a1a").
BASTION_API std::string to_string(ProtocolVersion v);
BASTION_API std::string to_string(CipherSuite s);
BASTION_API std::string to_string(NamedGroup g);
BASTION_API std::string to_string(SignatureScheme s);

// Parse the IANA spelling (case-insensitive); also accepts "P-256", "P-384" and "P-521".
BASTION_API std::optional<CipherSuite> parse_cipher_suite(std::string_view name);
BASTION_API std::optional<NamedGroup> parse_named_group(std::string_view name);

}  // namespace bastion
