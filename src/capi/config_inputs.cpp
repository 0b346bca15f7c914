#include "capi/config_inputs.hpp"

#include <string_view>

#include "bastion.h"
#include "bastion/x509.hpp"

namespace bastion::capi {
namespace {

Error null_input(std::string_view what) {
  return Error{ErrorCode::internal_error, "null argument: " + std::string(what)};
}

std::string_view text_of(const uint8_t* data, size_t len) {
  return {reinterpret_cast<const char*>(data), len};
}

Result<std::shared_ptr<const CertificateVerifier>> webpki(
    Result<std::shared_ptr<const TrustStore>> store) {
  if (!store) return std::move(store).error();
  return webpki_verifier(std::move(store).value(), default_provider());
}

}  // namespace

Result<std::shared_ptr<const CertificateVerifier>> verifier_from_ca_file(const char* path) {
  if (!path) return null_input("path");
  return webpki(TrustStore::from_pem_file(path));
}

Result<std::shared_ptr<const CertificateVerifier>> verifier_from_ca_dir(const char* path) {
  if (!path) return null_input("path");
  return webpki(TrustStore::from_directory(path));
}

Result<std::shared_ptr<const CertificateVerifier>> verifier_from_ca_pem(const uint8_t* pem,
                                                                        size_t len) {
  if (!pem) return null_input("pem");
  auto ders = parse_pem_certificates(text_of(pem, len));
  if (!ders) return std::move(ders).error();
  return webpki(TrustStore::from_ders(std::move(ders).value()));
}

Result<std::shared_ptr<const CertificateVerifier>> verifier_from_system_roots() {
  return webpki(TrustStore::system());
}

Result<std::shared_ptr<const CertifiedKey>> certified_key_from_files(const char* chain_path,
                                                                     const char* key_path) {
  if (!chain_path) return null_input("chain_path");
  if (!key_path) return null_input("key_path");
  return CertifiedKey::from_pem_files(chain_path, key_path, default_provider());
}

Result<std::shared_ptr<const CertifiedKey>> certified_key_from_pem(const uint8_t* chain_pem,
                                                                   size_t chain_len,
                                                                   const uint8_t* key_pem,
                                                                   size_t key_len) {
  if (!chain_pem) return null_input("chain_pem");
  if (!key_pem) return null_input("key_pem");
  return CertifiedKey::from_pem(text_of(chain_pem, chain_len), text_of(key_pem, key_len),
                                default_provider());
}

Result<std::string> alpn_protocol(const uint8_t* protocol, size_t len) {
  if (!protocol) return null_input("protocol");
  if (len == 0 || len > 255) {
    return Error{ErrorCode::invalid_config, "an ALPN protocol name has 1 to 255 bytes"};
  }
  return std::string(text_of(protocol, len));
}

Result<VersionRange> version_range(uint16_t min, uint16_t max) {
  auto known = [](uint16_t v) { return v == BASTION_TLS12 || v == BASTION_TLS13; };
  if (!known(min) || !known(max) || min > max) {
    return Error{ErrorCode::invalid_config,
                 "versions are BASTION_TLS12 or BASTION_TLS13, the minimum not above the maximum"};
  }
  return VersionRange{static_cast<ProtocolVersion>(min), static_cast<ProtocolVersion>(max)};
}

}  // namespace bastion::capi
