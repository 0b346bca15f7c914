#include "handshake/key_schedule.hpp"

#include <array>
#include <optional>

namespace bastion::handshake {
namespace {

// What the key schedule takes from the hash alone: Hash(""), the context of every "derived"
// step, and, without a PSK (RFC 8446 §7.1: PSK = Hash.length zeros), the Early Secret and its
// Derive-Secret(., "derived", ""). RFC 8448 §3 prints the SHA-256 values; key_schedule_test
// checks both suites' values against the provider.
constexpr uint8_t kSha256EmptyHash[] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
constexpr uint8_t kSha256EarlySecret[] = {
    0x33, 0xad, 0x0a, 0x1c, 0x60, 0x7e, 0xc0, 0x3b, 0x09, 0xe6, 0xcd, 0x98, 0x93, 0x68, 0x0c, 0xe2,
    0x10, 0xad, 0xf3, 0x00, 0xaa, 0x1f, 0x26, 0x60, 0xe1, 0xb2, 0x2e, 0x10, 0xf1, 0x70, 0xf9, 0x2a};
constexpr uint8_t kSha256DerivedSalt[] = {
    0x6f, 0x26, 0x15, 0xa1, 0x08, 0xc7, 0x02, 0xc5, 0x67, 0x8f, 0x54, 0xfc, 0x9d, 0xba, 0xb6, 0x97,
    0x16, 0xc0, 0x76, 0x18, 0x9c, 0x48, 0x25, 0x0c, 0xeb, 0xea, 0xc3, 0x57, 0x6c, 0x36, 0x11, 0xba};
constexpr uint8_t kSha384EmptyHash[] = {
    0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e, 0xb1, 0xb1, 0xe3, 0x6a,
    0x21, 0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43, 0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda,
    0x27, 0x4e, 0xde, 0xbf, 0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b};
constexpr uint8_t kSha384EarlySecret[] = {
    0x7e, 0xe8, 0x20, 0x6f, 0x55, 0x70, 0x02, 0x3e, 0x6d, 0xc7, 0x51, 0x9e, 0xb1, 0x07, 0x3b, 0xc4,
    0xe7, 0x91, 0xad, 0x37, 0xb5, 0xc3, 0x82, 0xaa, 0x10, 0xba, 0x18, 0xe2, 0x35, 0x7e, 0x71, 0x69,
    0x71, 0xf9, 0x36, 0x2f, 0x2c, 0x2f, 0xe2, 0xa7, 0x6b, 0xfd, 0x78, 0xdf, 0xec, 0x4e, 0xa9, 0xb5};
constexpr uint8_t kSha384DerivedSalt[] = {
    0x15, 0x91, 0xda, 0xc5, 0xcb, 0xbf, 0x03, 0x30, 0xa4, 0xa8, 0x4d, 0xe9, 0xc7, 0x53, 0x33, 0x0e,
    0x92, 0xd0, 0x1f, 0x0a, 0x88, 0x21, 0x4b, 0x44, 0x64, 0x97, 0x2f, 0xd6, 0x68, 0x04, 0x9e, 0x93,
    0xe5, 0x2f, 0x2b, 0x16, 0xfa, 0xd9, 0x22, 0xfd, 0xc0, 0x58, 0x44, 0x78, 0x42, 0x8f, 0x28, 0x2b};

struct HashConstants {
  crypto::Bytes empty_hash;
  crypto::Bytes early_secret;
  crypto::Bytes derived_salt;
};

std::optional<HashConstants> hash_constants(crypto::HashAlg hash) {
  switch (hash) {
    case crypto::HashAlg::sha256:
      return HashConstants{kSha256EmptyHash, kSha256EarlySecret, kSha256DerivedSalt};
    case crypto::HashAlg::sha384:
      return HashConstants{kSha384EmptyHash, kSha384EarlySecret, kSha384DerivedSalt};
    case crypto::HashAlg::sha512:
      return std::nullopt;
  }
  return std::nullopt;
}

Secret empty_hash(const Hkdf& hkdf) {
  if (auto k = hash_constants(hkdf.hash())) return Secret(k->empty_hash);
  return hkdf.hash({});
}

// HKDF-Extract(salt, ikm) with ikm = Hash.length zeros when empty (RFC 8446 §7.1).
Secret extract_stage(const Hkdf& hkdf, crypto::Bytes salt, crypto::Bytes ikm) {
  const std::array<uint8_t, Secret::kCapacity> zeros{};
  if (ikm.empty()) ikm = crypto::Bytes(zeros.data(), hkdf.hash_length());
  return hkdf.extract(salt, ikm);
}

}  // namespace

EarlySecret::EarlySecret(Hkdf hkdf, Secret secret) : hkdf_(hkdf), secret_(std::move(secret)) {
  const auto k = hash_constants(hkdf_.hash());
  if (!k || !constant_time_equal(secret_.span(), k->early_secret)) {
    prepared_.emplace(hkdf_, secret_);
  }
}

EarlySecret EarlySecret::create(const crypto::Provider& provider, crypto::HashAlg hash,
                                crypto::Bytes psk) {
  const Hkdf hkdf(provider, hash);
  if (psk.empty()) {
    if (auto k = hash_constants(hash)) return EarlySecret(hkdf, Secret(k->early_secret));
  }
  // RFC 8446 §7.1: Early Secret = HKDF-Extract(salt = 0, IKM = PSK).
  return EarlySecret(hkdf, extract_stage(hkdf, {}, psk));
}

Secret EarlySecret::binder_key(PskKind kind) const {
  const std::string_view label = kind == PskKind::external ? "ext binder" : "res binder";
  if (prepared_) return prepared_->derive_secret(label, empty_hash(hkdf_).span());
  return hkdf_.derive_secret(secret_, label, empty_hash(hkdf_).span());
}

Secret EarlySecret::client_early_traffic_secret(crypto::Bytes client_hello_hash) const {
  return hkdf_.derive_secret(secret_, "c e traffic", client_hello_hash);
}

Secret EarlySecret::early_exporter_master_secret(crypto::Bytes client_hello_hash) const {
  return hkdf_.derive_secret(secret_, "e exp master", client_hello_hash);
}

HandshakeSecret EarlySecret::into_handshake_secret(crypto::Bytes ecdhe) && {
  // "derived" is a function of the Early Secret alone, so the no-PSK one has a known value.
  const auto k = hash_constants(hkdf_.hash());
  const Secret salt = prepared_ ? prepared_->derive_secret("derived", empty_hash(hkdf_).span())
                                : Secret(k->derived_salt);
  HandshakeSecret next(hkdf_, extract_stage(hkdf_, salt.span(), ecdhe));
  secret_ = Secret();
  prepared_.reset();  // the keyed states go with the secret
  return next;
}

HandshakeSecret::HandshakeSecret(Hkdf hkdf, Secret secret)
    : hkdf_(hkdf), secret_(std::move(secret)), prepared_(hkdf_, secret_) {}

Secret HandshakeSecret::client_handshake_traffic_secret(crypto::Bytes hello_hash) const {
  return prepared_.derive_secret("c hs traffic", hello_hash);
}

Secret HandshakeSecret::server_handshake_traffic_secret(crypto::Bytes hello_hash) const {
  return prepared_.derive_secret("s hs traffic", hello_hash);
}

MasterSecret HandshakeSecret::into_master_secret() && {
  const Secret salt = prepared_.derive_secret("derived", empty_hash(hkdf_).span());
  MasterSecret next(hkdf_, extract_stage(hkdf_, salt.span(), {}));
  secret_ = Secret();
  {  // the keyed states go with the secret
    const PreparedSecret consumed = std::move(prepared_);
  }
  return next;
}

MasterSecret::MasterSecret(Hkdf hkdf, Secret secret)
    : hkdf_(hkdf), secret_(std::move(secret)), prepared_(hkdf_, secret_) {}

Secret MasterSecret::client_application_traffic_secret(crypto::Bytes server_finished_hash) const {
  return prepared_.derive_secret("c ap traffic", server_finished_hash);
}

Secret MasterSecret::server_application_traffic_secret(crypto::Bytes server_finished_hash) const {
  return prepared_.derive_secret("s ap traffic", server_finished_hash);
}

Secret MasterSecret::exporter_master_secret(crypto::Bytes server_finished_hash) const {
  return prepared_.derive_secret("exp master", server_finished_hash);
}

Secret MasterSecret::resumption_master_secret(crypto::Bytes client_finished_hash,
                                              const FinishedVerified&) const {
  return prepared_.derive_secret("res master", client_finished_hash);
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

Result<Secret> resumption_psk(const Hkdf& hkdf, const Secret& resumption_master,
                              crypto::Bytes ticket_nonce) {
  if (ticket_nonce.size() > Hkdf::kMaxContext) {
    return Error{ErrorCode::decode_error, "ticket nonce longer than 255 bytes"};
  }
  return hkdf.expand_label(resumption_master, "resumption", ticket_nonce, hkdf.hash_length());
}

Result<Secret> resumption_psk(const PreparedSecret& resumption_master, crypto::Bytes ticket_nonce) {
  if (ticket_nonce.size() > Hkdf::kMaxContext) {
    return Error{ErrorCode::decode_error, "ticket nonce longer than 255 bytes"};
  }
  return resumption_master.derive_secret("resumption", ticket_nonce);
}

Result<void> export_keying_material(const Hkdf& hkdf, const Secret& exporter_master,
                                    std::string_view label, crypto::Bytes context,
                                    crypto::MutableBytes out) {
  if (label.size() > Hkdf::kMaxLabel || out.size() > 255 * hkdf.hash_length()) {
    return Error{ErrorCode::illegal_parameter, "exporter label or length out of range"};
  }
  Secret derived(hkdf.hash_length());
  if (!hkdf.expand_label(exporter_master.span(), label, empty_hash(hkdf).span(),
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
