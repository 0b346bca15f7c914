// Certification path building and validation (RFC 5280 §6, in the manner of webpki and Go's
// crypto/x509): a depth-first search from the end-entity towards the trust anchors that
// checks each step as it goes and a path's name constraints once it reaches an anchor, bounded
// in depth, in signature verifications and in name comparisons.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bastion/error.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/names.hpp"

namespace bastion::x509 {

// Trust anchors (RFC 5280 §6.1.1 (d)), immutable once built.
class AnchorSet {
 public:
  explicit AnchorSet(std::vector<CertificatePtr> anchors);
  const std::vector<CertificatePtr>& anchors() const { return anchors_; }
  const std::vector<std::vector<uint8_t>>& subject_names() const { return subject_names_; }

 private:
  std::vector<CertificatePtr> anchors_;
  std::vector<std::vector<uint8_t>> subject_names_;
};

enum class KeyPurpose : uint8_t { server_auth, client_auth };

struct ValidationOptions {
  int64_t time = 0;  // seconds since the Unix epoch
  KeyPurpose purpose = KeyPurpose::server_auth;
  // A DNS name or IP literal the end-entity must match; empty: no name check.
  std::string server_name;
  // When set, at most this many intermediates that are not self-issued.
  std::optional<size_t> max_intermediates;
  // Require keyUsage digitalSignature in the end-entity when it has a keyUsage extension
  // (its key signs the TLS handshake).
  bool require_digital_signature = true;
};

// Hard bounds whatever the options say: a hostile chain cannot make us work more than this. A
// verification checks at most kMaxSignatureChecks signatures and makes at most
// kMaxNameComparisons (names.hpp) name-constraint comparisons, over every path it tries.
inline constexpr size_t kMaxPathLength = 10;  // certificates, end-entity and anchor included
inline constexpr size_t kMaxSignatureChecks = 16;

// The work a verification did, for tests and benchmarks.
struct PathWork {
  size_t signature_checks = 0;
  size_t name_comparisons = 0;
};

class AnchorKeys;

// Returns the validated path, end-entity first and anchor last. `anchor_keys`, when given, holds
// the anchors' keys already imported by `provider`; `work`, when given, receives what it cost.
Result<std::vector<CertificatePtr>> build_path(const AnchorSet& anchors, const CertificatePtr& leaf,
                                               std::span<const CertificatePtr> intermediates,
                                               const ValidationOptions& options,
                                               const crypto::Provider& provider,
                                               const AnchorKeys* anchor_keys = nullptr,
                                               PathWork* work = nullptr);

}  // namespace bastion::x509
