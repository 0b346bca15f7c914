// Certificate chains built to make path validation work as hard as a peer can within the 64 KiB
// Certificate message: thousands of names, dozens of long name constraints per CA, CAs that
// share a subject and a key, layers of made-up CAs, and a maze of CAs that could each have
// signed each other. Shared by the x509 tests (which assert the work stays within the bounds)
// and bastion-x509-bench (which times them).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate_builder.hpp"

namespace bastion::test {

struct HostileChain {
  std::string name;              // what the case is
  std::vector<Der> chain;        // as the peer sends it, end-entity first
  std::vector<Der> anchors;      // the verifier's trust anchors
  std::string server_name;       // the name checked against the end-entity
  size_t message_bytes() const;  // the Certificate message this chain makes
};

// The Certificate message limit the chains are built to fit (limits::kMaxHandshakeMessage).
inline constexpr size_t kHostileMessageLimit = 64 * 1024;

class HostileChainMaker {
 public:
  explicit HostileChainMaker(std::shared_ptr<const crypto::Provider> provider)
      : provider_(std::move(provider)) {}

  // The outside review's chain: an end-entity with as many names as fit, issued by "Evil CA",
  // and `copies` intermediates "Evil CA" (self-issued, one key for all), each excluding 64
  // forty-label DNS subtrees. No trust anchor is reachable.
  HostileChain shared_key_intermediates(size_t copies = 9);
  // Three layers of three made-up intermediates, each with its own key and 64 excluded
  // subtrees; each layer's certificates name the next layer as issuer.
  HostileChain layered_intermediates(size_t layers = 3, size_t width = 3);
  // Fifteen P-384 intermediates that share one name and each have their own key: every one is
  // a candidate issuer of every other, so a search could check 15 x 15 signatures.
  HostileChain signature_maze(size_t count = 15);
  // For comparison, what a verifier usually sees: a root, an intermediate and an end-entity
  // with one name, accepted.
  HostileChain ordinary_chain();
  // A real path: a trusted root and an intermediate, each excluding 64 DNS subtrees, over an
  // end-entity with as many names as fit, none excluded. Every comparison has to be made.
  HostileChain anchored_constraints();

 private:
  struct Ca {
    std::vector<uint8_t> subject;
    std::unique_ptr<crypto::PrivateKey> key;
    std::vector<uint8_t> key_id;
  };

  Ca make_ca(const std::string& name) const;
  Der issue(x509::CertificateSpec spec, const Ca& issuer) const;
  Der ca_certificate(const Ca& ca, const Ca& issuer, size_t constraints, size_t variant) const;
  // An end-entity issued by `issuer` with as many names as fit in `room` bytes.
  Der leaf(const Ca& issuer, size_t room, const std::string& server_name) const;
  x509::CertificateSpec spec(x509::CertificateRole role, std::vector<uint8_t> subject,
                             const crypto::PrivateKey& key) const;

  std::shared_ptr<const crypto::Provider> provider_;
  int64_t now_ = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
};

}  // namespace bastion::test
