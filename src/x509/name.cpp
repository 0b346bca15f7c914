#include "x509/name.hpp"

#include <algorithm>
#include <cstdio>

#include "core/utf8.hpp"
#include "x509/der.hpp"

namespace bastion::x509 {

namespace {

Error malformed(std::string detail) {
  return Error{ErrorCode::bad_certificate, std::move(detail)};
}

// The attribute value as UTF-8 text, for display.
std::string value_text(const NameAttribute& a) {
  std::string out;
  switch (a.string_tag) {
    case der::kBmpString:
      for (size_t i = 0; i + 1 < a.value.size(); i += 2) {
        append_utf8(out, (uint32_t{a.value[i]} << 8) | a.value[i + 1]);
      }
      return out;
    case der::kUniversalString:
      for (size_t i = 0; i + 3 < a.value.size(); i += 4) {
        const uint32_t cp = (uint32_t{a.value[i]} << 24) | (uint32_t{a.value[i + 1]} << 16) |
                            (uint32_t{a.value[i + 2]} << 8) | a.value[i + 3];
        append_utf8(out, cp <= 0x10ffff ? cp : 0xfffd);
      }
      return out;
    case der::kTeletexString:
      for (uint8_t b : a.value) append_utf8(out, b);
      return out;
    default:
      return std::string(a.value.begin(), a.value.end());
  }
}

struct KnownAttribute {
  uint8_t oid[10];
  size_t len;
  const char* label;
};

constexpr KnownAttribute kKnownAttributes[] = {
    {{0x55, 0x04, 0x03}, 3, "CN"},
    {{0x55, 0x04, 0x05}, 3, "serialNumber"},
    {{0x55, 0x04, 0x06}, 3, "C"},
    {{0x55, 0x04, 0x07}, 3, "L"},
    {{0x55, 0x04, 0x08}, 3, "ST"},
    {{0x55, 0x04, 0x09}, 3, "STREET"},
    {{0x55, 0x04, 0x0a}, 3, "O"},
    {{0x55, 0x04, 0x0b}, 3, "OU"},
    {{0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, 10, "DC"},
    {{0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01}, 10, "UID"},
    {{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, 9, "emailAddress"},
};

std::string attribute_label(std::span<const uint8_t> oid) {
  for (const auto& k : kKnownAttributes) {
    if (oid.size() == k.len && std::equal(oid.begin(), oid.end(), k.oid)) return k.label;
  }
  return oid_to_string(oid);
}

}  // namespace

std::string oid_to_string(std::span<const uint8_t> oid) {
  if (!der::is_valid_oid(oid)) return "?";
  std::string out;
  uint64_t arc = 0;
  bool first = true;
  for (uint8_t b : oid) {
    if (arc > (UINT64_MAX >> 7)) return "?";
    arc = (arc << 7) | (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      const uint64_t top = arc < 80 ? arc / 40 : 2;
      out = std::to_string(top) + "." + std::to_string(arc - top * 40);
      first = false;
    } else {
      out += "." + std::to_string(arc);
    }
    arc = 0;
  }
  return out;
}

Result<Name> parse_name(std::span<const uint8_t> der_name) {
  der::Reader outer(der_name);
  der::Reader rdns(der::Bytes{});
  if (!outer.enter(der::kSequence, rdns) || !outer.empty()) return malformed("malformed Name");
  Name name;
  while (!rdns.empty()) {
    RelativeDistinguishedName rdn;
    if (!rdns.read_tlv(der::kSet, rdn.raw)) return malformed("malformed RelativeDistinguishedName");
    der::Reader set_outer(rdn.raw, rdns.depth());
    der::Reader set(der::Bytes{});
    if (!set_outer.enter(der::kSet, set)) return malformed("malformed RelativeDistinguishedName");
    // RFC 5280 §4.1.2.4: RelativeDistinguishedName ::= SET SIZE (1..MAX).
    if (set.empty()) return malformed("empty RelativeDistinguishedName");
    while (!set.empty()) {
      der::Reader atv(der::Bytes{});
      NameAttribute attr;
      if (!set.enter(der::kSequence, atv) || !atv.read(der::kOid, attr.oid) ||
          !der::is_valid_oid(attr.oid) || !atv.read_any(attr.string_tag, attr.value) ||
          !atv.empty()) {
        return malformed("malformed AttributeTypeAndValue");
      }
      rdn.attributes.push_back(attr);
    }
    name.rdns.push_back(std::move(rdn));
  }
  return name;
}

std::string name_to_string(const Name& name) {
  std::string out;
  for (const auto& rdn : name.rdns) {
    for (size_t i = 0; i < rdn.attributes.size(); ++i) {
      if (!out.empty()) out += i == 0 ? ", " : " + ";
      const auto& a = rdn.attributes[i];
      out += attribute_label(a.oid);
      out += '=';
      for (char c : value_text(a)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
          char hex[4];
          std::snprintf(hex, sizeof hex, "\\%02X", u);
          out += hex;
        } else {
          if (c == ',' || c == '+' || c == '\\') out += '\\';
          out += c;
        }
      }
    }
  }
  return out;
}

}  // namespace bastion::x509
