// Command-line parsing for the bastion CLI: options, HOST[:PORT] endpoints and name lists.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/types.hpp"

namespace bastion::cli {

// One option of a command: what the parser accepts and what --help says about it.
struct OptionSpec {
  std::string_view name;        // without the leading "--"
  std::string_view value_name;  // "PEM", "LIST", ...: the option takes a value; empty for a flag
  std::string_view help;        // for --help, wrapped to fit
  bool takes_value() const { return !value_name.empty(); }
};

// The --help lines of options: "    --name VALUE  help", the help wrapped in one column.
std::string format_options(std::span<const OptionSpec> specs);

struct ParsedArgs {
  std::vector<std::string> positional;
  std::map<std::string, std::string, std::less<>> values;  // flags map to ""

  bool has(std::string_view name) const { return values.find(name) != values.end(); }
  std::optional<std::string> value(std::string_view name) const;
};

// Either the parsed value or a message for the user.
template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error;
};

// Accepts "--name value", "--name=value" and flags; "--" ends the options.
Parsed<ParsedArgs> parse_args(std::span<char* const> args, std::span<const OptionSpec> specs);

struct Endpoint {
  std::string host;  // without brackets for IPv6
  uint16_t port;
};
// "host", "host:port", "1.2.3.4:port", "[::1]:port", "[::1]", or a bare IPv6 "::1".
Parsed<Endpoint> parse_endpoint(std::string_view text, uint16_t default_port);
// "[::1]:443" for IPv6 hosts, "host:443" otherwise.
std::string format_endpoint(const Endpoint& endpoint);

// A duration in seconds, whole or decimal ("10", "0.5"), at most a day; 0 is allowed.
Parsed<std::chrono::milliseconds> parse_seconds(std::string_view text);
// A point in time: RFC 3339 ("2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", fractions
// of a second ignored), a date ("2026-01-01", midnight UTC), or Unix seconds after an '@'
// ("@1767225600", as GNU date takes them); years 1900 to 2261.
Parsed<std::chrono::system_clock::time_point> parse_time(std::string_view text);
// A count from 1 to `max`.
Parsed<size_t> parse_count(std::string_view text, size_t max);

// Comma-separated lists; an empty item or an unknown name is an error.
Parsed<std::vector<std::string>> parse_name_list(std::string_view text);
Parsed<std::vector<CipherSuite>> parse_cipher_list(std::string_view text);
Parsed<std::vector<NamedGroup>> parse_group_list(std::string_view text);

// "1.2" or "1.3".
Parsed<ProtocolVersion> parse_version(std::string_view text);

// --ciphers, --groups, --alpn, --min-version and --max-version, shared by the client and the
// server.
struct TlsChoices {
  std::vector<CipherSuite> cipher_suites;
  std::vector<NamedGroup> groups;
  std::vector<std::string> alpn;
  ProtocolVersion min_version = ProtocolVersion::tls12;
  ProtocolVersion max_version = ProtocolVersion::tls13;
};
Parsed<TlsChoices> parse_tls_choices(const ParsedArgs& args);

}  // namespace bastion::cli
