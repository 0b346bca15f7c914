// The client handshake: the ClientHello for every version offered, then the version the
// ServerHello names (RFC 8446 §4.1.3, §4.2.1; RFC 5246 §7.4.1.3) and that version's states.
#pragma once

#include <memory>
#include <string>

#include "bastion/config.hpp"
#include "handshake/handshake.hpp"

namespace bastion::handshake {

std::unique_ptr<Handshake> make_client_handshake(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name);

}  // namespace bastion::handshake
