// NSS key-log labels for TLS 1.3 secrets.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "bastion/config.hpp"
#include "core/secret.hpp"

namespace bastion::handshake {

inline void log_secret(const KeyLog* log, std::string_view label,
                       const std::array<uint8_t, 32>& client_random, const Secret& secret) {
  if (log) log->log(label, client_random, secret.span());
}

}  // namespace bastion::handshake
