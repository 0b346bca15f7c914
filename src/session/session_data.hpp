// What a client keeps of a session to resume it: the ticket as the server sent it
// (RFC 8446 §4.6.1) and the PSK derived from it, with the original connection's details.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/session.hpp"
#include "core/secret.hpp"

namespace bastion {

struct Session::Data {
  std::string server_name;
  CipherSuite suite{};
  Secret psk;  // HKDF-Expand-Label(resumption_master_secret, "resumption", nonce, Hash.length)
  std::vector<uint8_t> ticket;
  uint32_t age_add = 0;
  std::chrono::system_clock::time_point received;
  std::chrono::seconds lifetime{0};
  std::string alpn;
  std::vector<Der> peer_certificates;
  bool peer_verified = false;
};

}  // namespace bastion
