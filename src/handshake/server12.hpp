// The TLS 1.2 server handshake (RFC 5246 §7.3, RFC 8422, RFC 7627, RFC 5746): one state type
// per expected input, from the ClientHello that chose TLS 1.2 on.
#pragma once

#include <memory>

#include "bastion/config.hpp"
#include "handshake/handshake.hpp"
#include "msgs/client_hello.hpp"

namespace bastion::handshake {

// Answers `client_hello` (the server's flight up to ServerHelloDone) and takes over.
Result<std::unique_ptr<Handshake>> make_server12(std::shared_ptr<const ServerConfig> config,
                                                 const msgs::ClientHello& client_hello,
                                                 const msgs::HandshakeMessage& message,
                                                 RecordSink& sink);

}  // namespace bastion::handshake
