// The scenarios every implementation (Bastion, OpenSSL libssl, the raw libcrypto floor) runs.
#pragma once

#include <memory>
#include <string>

#include "harness.hpp"

namespace bench {

enum class KeyKind : uint8_t { ecdsa_p256, rsa_2048 };

class Implementation {
 public:
  virtual ~Implementation() = default;
  // "bastion", "openssl" or "floor", as the JSON lines name it.
  virtual std::string name() const = 0;
  // Full TLS 1.3 handshakes (x25519, no tickets, the client verifying chain and name);
  // value in handshakes per CPU-second of client and server together.
  virtual Sample handshake(KeyKind key, Version version, const Params& params) = 0;
  // The same with ECDSA P-256, but the server sends its default session tickets (two, for
  // Bastion and OpenSSL alike) and the client keeps them without ever offering one.
  virtual Sample handshake_with_tickets(const Params& params) = 0;
  // Resumed handshakes: TLS 1.3 (psk_dhe_ke, x25519), the client offering a ticket from an
  // earlier connection to the ECDSA server, which sends its default tickets again; TLS 1.2,
  // an abbreviated handshake with the ticket (RFC 5077), which brings a new one.
  virtual Sample resumed_handshake(Version version, const Params& params) = 0;
  // Application data from client to server in `write_size` writes; value in MB (10^6 bytes)
  // per CPU-second of both sides.
  virtual Sample bulk(Suite suite, size_t write_size, Version version, const Params& params) = 0;
  // Heap bytes held by an established, idle connection of `side` (client or server), after
  // the client sent `message` bytes of application data and the server answered as many.
  virtual Sample idle_memory(Side side, size_t message, const Params& params) = 0;
  // Heap allocations of both sides per record in steady-state transfer.
  virtual Sample allocs_per_record(const Params& params) = 0;
};

std::unique_ptr<Implementation> make_bastion();
std::unique_ptr<Implementation> make_openssl();
std::unique_ptr<Implementation> make_floor();

// The test certificates: a P-256 CA and leaves for "localhost" under it.
const char* ca_pem();
const char* leaf_cert_pem(KeyKind key);
const char* leaf_key_pem(KeyKind key);
inline constexpr const char* kServerName = "localhost";

// Bytes that a bulk repetition sends between two timing points: large enough that the clock's
// own cost vanishes, small enough for the pipe to stay in cache-friendly sizes.
inline constexpr size_t kBulkBatch = 256 * 1024;

}  // namespace bench
