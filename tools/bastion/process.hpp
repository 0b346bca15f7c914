// Running the system's programs (update-ca-certificates, certutil) from the CLI: no shell,
// arguments as given, output collected.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"

namespace bastion::cli {

struct ProgramOutput {
  int exit_status = -1;  // the exit code; -1 when it was killed by a signal
  std::string output;    // stdout and stderr together
};

// The executable `name` in $PATH, then in /usr/sbin and /sbin (where Debian keeps
// update-ca-certificates, often outside a user's PATH); nullopt when there is none.
std::optional<std::filesystem::path> find_program(std::string_view name);

// Runs argv[0] (a path, or a name looked up as find_program does) with stdin from /dev/null
// and waits for it. io_error when it cannot be started.
Result<ProgramOutput> run_program(const std::vector<std::string>& argv);

}  // namespace bastion::cli
