#include "handshake/exporter.hpp"

#include "handshake/key_schedule.hpp"
#include "handshake/prf.hpp"

namespace bastion::handshake {

Exporter Exporter::tls13(const crypto::Provider& provider, crypto::HashAlg hash,
                         Secret exporter_master) {
  return Exporter(provider, hash, std::move(exporter_master), false);
}

Exporter Exporter::tls12(const crypto::Provider& provider, crypto::HashAlg hash, Secret master,
                         const std::array<uint8_t, 32>& client_random,
                         const std::array<uint8_t, 32>& server_random,
                         bool extended_master_secret) {
  Exporter e(provider, hash, std::move(master), true);
  e.extended_master_secret_ = extended_master_secret;
  e.client_random_ = client_random;
  e.server_random_ = server_random;
  return e;
}

Result<void> Exporter::export_keying_material(std::string_view label, const crypto::Bytes* context,
                                              crypto::MutableBytes out) const {
  if (tls12_) {
    // RFC 7627 §5.4: the master secret may be shared with another session (the triple
    // handshake), so nothing exported from it would be bound to this one.
    if (!extended_master_secret_) {
      return Error{ErrorCode::no_extended_master_secret,
                   "no keying material from a TLS 1.2 session without the extended master secret"};
    }
    return export_keying_material12(*provider_, hash_, secret_, label, client_random_,
                                    server_random_, context, out);
  }
  // RFC 8446 §7.5: no context and an empty one are the same.
  return handshake::export_keying_material(Hkdf(*provider_, hash_), secret_, label,
                                           context ? *context : crypto::Bytes{}, out);
}

}  // namespace bastion::handshake
