// Reading files that hold secrets (private keys): straight into wiped memory, so that no stream
// buffer, string or copy of the text outlives its use.
#pragma once

#include <cstddef>
#include <filesystem>

#include "bastion/error.hpp"
#include "core/secret.hpp"

namespace bastion {

// The whole file in one read into a buffer sized once from its length (so it never grows and
// leaves no copies behind). io_error when it cannot be opened or read, is not a regular file,
// or is longer than max_size.
Result<SecretVector> read_secret_file(const std::filesystem::path& path, size_t max_size);

}  // namespace bastion
