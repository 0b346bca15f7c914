// The TLS 1.3 key schedule (RFC 8446 §7.1) as a chain of move-only stages:
//
//   EarlySecret(PSK or zeros) --ecdhe--> HandshakeSecret --> MasterSecret
//
// A stage is consumed by the step to the next one, so a secret of a finished stage cannot be
// used again. Each stage derives its traffic secrets from a transcript hash that the caller
// takes from handshake::Transcript. The free functions below cover Finished (§4.4.4),
// resumption (§4.6.1) and exporters (§7.5). HKDF-Expand-Label and Derive-Secret are in
// hkdf.hpp, traffic keys and KeyUpdate in traffic_secret.hpp.
#pragma once

#include <optional>
#include <string_view>

#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "handshake/hkdf.hpp"

namespace bastion::handshake {

class HandshakeSecret;
class MasterSecret;

// Proof that a peer's Finished verified; only verify_finished() makes one.
class FinishedVerified {
 private:
  FinishedVerified() = default;
  friend Result<FinishedVerified> verify_finished(const Hkdf&, const Secret&, crypto::Bytes,
                                                  crypto::Bytes);
  friend Result<FinishedVerified> verify_finished12(const crypto::Provider&, crypto::HashAlg,
                                                    const Secret&, bool, crypto::Bytes,
                                                    crypto::Bytes);
};

enum class PskKind : uint8_t { external, resumption };

class EarlySecret {
 public:
  // RFC 8446 §7.1: Early Secret = HKDF-Extract(0, PSK); `psk` empty means no PSK, which uses
  // Hash.length zero bytes.
  static EarlySecret create(const crypto::Provider& provider, crypto::HashAlg hash,
                            crypto::Bytes psk = {});

  EarlySecret(EarlySecret&&) noexcept = default;
  EarlySecret& operator=(EarlySecret&&) noexcept = default;
  EarlySecret(const EarlySecret&) = delete;
  EarlySecret& operator=(const EarlySecret&) = delete;

  // "ext binder" / "res binder": Derive-Secret(Early Secret, label, "").
  Secret binder_key(PskKind kind) const;
  // "c e traffic" over Transcript-Hash(ClientHello).
  Secret client_early_traffic_secret(crypto::Bytes client_hello_hash) const;
  // "e exp master" over Transcript-Hash(ClientHello).
  Secret early_exporter_master_secret(crypto::Bytes client_hello_hash) const;

  // Handshake Secret = HKDF-Extract(Derive-Secret(., "derived", ""), (EC)DHE). `ecdhe` empty
  // (psk_ke) means Hash.length zero bytes.
  HandshakeSecret into_handshake_secret(crypto::Bytes ecdhe) &&;

  const Hkdf& hkdf() const { return hkdf_; }
  // The stage's secret itself, for test vectors.
  const Secret& secret() const { return secret_; }

 private:
  EarlySecret(Hkdf hkdf, Secret secret);
  Hkdf hkdf_;
  Secret secret_;
  // With a PSK, secret_ keyed once for its binder key and "derived"; without one both are
  // constants or unused.
  std::optional<PreparedSecret> prepared_;
};

class HandshakeSecret {
 public:
  HandshakeSecret(HandshakeSecret&&) noexcept = default;
  HandshakeSecret& operator=(HandshakeSecret&&) noexcept = default;
  HandshakeSecret(const HandshakeSecret&) = delete;
  HandshakeSecret& operator=(const HandshakeSecret&) = delete;

  // "c hs traffic" / "s hs traffic" over Transcript-Hash(ClientHello...ServerHello).
  Secret client_handshake_traffic_secret(crypto::Bytes hello_hash) const;
  Secret server_handshake_traffic_secret(crypto::Bytes hello_hash) const;

  // Master Secret = HKDF-Extract(Derive-Secret(., "derived", ""), 0).
  MasterSecret into_master_secret() &&;

