// The bastion CLI's sub-commands. Each takes the arguments after its name and returns the
// process exit code.
#pragma once

#include <span>
#include <string_view>

namespace bastion::cli {

int run_client(std::span<char* const> args);
int run_server(std::span<char* const> args);

// Prints "error: <message>" on stderr and returns 1, the exit code of a failed command.
int fail(std::string_view message);
// Prints "error: <message>" and a hint to see --help on stderr; returns 2.
int usage_error(std::string_view message);

}  // namespace bastion::cli
