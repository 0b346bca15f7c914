// The TLS 1.3 server handshake (RFC 8446 §2, §4): one state type per expected message, from
// the ClientHello that chose TLS 1.3 on.
#pragma once

#include <memory>

#include "bastion/config.hpp"
#include "handshake/handshake.hpp"

namespace bastion::handshake {

std::unique_ptr<Handshake> make_server13(std::shared_ptr<const ServerConfig> config);

}  // namespace bastion::handshake
