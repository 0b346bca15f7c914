// The TLS 1.2 client handshake (RFC 5246 §7.3, RFC 8422, RFC 7627, RFC 5746): one state type
// per expected input, from the ServerHello on.
#pragma once

#include <memory>
#include <string>

#include "bastion/config.hpp"
#include "handshake/client_hello.hpp"
#include "handshake/handshake.hpp"
#include "msgs/server_hello.hpp"

namespace bastion::handshake {

// Takes over with the ServerHello that chose TLS 1.2, after the ClientHello described by
// `offer` went out (its transcript too); checks the ServerHello and handles it.
Result<std::unique_ptr<Handshake>> make_client12(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name, ClientOffer offer,
                                                 Transcript transcript,
                                                 const msgs::ServerHello& server_hello,
                                                 const msgs::HandshakeMessage& message);

}  // namespace bastion::handshake
