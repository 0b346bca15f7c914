// The bastion CLI's sub-commands. Each takes the arguments after its name and returns the
// process exit code.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bastion/types.hpp"

namespace bastion::cli {

int run_client(std::span<char* const> args);
int run_server(std::span<char* const> args);

// Prints "error: <message>" on stderr and returns 1, the exit code of a failed command.
int fail(std::string_view message);
// Prints "error: <message>" and a hint to see --help on stderr; returns 2.
int usage_error(std::string_view message);

// The IANA name of a negotiated parameter, or "none".
template <class T>
std::string name_or_none(const std::optional<T>& value) {
  return value ? to_string(*value) : "none";
}

}  // namespace bastion::cli
