// Who the peer proved to be, held by the handshake until the proof is complete. The
// connection's info shows a peer's certificates and whether they verified only once its
// Finished verified (RFC 8446 §4.4.4): a handshake that fails on the CertificateVerify or the
// Finished never reports a verified peer.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "bastion/connection.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/key_schedule.hpp"

namespace bastion::handshake {

class PeerAuthentication {
 public:
  // A peer that presented no certificate (a client the server did not require one from).
  static PeerAuthentication none() { return PeerAuthentication({}, false, std::nullopt, false); }
  // A peer that signed the transcript with the key of `chain`'s leaf (RFC 8446 §4.4.3);
  // `chain_verified`: the verifier accepted the chain (false only when verification is off).
  static PeerAuthentication certificate(std::vector<Der> chain, bool chain_verified,
                                        SignatureScheme scheme, const SignatureVerified&) {
    return PeerAuthentication(std::move(chain), chain_verified, scheme, false);
  }
  // A TLS 1.2 server of an RSA key-transport suite: no signature; only the holder of the key
  // can decrypt the pre-master secret, which its Finished proves (RFC 5246 §7.4.7.1).
  static PeerAuthentication key_transport(std::vector<Der> chain, bool chain_verified) {
    return PeerAuthentication(std::move(chain), chain_verified, std::nullopt, false);
  }
  // A peer that holds the PSK of a resumed session: its identity is the one the original
  // handshake established (RFC 8446 §2.2).
  static PeerAuthentication resumed(std::vector<Der> chain, bool chain_verified) {
    return PeerAuthentication(std::move(chain), chain_verified, std::nullopt, true);
  }

  // Fills in the peer's identity once its Finished verified.
  void complete(ConnectionInfo& info, const FinishedVerified&) && {
    info.peer_certificates = std::move(chain_);
    info.peer_verified = verified_;
    info.peer_signature_scheme = scheme_;
    info.resumed = resumed_;
    if (resumed_ && info.resumed_by == ResumedBy::none) info.resumed_by = ResumedBy::ticket;
  }

 private:
  PeerAuthentication(std::vector<Der> chain, bool verified, std::optional<SignatureScheme> scheme,
                     bool resumed)
      : chain_(std::move(chain)), verified_(verified), scheme_(scheme), resumed_(resumed) {}
  std::vector<Der> chain_;
  bool verified_;
  std::optional<SignatureScheme> scheme_;
  bool resumed_;
};

}  // namespace bastion::handshake
