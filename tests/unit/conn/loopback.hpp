// A client and a server joined in memory, for driving whole handshakes in tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bastion/connection.hpp"
#include "bastion/x509.hpp"
#include "support/test_certs.hpp"

namespace bastion::test {

#define ASSERT_OK(expr)                                              \
  do {                                                               \
    auto ok_ = (expr);                                               \
    ASSERT_TRUE(ok_.ok()) << #expr << ": " << ok_.error().message(); \
  } while (0)

inline std::shared_ptr<const CertifiedKey> certified_key(const char* cert_pem,
                                                         const char* key_pem) {
  auto key = CertifiedKey::from_pem(cert_pem, key_pem, default_provider());
  EXPECT_TRUE(key.ok()) << key.error().message();
  return key.ok() ? *key : nullptr;
}

inline Der first_der(const char* pem) {
  auto ders = parse_pem_certificates(pem);
  EXPECT_TRUE(ders.ok());
  return ders.ok() ? ders->front() : Der{};
}

inline ClientOptions client_options_trusting(const char* cert_pem) {
  ClientOptions o;
  o.verifier = exact_certificate_verifier({first_der(cert_pem)});
  return o;
}

inline ServerOptions server_options_with(const char* cert_pem, const char* key_pem) {
  ServerOptions o;
  o.certificates.push_back(certified_key(cert_pem, key_pem));
  return o;
}

// Moves bytes both ways until neither side has anything to send (alerts included). Returns the
// first error either side reported.
inline Result<void> pump(Connection& client, Connection& server) {
  std::optional<Error> first;
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (auto [from, to] : {std::pair{&client, &server}, std::pair{&server, &client}}) {
      auto bytes = from->pending_output();
      if (bytes.empty()) continue;
      std::vector<uint8_t> copy(bytes.begin(), bytes.end());
      from->consume_output(copy.size());
      moved = true;
      if (auto ok = to->receive(copy); !ok && !first) first = ok.error();
    }
    if (!moved) return first ? Result<void>(*first) : Result<void>();
  }
  return Error{ErrorCode::internal_error, "pump did not settle"};
}

struct Pair {
  ClientConnection client;
  ServerConnection server;
};

inline Pair make_pair(ClientOptions co, ServerOptions so, std::string_view name = "localhost") {
  auto cc = ClientConfig::create(std::move(co));
  auto sc = ServerConfig::create(std::move(so));
  EXPECT_TRUE(cc.ok() && sc.ok());
  auto client = ClientConnection::create(*cc, name);
  auto server = ServerConnection::create(*sc);
  EXPECT_TRUE(client.ok() && server.ok());
  return Pair{std::move(client).value(), std::move(server).value()};
}

inline std::string read_all(Connection& c) {
  std::string s(c.readable(), '\0');
  s.resize(c.read(std::span(reinterpret_cast<uint8_t*>(s.data()), s.size())));
  return s;
}

inline std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// n letters that differ with `seed`, so that a misplaced or repeated byte shows.
inline std::string pattern(size_t n, size_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return s;
}

// Everything `from` has to send, taken and emptied.
inline std::vector<uint8_t> take_output(Connection& from) {
  auto out = from.pending_output();
  std::vector<uint8_t> bytes(out.begin(), out.end());
  from.consume_output(bytes.size());
  return bytes;
}

}  // namespace bastion::test
