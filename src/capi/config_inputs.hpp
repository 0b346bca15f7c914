// What both config builders read from their C arguments: trust anchors, certificates with
// their keys, ALPN protocol names and version numbers, checked and turned into C++ values.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bastion/config.hpp"
#include "bastion/error.hpp"

namespace bastion::capi {

// A WebPKI verifier trusting the anchors of a PEM bundle, a directory or PEM text.
Result<std::shared_ptr<const CertificateVerifier>> verifier_from_ca_file(const char* path);
Result<std::shared_ptr<const CertificateVerifier>> verifier_from_ca_dir(const char* path);
Result<std::shared_ptr<const CertificateVerifier>> verifier_from_ca_pem(const uint8_t* pem,
                                                                        size_t len);
Result<std::shared_ptr<const CertificateVerifier>> verifier_from_system_roots();

Result<std::shared_ptr<const CertifiedKey>> certified_key_from_files(const char* chain_path,
                                                                     const char* key_path);
Result<std::shared_ptr<const CertifiedKey>> certified_key_from_pem(const uint8_t* chain_pem,
                                                                   size_t chain_len,
                                                                   const uint8_t* key_pem,
                                                                   size_t key_len);

// An ALPN protocol name: 1 to 255 bytes (RFC 7301 §3.1).
Result<std::string> alpn_protocol(const uint8_t* protocol, size_t len);

struct VersionRange {
  ProtocolVersion min;
  ProtocolVersion max;
};
// BASTION_TLS12 or BASTION_TLS13 each, the minimum not above the maximum.
Result<VersionRange> version_range(uint16_t min, uint16_t max);

}  // namespace bastion::capi
