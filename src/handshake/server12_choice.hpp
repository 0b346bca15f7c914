// What a TLS 1.2 server decides from the ClientHello (RFC 5246 §7.4.1.2-§7.4.1.4, RFC 8422
// §5.1, RFC 7627, RFC 7301): the suite its certificate can serve, the curve and signature
// scheme for ECDHE, the extended master secret, SNI and ALPN; and the ServerHello extensions
// that answer the client's.
#pragma once

#include <memory>
#include <string>

#include "bastion/config.hpp"
#include "handshake/cipher_suite.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {

// What the server decided from the ClientHello.
struct Choice {
  const CipherSuiteInfo* suite = nullptr;
  NamedGroup group{};
  SignatureScheme scheme{};
  std::shared_ptr<const CertifiedKey> certificate;
  bool extended_master_secret = false;
  bool point_formats_received = false;
  bool sni_received = false;
  std::string server_name;
  std::string alpn;
};

// Errors: missing signature_algorithms, no suite, group or scheme in common (handshake_failure),
// point formats without uncompressed (illegal_parameter), no ALPN protocol in common, the
// extended master secret required and absent.
Result<Choice> choose12(const ServerConfig& config, const msgs::ClientHello& ch);

// The ServerHello's extensions (RFC 5246 §7.4.1.4): only answers to the client's;
// `ticket`: the empty session_ticket that announces a NewSessionTicket (RFC 5077 §3.2).
Result<void> add_server_hello_extensions(msgs::ServerHello& sh, const Choice& choice, bool ticket);

}  // namespace bastion::handshake
