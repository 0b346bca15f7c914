// Names in certificates: server identity per RFC 9525 (DNS and IP subjectAltNames only),
// the syntax of presented names, IP address text, and RFC 5280 §4.2.1.10 name constraints.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"
#include "x509/certificate.hpp"

namespace bastion::x509 {

// An IPv4 (4 bytes) or IPv6 (16 bytes) address in its usual text forms ("192.0.2.1",
// "2001:db8::1", "::ffff:192.0.2.1"); nullopt when `text` is not one. IPv4 parts are
// decimal without leading zeros; no zone identifiers.
std::optional<std::vector<uint8_t>> parse_ip_address(std::string_view text);
// Dotted quad for 4 bytes, RFC 5952 text for 16 bytes, hex otherwise.
std::string format_ip_address(std::span<const uint8_t> address);

// A DNS name as a certificate may present it (RFC 5280 §4.2.1.6, RFC 1034 §3.5 preferred
// syntax, letters, digits and hyphens, no trailing dot); with `allow_wildcard`, the whole
// leftmost label may be "*" when at least two labels follow (RFC 9525 §6.3).
bool is_valid_presented_dns_name(std::string_view name, bool allow_wildcard);
// A reference identifier given by the application: a DNS name, which may end with one dot.
bool is_valid_reference_dns_name(std::string_view name);

// RFC 9525 §6.3: ASCII case-insensitive label-by-label comparison; a presented "*" label
// matches exactly one whole leftmost label. A trailing dot on the reference is ignored.
bool dns_name_matches(std::string_view presented, std::string_view reference);

// Checks the end-entity's identity against `server_name` (a DNS name or an IP literal):
// subjectAltName only, no common-name fallback (RFC 9525 §6.3, §6.4). Fails with
// certificate_name_mismatch.
Result<void> verify_server_name(const Certificate& leaf, std::string_view server_name);

// The syntax checks of a certificate's subjectAltName entries (DNS, IP, email): malformed
// ones make the certificate unusable.
Result<void> check_presented_names(const Certificate& cert);

// A subtree base made ready for comparisons: its syntax checked, a directoryName parsed.
NameConstraint prepare_name_constraint(const GeneralName& base);

// The most name-to-constraint comparisons one certificate verification may make, over every
// CA and path it tries (RFC 5280 §4.2.1.10 leaves their number unbounded).
inline constexpr size_t kMaxNameComparisons = size_t{1} << 18;

// RFC 5280 §6.1.3 (b), (c): the names of `cert` (subject and subjectAltName) against the
// constraints of one CA. Each constraint looked at for a name, of the name's kind or not,
// spends one of `comparisons_left`. Fails with
// name_constraint_violated (also when the budget runs out), or bad_certificate when a constraint
// is malformed.
Result<void> check_name_constraints(const NameConstraints& constraints, const Certificate& cert,
                                    size_t& comparisons_left);

}  // namespace bastion::x509
