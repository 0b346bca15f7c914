// The server handshake: the version chosen from the ClientHello (RFC 8446 §4.2.1, RFC 5246
// §7.4.1.2, RFC 8996, RFC 7507), then that version's states.
#pragma once

#include <memory>

#include "bastion/config.hpp"
#include "handshake/handshake.hpp"

namespace bastion::handshake {

std::unique_ptr<Handshake> make_server_handshake(std::shared_ptr<const ServerConfig> config);

}  // namespace bastion::handshake
