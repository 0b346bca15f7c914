// RFC 5280 §4.1.2.4 distinguished names: a sequence of RDNs, each a set of attributes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bastion/error.hpp"

namespace bastion::x509 {

struct NameAttribute {
  std::span<const uint8_t> oid;    // OID contents
  uint8_t string_tag = 0;          // the DER tag of the value (UTF8String, PrintableString, ...)
  std::span<const uint8_t> value;  // the value's contents
};

struct RelativeDistinguishedName {
  std::span<const uint8_t> raw;  // the SET TLV
  std::vector<NameAttribute> attributes;
};

struct Name {
  std::vector<RelativeDistinguishedName> rdns;
};

// Parses a Name TLV. The result views into `der`.
Result<Name> parse_name(std::span<const uint8_t> der);

// One line, most significant RDN first as encoded: "CN=example.com, O=Example". Unknown
// attribute types print as dotted OIDs; non-printable bytes as \XX.
std::string name_to_string(const Name& name);

// The dotted form of OID contents ("2.5.4.3"); "?" when malformed.
std::string oid_to_string(std::span<const uint8_t> oid);

}  // namespace bastion::x509
