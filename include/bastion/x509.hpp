// X.509 certificates for users of Bastion: PEM reading, a one-line summary of a certificate,
// trust stores, and the WebPKI-style certificate verifier (RFC 5280 §6 path validation,
// RFC 9525 server identity). The parsing and validation code lives in src/x509/.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/error.hpp"

namespace bastion {

namespace crypto {
class Provider;
}  // namespace crypto

namespace x509 {
class AnchorSet;
}  // namespace x509

// What a person wants to see of a certificate.
struct CertificateSummary {
  // Distinguished names on one line, RDNs in the order they are encoded (most significant
  // first, unlike RFC 4514): "C=US, O=Example, CN=example.com".
  std::string subject;
  std::string issuer;
  // Validity bounds in UTC: "2026-11-23T18:00:00Z".
  std::string not_before;
  std::string not_after;
  // subjectAltName entries: dNSNames as encoded, iPAddresses as text ("192.0.2.1", "::1").
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};

// Parses a DER certificate strictly and summarises it (bad_certificate when malformed).
BASTION_API Result<CertificateSummary> describe_certificate(std::span<const uint8_t> der);

// Every "-----BEGIN CERTIFICATE-----" block of a PEM text, in order, decoded to DER. Text
// outside the blocks is ignored; a malformed block (bad base64, missing END) is an error, and
// so is a text with no certificate at all.
BASTION_API Result<std::vector<Der>> parse_pem_certificates(std::string_view pem);

// Trust anchors, parsed once and immutable: share one store between configs and threads.
class BASTION_API TrustStore {
 public:
  // A PEM bundle (one or more certificates).
  static Result<std::shared_ptr<const TrustStore>> from_pem_file(const std::filesystem::path& path);
  // Every *.pem / *.crt file of a directory (not recursive); files that hold no certificate
  // are skipped, a directory without any certificate is an error.
  static Result<std::shared_ptr<const TrustStore>> from_directory(
      const std::filesystem::path& path);
  static Result<std::shared_ptr<const TrustStore>> from_ders(std::vector<Der> ders);
  // The operating system's bundle (Debian: /etc/ssl/certs/ca-certificates.crt).
  static Result<std::shared_ptr<const TrustStore>> system();

  ~TrustStore();
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  size_t size() const;
  // The anchors' subject names (DER Name), for CertificateRequest certificate_authorities.
  const std::vector<Der>& subject_names() const;
  // The parsed anchors, for the verifier (the type is internal to the library).
  const x509::AnchorSet& anchors() const { return *anchors_; }

  explicit TrustStore(std::unique_ptr<const x509::AnchorSet> anchors);

 private:
  std::unique_ptr<const x509::AnchorSet> anchors_;
};

// Path validation in the spirit of webpki / Go crypto/x509: builds a path from the peer's
// chain (unordered, with superfluous certificates allowed) to an anchor of `store`, checks
// signatures through `provider`, validity at `now`, basicConstraints, keyUsage, name
// constraints, extended key usage (serverAuth for servers, clientAuth for clients) and, for
// servers, the name per RFC 9525 (subjectAltName only; IP literals against IP SANs).
// A null provider means default_provider(); a null store rejects every chain.
BASTION_API std::shared_ptr<const CertificateVerifier> webpki_verifier(
    std::shared_ptr<const TrustStore> store, std::shared_ptr<const crypto::Provider> provider);

}  // namespace bastion
