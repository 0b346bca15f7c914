// The trust anchors' public keys, imported once for a verifier rather than once per chain.
#pragma once

#include <memory>
#include <mutex>

#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/path.hpp"

namespace bastion::x509 {

// Every chain a verifier checks ends at one of the same anchors, and importing a key costs a
// tenth of a signature check. Each key is imported on first use (a system store holds over a
// hundred anchors, most never used) under std::call_once, so threads sharing a verifier may
// fill it concurrently. `anchors` and `provider` must outlive it.
class AnchorKeys {
 public:
  AnchorKeys(const AnchorSet& anchors, const crypto::Provider& provider);

  // The key of `anchor`, one of the set's certificates; null when it is not one of them or the
  // provider refuses its key (the caller then imports it again to report why).
  const crypto::PublicKey* find(const Certificate& anchor) const;

 private:
  struct Slot {
    std::once_flag once;
    std::unique_ptr<crypto::PublicKey> key;
  };

  const AnchorSet& anchors_;
  const crypto::Provider& provider_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace bastion::x509
