// The TLS 1.3 client handshake (RFC 8446 §2, §4): one state type per expected message, from
// the ServerHello (or HelloRetryRequest) on.
#pragma once

#include <memory>
#include <string>

#include "bastion/config.hpp"
#include "handshake/client_hello.hpp"
#include "handshake/handshake.hpp"

namespace bastion::handshake {

// Takes over after the ClientHello described by `offer` went out (its transcript too); the
// next message it handles is the ServerHello.
std::unique_ptr<Handshake> make_client13(std::shared_ptr<const ClientConfig> config,
                                         std::string server_name, ClientOffer offer,
                                         Transcript transcript);

}  // namespace bastion::handshake
