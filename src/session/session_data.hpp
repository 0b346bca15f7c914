// What a client keeps of a session to resume it: the ticket as the server sent it
// (RFC 8446 §4.6.1) and the PSK derived from it, with the original connection's details.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/session.hpp"
#include "core/secret.hpp"

namespace bastion {

struct Session::Data {
  std::string server_name;
  ProtocolVersion version = ProtocolVersion::tls13;
  CipherSuite suite{};
  // TLS 1.3: HKDF-Expand-Label(resumption_master_secret, "resumption", nonce, Hash.length);
  // TLS 1.2: the master secret.
  Secret psk;
  std::vector<uint8_t> ticket;      // TLS 1.2: may be empty (resumed by session ID)
  std::vector<uint8_t> session_id;  // TLS 1.2: the server's session ID, or empty
  uint32_t age_add = 0;
  std::chrono::system_clock::time_point received;
  std::chrono::seconds lifetime{0};
  // When the full handshake this session descends from authenticated the server: resumptions
  // and the tickets they bring carry it, so that no chain of tickets outlives it by more than
  // 7 days (RFC 8446 §4.6.1).
  std::chrono::system_clock::time_point auth_time;
  std::string alpn;
  std::vector<Der> peer_certificates;
  bool peer_verified = false;
  // The authentication context of the config that made the session (ClientConfig::
  // session_context): only a config with the same one may resume it.
  std::weak_ptr<const CertificateVerifier> verifier;  // empty when the peer was not verified
  std::array<uint8_t, 32> client_identity{};
};

}  // namespace bastion
