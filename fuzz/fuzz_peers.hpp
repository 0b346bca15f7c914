// The connections the state-machine fuzz targets drive, shared with the corpus generator so
// that a recorded flight replays byte for byte: same configuration, same seed, same bytes.
//
// Everything here uses the insecure deterministic provider and Ed25519 certificates (whose
// signatures are deterministic), so both our ClientHello and our server flight are a fixed
// function of the options byte and of the peer's bytes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "bastion/connection.hpp"
#include "bastion/x509.hpp"
#include "crypto/insecure_deterministic_provider.hpp"
#include "support/test_certs.hpp"

namespace bastion::fuzz {

inline constexpr std::array<uint8_t, 8> kClientSeed = {'c', 'l', 'i', 'e', 'n', 't', '-', '1'};
inline constexpr std::array<uint8_t, 8> kServerSeed = {'s', 'e', 'r', 'v', 'e', 'r', '-', '1'};

// Options byte (the first byte of a client or server fuzz input).
inline constexpr uint8_t kOfferAlpn = 1;   // both roles: ALPN h2, http/1.1
inline constexpr uint8_t kClientAuth = 2;  // server requests, client holds a certificate
inline constexpr uint8_t kTrickle = 4;     // the input is fed one byte at a time
// Server: groups {secp256r1} only, so a client sharing x25519 first gets a HelloRetryRequest.
inline constexpr uint8_t kServerOnlyP256 = 8;
// Both roles: TLS 1.2 only (the client offers nothing else; the server accepts nothing else).
inline constexpr uint8_t kTls12 = 16;

// The real provider, fetched once per process (fetching is the slow part).
inline const std::shared_ptr<const crypto::Provider>& openssl() {
  static const auto provider = crypto::openssl_provider();
  return provider;
}

inline std::shared_ptr<const crypto::Provider> deterministic(std::span<const uint8_t> seed) {
  return crypto::insecure_deterministic_provider(seed, openssl());
}

inline const std::shared_ptr<const CertifiedKey>& ed25519_key() {
  static const auto key = [] {
    auto k = CertifiedKey::from_pem(test::kEd25519CertPem, test::kEd25519KeyPem, openssl());
    return k.ok() ? *k : nullptr;
  }();
  return key;
}

inline Der ed25519_der() {
  auto ders = parse_pem_certificates(test::kEd25519CertPem);
  return ders.ok() ? ders->front() : Der{};
}

inline std::vector<std::string> alpn_list() {
  return {"h2", "http/1.1"};
}

// The client under test: insecure_skip_verify so that hostile certificates reach the leaf-key
// parser (the verifier has its own target).
inline std::optional<ClientConnection> fuzzed_client(uint8_t options,
                                                     std::shared_ptr<const crypto::Provider> p) {
  ClientOptions o;
  o.provider = std::move(p);
  o.insecure_skip_verify = true;
  if (options & kOfferAlpn) o.alpn = alpn_list();
  if (options & kClientAuth) o.client_certificate = ed25519_key();
  if (options & kTls12) o.max_version = ProtocolVersion::tls12;
  auto config = ClientConfig::create(std::move(o));
  if (!config) return std::nullopt;
  auto c = ClientConnection::create(*config, "localhost");
  if (!c) return std::nullopt;
  return std::move(c).value();
}

inline std::optional<ServerConnection> fuzzed_server(uint8_t options,
                                                     std::shared_ptr<const crypto::Provider> p) {
  ServerOptions o;
  o.provider = std::move(p);
  o.certificates.push_back(ed25519_key());
  if (options & kOfferAlpn) o.alpn = alpn_list();
  if (options & kClientAuth) {
    o.client_auth = ClientAuth::request;
    o.client_verifier = exact_certificate_verifier({ed25519_der()});
  }
  if (options & kServerOnlyP256) o.groups = {NamedGroup::secp256r1};
  if (options & kTls12) o.max_version = ProtocolVersion::tls12;
  auto config = ServerConfig::create(std::move(o));
  if (!config) return std::nullopt;
  auto s = ServerConnection::create(*config);
  if (!s) return std::nullopt;
  return std::move(s).value();
}

// Feeds `bytes` whole, or one byte at a time (bounded, so a long input stays fast).
inline void feed(Connection& c, std::span<const uint8_t> bytes, bool trickle) {
  if (!trickle) {
    (void)c.receive(bytes);
    return;
  }
  constexpr size_t kMaxTrickle = 4096;
  for (size_t i = 0; i < bytes.size(); ++i) {
    size_t n = i < kMaxTrickle ? 1 : bytes.size() - i;
    if (!c.receive(bytes.subspan(i, n))) return;
    i += n - 1;
  }
}

// What an application would do next: read, write, update keys, close.
inline void exercise(Connection& c) {
  std::array<uint8_t, 256> buf{};
  while (c.read(buf) != 0) {
  }
  if (!c.handshake_complete()) return;
  const uint8_t ping[] = {'p', 'i', 'n', 'g'};
  (void)c.write(ping);
  (void)c.key_update(true);
  c.close();
  c.consume_output(c.pending_output().size());
}

}  // namespace bastion::fuzz
