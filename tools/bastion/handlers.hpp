// What `bastion server` does with each connection once the handshake is done.
#pragma once

#include <chrono>
#include <string>

#include "bastion/stream.hpp"
#include "web_root.hpp"

namespace bastion::cli {

// What the server knows of the client's certificate once the handshake is done.
struct ClientIdentity {
  std::string subject;  // "none" when the client sent no certificate
  bool verified;        // the client verifier accepted the chain
};
ClientIdentity client_identity(const ConnectionInfo& info);

struct HttpLimits {
  // The whole request head must arrive within this (zero: no limit); the response must be
  // taken within this plus its size at kMinSendRate, so that a client reading a byte at a
  // time cannot hold a connection for ever.
  std::chrono::milliseconds request_head{10000};
};
inline constexpr size_t kMinSendRate = 8 * 1024;  // bytes per second

// Reads one HTTP request head and answers 200 with a text/plain description of the connection
// (version, cipher, group, ALPN, SNI, client certificate), like `openssl s_server -www`.
void serve_status(Stream& stream, const HttpLimits& limits);
// Echoes every byte back until the client closes.
void serve_echo(Stream& stream);
// Answers HTTP/1.1 GET and HEAD requests with the files under root (index.html for
// directories): 400 for paths with "..", 404 for dot-names and anything outside root.
void serve_files(Stream& stream, const WebRoot& root, const HttpLimits& limits);

}  // namespace bastion::cli
