// What the TLS 1.2 client and server share: the secure renegotiation check of an initial
// handshake (RFC 5746), the content a ServerKeyExchange signs (RFC 5246 §7.4.3, RFC 8422 §5.4),
// and which groups and certificate types the ECDHE suites take.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "bastion/error.hpp"
#include "crypto/provider.hpp"
#include "handshake/handshake.hpp"
#include "handshake/prf.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {

// The elliptic curve groups of RFC 8422 §5.1.1 (and RFC 8446's X25519/X448): the ECDHE suites
// never use the finite-field groups.
constexpr bool is_ecdhe_group(NamedGroup g) {
  return g == NamedGroup::x25519 || g == NamedGroup::x448 || g == NamedGroup::secp256r1 ||
         g == NamedGroup::secp384r1 || g == NamedGroup::secp521r1;
}

// RFC 5746 §3.4 (client) and §3.6 (server) for an initial handshake: renegotiation_info must
// be present and empty (or, from a client, TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead, checked
// by the server); Bastion refuses peers without secure renegotiation (handshake_failure).
inline Result<void> check_secure_renegotiation(const std::vector<msgs::Extension>& extensions,
                                               bool scsv = false) {
  auto info = msgs::find_as<msgs::RenegotiationInfo>(extensions);
  if (!info) return std::move(info).error();
  if (!info->has_value()) {
    if (scsv) return {};
    return Error{ErrorCode::bad_renegotiation_info, "peer does not support secure renegotiation"};
  }
  if (!(*info)->renegotiated_connection.empty()) {
    return Error{ErrorCode::bad_renegotiation_info,
                 "renegotiation_info is not empty in an initial handshake"};
  }
  return {};
}

// RFC 5246 §7.4.3: client_random + server_random + ServerECDHParams.
inline std::vector<uint8_t> server_key_exchange_content(
    const std::array<uint8_t, 32>& client_random, const std::array<uint8_t, 32>& server_random,
    const msgs::ServerKeyExchangeEcdhe& ske) {
  std::vector<uint8_t> content(client_random.begin(), client_random.end());
  content.insert(content.end(), server_random.begin(), server_random.end());
  const std::vector<uint8_t> params = ske.params();
  content.insert(content.end(), params.begin(), params.end());
  return content;
}

// RFC 5246 §7.4.4 and RFC 8422 §5.5: rsa_sign for RSA keys, ecdsa_sign for ECDSA and EdDSA.
inline bool accepts_certificate_type(std::span<const uint8_t> types, crypto::KeyType key) {
  const bool rsa = key == crypto::KeyType::rsa || key == crypto::KeyType::rsa_pss;
  const uint8_t wanted =
      rsa ? msgs::CertificateRequest12::kRsaSign : msgs::CertificateRequest12::kEcdsaSign;
  for (uint8_t t : types) {
    if (t == wanted) return true;
  }
  return false;
}

// Our change_cipher_spec, then our Finished under the new write keys (RFC 5246 §7.1, §7.4.9).
inline Result<void> send_finished12(const crypto::Provider& provider, crypto::HashAlg hash,
                                    const Secret& master, FinishedBy sender,
                                    record::Protection write_keys, Transcript& transcript,
                                    RecordSink& sink) {
  sink.send_change_cipher_spec();
  if (auto ok = sink.set_write_keys(DirectionKeys{std::move(write_keys), std::nullopt}); !ok) {
    return ok;
  }
  const Secret verify_data =
      verify_data12(provider, hash, master, sender, transcript.current_hash().span());
  msgs::Finished fin{std::vector<uint8_t>(verify_data.span().begin(), verify_data.span().end())};
  return emit(transcript, msgs::encode_message(fin), sink);
}

}  // namespace bastion::handshake
