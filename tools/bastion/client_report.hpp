// What `bastion client` says about a connection: the summary lines, the presented chain
// (--showcerts) and the JSON object (--json).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bastion/connection.hpp"
#include "json.hpp"

namespace bastion::cli {

// Keying material printed for --export.
struct ExportedKey {
  std::string label;
  std::string hex;
};

// One connection attempt, whether or not it got through the handshake.
struct ConnectionReport {
  std::optional<ConnectionInfo> info;  // set when the handshake completed
  // The chain the server presented, leaf first: empty when it sent none (a resumption) or the
  // handshake failed before it.
  std::vector<Der> chain;
  bool verified = false;     // the verifier accepted the chain
  std::string verify_error;  // why it did not, when it was checked
  std::optional<ExportedKey> exported;
  std::optional<std::string> error;  // what ended the connection, for people
};

// Where the client connected and what it asked for.
struct ClientTarget {
  std::string host;
  uint16_t port = 0;
  std::string server_name;
  bool verification_required = true;  // no --insecure
};

// "version: TLSv1.3", "cipher: ...", ... "verified: yes", one per line (a completed handshake).
void print_summary(std::FILE* out, const ConnectionReport& report);
// --showcerts: the presented chain with PEM, under a heading that says whether it verified.
void print_presented_chain(std::FILE* out, const ConnectionReport& report);
// --json: one object per connection; `first`, with --reconnect, is the connection before it.
std::string client_json(const ClientTarget& target, const ConnectionReport& report,
                        const ConnectionReport* first, bool with_pem);

}  // namespace bastion::cli
