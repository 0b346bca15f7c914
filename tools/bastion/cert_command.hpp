// bastion cert: a local CA for development, as mkcert makes one, and its trust in the
// system's and the browsers' stores.
#pragma once

#include <span>

namespace bastion::cli {

// `bastion cert ca|issue|install|uninstall ...`: args[0] is the sub-command. Returns the
// process exit code (0, 1 on failure, 2 on a usage error).
int run_cert_command(std::span<char* const> args);

}  // namespace bastion::cli