  const Hkdf& hkdf() const { return hkdf_; }
  const Secret& secret() const { return secret_; }

 private:
  friend class EarlySecret;
  HandshakeSecret(Hkdf hkdf, Secret secret);
  Hkdf hkdf_;
  Secret secret_;
  PreparedSecret prepared_;  // secret_ keyed once for its three expansions
};

class MasterSecret {
 public:
  MasterSecret(MasterSecret&&) noexcept = default;
  MasterSecret& operator=(MasterSecret&&) noexcept = default;
  MasterSecret(const MasterSecret&) = delete;
  MasterSecret& operator=(const MasterSecret&) = delete;

  // Over Transcript-Hash(ClientHello...server Finished):
  Secret client_application_traffic_secret(crypto::Bytes server_finished_hash) const;  // c ap
  Secret server_application_traffic_secret(crypto::Bytes server_finished_hash) const;  // s ap
  Secret exporter_master_secret(crypto::Bytes server_finished_hash) const;             // exp master
  // "res master" over Transcript-Hash(ClientHello...client Finished). Only once the peer's
  // Finished verified: a session is resumable only from a handshake that authenticated it.
  Secret resumption_master_secret(crypto::Bytes client_finished_hash,
                                  const FinishedVerified& peer_finished) const;

  const Hkdf& hkdf() const { return hkdf_; }
  const Secret& secret() const { return secret_; }

 private:
  friend class HandshakeSecret;
  MasterSecret(Hkdf hkdf, Secret secret);
  Hkdf hkdf_;
  Secret secret_;
  PreparedSecret prepared_;  // secret_ keyed once for its three or four expansions
};

// RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length).
Secret finished_key(const Hkdf& hkdf, const Secret& base_key);
// verify_data = HMAC(finished_key, transcript_hash). `base_key` is the sender's handshake (or,
// post-handshake, application) traffic secret. Also computes PSK binders (§4.2.11.2) with the
// binder key as base key and the hash of the truncated ClientHello transcript.
Secret compute_verify_data(const Hkdf& hkdf, const Secret& base_key, crypto::Bytes transcript_hash);

// RFC 8446 §4.4.4: recipients MUST verify that the Finished is correct, and terminate with
// decrypt_error (ErrorCode::bad_finished) if not. Compares in constant time.
[[nodiscard]] Result<FinishedVerified> verify_finished(const Hkdf& hkdf, const Secret& base_key,
                                                       crypto::Bytes transcript_hash,
                                                       crypto::Bytes received_verify_data);
// The same comparison for a PSK binder (§4.2.11.2); false when it does not match.
[[nodiscard]] bool verify_binder(const Hkdf& hkdf, const Secret& binder_key,
                                 crypto::Bytes truncated_transcript_hash,
                                 crypto::Bytes received_binder);

// RFC 8446 §4.6.1: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce,
// Hash.length). The ticket nonce is at most 255 bytes (NewSessionTicket.ticket_nonce<0..255>).
[[nodiscard]] Result<Secret> resumption_psk(const Hkdf& hkdf, const Secret& resumption_master,
                                            crypto::Bytes ticket_nonce);
// The same with the resumption master secret keyed once, for one PSK per ticket.
[[nodiscard]] Result<Secret> resumption_psk(const PreparedSecret& resumption_master,
                                            crypto::Bytes ticket_nonce);

// RFC 8446 §7.5: TLS-Exporter(label, context_value, key_length) =
//   HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), len)
// with `exporter_master` the (early) exporter master secret. Fails (illegal_parameter) when the
// label is longer than Hkdf::kMaxLabel or `out` longer than 255 * Hash.length.
[[nodiscard]] Result<void> export_keying_material(const Hkdf& hkdf, const Secret& exporter_master,
                                                  std::string_view label, crypto::Bytes context,
                                                  crypto::MutableBytes out);

}  // namespace bastion::handshake
