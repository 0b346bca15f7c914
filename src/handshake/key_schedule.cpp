#include "handshake/key_schedule.hpp"

#include <array>

namespace bastion::handshake {
namespace {

// HKDF-Extract(Derive-Secret(previous, "derived", ""), ikm), with ikm = Hash.length zeros when
// empty (RFC 8446 §7.1).
Secret next_stage(const Hkdf& hkdf, const Secret& previous, crypto::Bytes ikm) {
  const Secret empty_hash = hkdf.hash({});
  const Secret salt = hkdf.derive_secret(previous, "derived", empty_hash.span());
  const std::array<uint8_t, Secret::kCapacity> zeros{};
  if (ikm.empty()) ikm = crypto::Bytes(zeros.data(), hkdf.hash_length());
  return hkdf.extract(salt.span(), ikm);
}

}  // namespace

EarlySecret EarlySecret::create(const crypto::Provider& provider, crypto::HashAlg hash,
                                crypto::Bytes psk) {
  const Hkdf hkdf(provider, hash);
  const std::array<uint8_t, Secret::kCapacity> zeros{};
  if (psk.empty()) psk = crypto::Bytes(zeros.data(), hkdf.hash_length());
  // RFC 8446 §7.1: Early Secret = HKDF-Extract(salt = 0, IKM = PSK).
  return EarlySecret(hkdf, hkdf.extract({}, psk));
}

Secret EarlySecret::binder_key(PskKind kind) const {
  const Secret empty_hash = hkdf_.hash({});
  return hkdf_.derive_secret(secret_, kind == PskKind::external ? "ext binder" : "res binder",
                             empty_hash.span());
}

Secret EarlySecret::client_early_traffic_secret(crypto::Bytes client_hello_hash) const {
  return hkdf_.derive_secret(secret_, "c e traffic", client_hello_hash);
}

Secret EarlySecret::early_exporter_master_secret(crypto::Bytes client_hello_hash) const {
  return hkdf_.derive_secret(secret_, "e exp master", client_hello_hash);
}

HandshakeSecret EarlySecret::into_handshake_secret(crypto::Bytes ecdhe) && {
  HandshakeSecret next(hkdf_, next_stage(hkdf_, secret_, ecdhe));
  secret_ = Secret();
  return next;
}

Secret HandshakeSecret::client_handshake_traffic_secret(crypto::Bytes hello_hash) const {
  return hkdf_.derive_secret(secret_, "c hs traffic", hello_hash);
}

Secret HandshakeSecret::server_handshake_traffic_secret(crypto::Bytes hello_hash) const {
  return hkdf_.derive_secret(secret_, "s hs traffic", hello_hash);
}

MasterSecret HandshakeSecret::into_master_secret() && {
  MasterSecret next(hkdf_, next_stage(hkdf_, secret_, {}));
  secret_ = Secret();
  return next;
}

Secret MasterSecret::client_application_traffic_secret(crypto::Bytes server_finished_hash) const {
  return hkdf_.derive_secret(secret_, "c ap traffic", server_finished_hash);
}

Secret MasterSecret::server_application_traffic_secret(crypto::Bytes server_finished_hash) const {
  return hkdf_.derive_secret(secret_, "s ap traffic", server_finished_hash);
}

Secret MasterSecret::exporter_master_secret(crypto::Bytes server_finished_hash) const {
  return hkdf_.derive_secret(secret_, "exp master", server_finished_hash);
}

Secret MasterSecret::resumption_master_secret(crypto::Bytes client_finished_hash) const {
  return hkdf_.derive_secret(secret_, "res master", client_finished_hash);
}

Secret finished_key(const Hkdf& hkdf, const Secret& base_key) {
  return hkdf.expand_label(base_key, "finished", {}, hkdf.hash_length());
}

Secret compute_verify_data(const Hkdf& hkdf, const Secret& base_key,
                           crypto::Bytes transcript_hash) {
  const Secret key = finished_key(hkdf, base_key);
  Secret out(hkdf.hash_length());
  hkdf.provider().hmac(hkdf.hash(), key.span(), transcript_hash, out.mutable_span());
  return out;
}

Result<FinishedVerified> verify_finished(const Hkdf& hkdf, const Secret& base_key,
                                         crypto::Bytes transcript_hash,
                                         crypto::Bytes received_verify_data) {
  const Secret expected = compute_verify_data(hkdf, base_key, transcript_hash);
  // RFC 8446 §4.4.4: recipients of Finished messages MUST verify that the contents are correct
  // and if incorrect MUST terminate the connection with a "decrypt_error" alert.
  if (!constant_time_equal(expected.span(), received_verify_data)) {
    return Error{ErrorCode::bad_finished, "Finished verify_data does not match"};
  }
  return FinishedVerified();
}

bool verify_binder(const Hkdf& hkdf, const Secret& binder_key,
                   crypto::Bytes truncated_transcript_hash, crypto::Bytes received_binder) {
  const Secret expected = compute_verify_data(hkdf, binder_key, truncated_transcript_hash);
  return constant_time_equal(expected.span(), received_binder);
}

Secret next_application_traffic_secret(const Hkdf& hkdf, const Secret& current) {
  return hkdf.expand_label(current, "traffic upd", {}, hkdf.hash_length());
}

Result<Secret> resumption_psk(const Hkdf& hkdf, const Secret& resumption_master,
                              crypto::Bytes ticket_nonce) {
  if (ticket_nonce.size() > Hkdf::kMaxContext) {
    return Error{ErrorCode::decode_error, "ticket nonce longer than 255 bytes"};
  }
  return hkdf.expand_label(resumption_master, "resumption", ticket_nonce, hkdf.hash_length());
}

Result<void> export_keying_material(const Hkdf& hkdf, const Secret& exporter_master,
                                    std::string_view label, crypto::Bytes context,
                                    crypto::MutableBytes out) {
  if (label.size() > Hkdf::kMaxLabel || out.size() > 255 * hkdf.hash_length()) {
    return Error{ErrorCode::illegal_parameter, "exporter label or length out of range"};
  }
  const Secret empty_hash = hkdf.hash({});
  Secret derived(hkdf.hash_length());
  if (!hkdf.expand_label(exporter_master.span(), label, empty_hash.span(),
                         derived.mutable_span())) {
    return Error{ErrorCode::illegal_parameter, "exporter label out of range"};
  }
  const Secret context_hash = hkdf.hash(context);
  if (!hkdf.expand_label(derived.span(), "exporter", context_hash.span(), out)) {
    return Error{ErrorCode::illegal_parameter, "exporter length out of range"};
  }
  return {};
}

}  // namespace bastion::handshake
