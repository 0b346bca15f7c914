// The bastion CLI's sub-commands. Each takes the arguments after its name and returns the
// process exit code.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "args.hpp"
#include "bastion/types.hpp"
#include "bastion/x509.hpp"

namespace bastion::cli {

int run_client(std::span<char* const> args);
int run_server(std::span<char* const> args);
int run_verify(std::span<char* const> args);

// Prints "error: <message>" on stderr and returns 1, the exit code of a failed command.
int fail(std::string_view message);
// Prints "error: <message>" and a hint to see --help on stderr; returns 2.
int usage_error(std::string_view message);

// The trust anchors of --capath DIR, --cafile PEM or --cafile DIR, or the system's.
Result<std::shared_ptr<const TrustStore>> load_trust_store(const ParsedArgs& args);
// --cert and --key, the key opened with the passphrase of --key-password-file (its first line)
// or of the BASTION_KEY_PASSWORD environment variable when it is encrypted.
Result<std::shared_ptr<const CertifiedKey>> load_certified_key(const ParsedArgs& args,
                                                               const std::string& cert,
                                                               const std::string& key);
// A message when --cafile and --capath are both given.
std::optional<std::string> trust_option_conflict(const ParsedArgs& args);

// The IANA name of a negotiated parameter, or "none".
template <class T>
std::string name_or_none(const std::optional<T>& value) {
  return value ? to_string(*value) : "none";
}

}  // namespace bastion::cli
