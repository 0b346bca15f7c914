// What a server's stateless ticket holds (RFC 8446 §4.6.1 leaves the format to the server):
// everything needed to resume without server-side state. Sealed by TicketKeys.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/secret.hpp"

namespace bastion::session {

// Tickets larger than this are not issued (a long client certificate chain): the client would
// have to send it back in its ClientHello.
inline constexpr size_t kMaxTicketPlaintext = 8192;

struct TicketContents {
  ProtocolVersion version = ProtocolVersion::tls13;
  CipherSuite suite{};
  Secret psk;
  std::chrono::system_clock::time_point issued;  // stored to the millisecond
  std::chrono::seconds lifetime{0};
  uint32_t age_add = 0;
  std::string alpn;
  std::string server_name;
  std::vector<Der> client_certificates;  // leaf first; empty without client authentication
  bool client_verified = false;

  // Appends the encoding to `out` (which the caller wipes: it holds the PSK).
  void encode(std::vector<uint8_t>& out) const;
  // decode_error on anything malformed, trailing bytes included.
  [[nodiscard]] static Result<TicketContents> decode(Bytes plaintext);
  bool expired(std::chrono::system_clock::time_point now) const { return now >= issued + lifetime; }
};

}  // namespace bastion::session
