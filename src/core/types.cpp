#include "bastion/types.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

namespace bastion {
namespace {

std::string hex16(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

constexpr std::array<std::pair<CipherSuite, std::string_view>, 13> kSuiteNames{{
    {CipherSuite::tls_aes_128_gcm_sha256, "TLS_AES_128_GCM_SHA256"},
    {CipherSuite::tls_aes_256_gcm_sha384, "TLS_AES_256_GCM_SHA384"},
    {CipherSuite::tls_chacha20_poly1305_sha256, "TLS_CHACHA20_POLY1305_SHA256"},
    {CipherSuite::tls_aes_128_ccm_sha256, "TLS_AES_128_CCM_SHA256"},
    {CipherSuite::tls_aes_128_ccm_8_sha256, "TLS_AES_128_CCM_8_SHA256"},
    {CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
     "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384,
     "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256,
     "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
     "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {CipherSuite::tls_rsa_with_aes_128_gcm_sha256, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {CipherSuite::tls_rsa_with_aes_256_gcm_sha384, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
}};

constexpr std::array<std::pair<NamedGroup, std::string_view>, 10> kGroupNames{{
    {NamedGroup::secp256r1, "secp256r1"},
    {NamedGroup::secp384r1, "secp384r1"},
    {NamedGroup::secp521r1, "secp521r1"},
    {NamedGroup::x25519, "x25519"},
    {NamedGroup::x448, "x448"},
    {NamedGroup::ffdhe2048, "ffdhe2048"},
    {NamedGroup::ffdhe3072, "ffdhe3072"},
    {NamedGroup::ffdhe4096, "ffdhe4096"},
    {NamedGroup::ffdhe6144, "ffdhe6144"},
    {NamedGroup::ffdhe8192, "ffdhe8192"},
}};

constexpr std::array<std::pair<SignatureScheme, std::string_view>, 14> kSchemeNames{{
    {SignatureScheme::rsa_pkcs1_sha256, "rsa_pkcs1_sha256"},
    {SignatureScheme::rsa_pkcs1_sha384, "rsa_pkcs1_sha384"},
    {SignatureScheme::rsa_pkcs1_sha512, "rsa_pkcs1_sha512"},
    {SignatureScheme::ecdsa_secp256r1_sha256, "ecdsa_secp256r1_sha256"},
    {SignatureScheme::ecdsa_secp384r1_sha384, "ecdsa_secp384r1_sha384"},
    {SignatureScheme::ecdsa_secp521r1_sha512, "ecdsa_secp521r1_sha512"},
    {SignatureScheme::rsa_pss_rsae_sha256, "rsa_pss_rsae_sha256"},
    {SignatureScheme::rsa_pss_rsae_sha384, "rsa_pss_rsae_sha384"},
    {SignatureScheme::rsa_pss_rsae_sha512, "rsa_pss_rsae_sha512"},
    {SignatureScheme::ed25519, "ed25519"},
    {SignatureScheme::ed448, "ed448"},
    {SignatureScheme::rsa_pss_pss_sha256, "rsa_pss_pss_sha256"},
    {SignatureScheme::rsa_pss_pss_sha384, "rsa_pss_pss_sha384"},
    {SignatureScheme::rsa_pss_pss_sha512, "rsa_pss_pss_sha512"},
}};

template <class E, size_t N>
std::string name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return std::string(name);
  }
  return hex16(static_cast<uint16_t>(value));
}

template <class E, size_t N>
std::optional<E> parse_in(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [v, n] : table) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string to_string(ProtocolVersion v) {
  switch (v) {
    case ProtocolVersion::tls10:
      return "TLSv1.0";
    case ProtocolVersion::tls11:
      return "TLSv1.1";
    case ProtocolVersion::tls12:
      return "TLSv1.2";
    case ProtocolVersion::tls13:
      return "TLSv1.3";
  }
  return hex16(static_cast<uint16_t>(v));
}

std::string to_string(CipherSuite s) {
  return name_of(kSuiteNames, s);
}
std::string to_string(NamedGroup g) {
  return name_of(kGroupNames, g);
}
std::string to_string(SignatureScheme s) {
  return name_of(kSchemeNames, s);
}

std::optional<CipherSuite> parse_cipher_suite(std::string_view name) {
  return parse_in(kSuiteNames, name);
}

std::optional<NamedGroup> parse_named_group(std::string_view name) {
  if (iequals(name, "P-256")) return NamedGroup::secp256r1;
  if (iequals(name, "P-384")) return NamedGroup::secp384r1;
  if (iequals(name, "P-521")) return NamedGroup::secp521r1;
  return parse_in(kGroupNames, name);
}

}  // namespace bastion
