// Keying material exporters (RFC 5705 for TLS 1.2, RFC 8446 §7.5 for TLS 1.3): what a
// handshake keeps once its secrets are known, to answer export_keying_material().
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace bastion::handshake {

class Exporter {
 public:
  // TLS 1.3: from the exporter master secret.
  static Exporter tls13(const crypto::Provider& provider, crypto::HashAlg hash,
                        Secret exporter_master);
  // TLS 1.2: from the master secret and the randoms. Without the extended master secret it
  // refuses (RFC 7627 §5.4: such a session MUST NOT export keying material).
  static Exporter tls12(const crypto::Provider& provider, crypto::HashAlg hash, Secret master,
                        const std::array<uint8_t, 32>& client_random,
                        const std::array<uint8_t, 32>& server_random, bool extended_master_secret);

  // `context` null: no context (TLS 1.2 tells it from an empty one; TLS 1.3 does not).
  // illegal_parameter for labels the PRF reserves or lengths over the limits;
  // no_extended_master_secret for a TLS 1.2 session without it.
  [[nodiscard]] Result<void> export_keying_material(std::string_view label,
                                                    const crypto::Bytes* context,
                                                    crypto::MutableBytes out) const;

 private:
  Exporter(const crypto::Provider& provider, crypto::HashAlg hash, Secret secret, bool tls12)
      : provider_(&provider), hash_(hash), secret_(std::move(secret)), tls12_(tls12) {}
  const crypto::Provider* provider_;
  crypto::HashAlg hash_;
  Secret secret_;
  bool tls12_;
  bool extended_master_secret_ = true;
  std::array<uint8_t, 32> client_random_{};
  std::array<uint8_t, 32> server_random_{};
};

}  // namespace bastion::handshake
