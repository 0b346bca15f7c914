// The TLS 1.3 client handshake (RFC 8446 §2, §4): one state type per expected message.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "bastion/config.hpp"
#include "handshake/handshake.hpp"

namespace bastion::handshake {

std::unique_ptr<Handshake> make_client_handshake(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name);

}  // namespace bastion::handshake
