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
                         const std::array<uint8_t, 32>& server_random) {
  Exporter e(provider, hash, std::move(master), true);
  e.client_random_ = client_random;
  e.server_random_ = server_random;
  return e;
}

Result<void> Exporter::export_keying_material(std::string_view label, const crypto::Bytes* context,
                                              crypto::MutableBytes out) const {
  if (tls12_) {
    return export_keying_material12(*provider_, hash_, secret_, label, client_random_,
                                    server_random_, context, out);
  }
  // RFC 8446 §7.5: no context and an empty one are the same.
  return handshake::export_keying_material(Hkdf(*provider_, hash_), secret_, label,
                                           context ? *context : crypto::Bytes{}, out);
}

}  // namespace bastion::handshake
