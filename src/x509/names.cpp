#include "x509/names.hpp"

#include <algorithm>
#include <cstdio>

#include "x509/der.hpp"

namespace bastion::x509 {

namespace {

std::string_view as_text(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool is_ldh_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::vector<std::string_view> split_labels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    labels.push_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return labels;
    start = dot + 1;
  }
}

std::optional<uint8_t> parse_ipv4_part(std::string_view part) {
  if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
  unsigned v = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 255) return std::nullopt;
  return static_cast<uint8_t>(v);
}

std::optional<std::vector<uint8_t>> parse_ipv4(std::string_view text) {
  const auto parts = split_labels(text);
  if (parts.size() != 4) return std::nullopt;
  std::vector<uint8_t> out;
  for (auto p : parts) {
    const auto b = parse_ipv4_part(p);
    if (!b) return std::nullopt;
    out.push_back(*b);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::vector<uint8_t>> parse_ipv6(std::string_view text) {
  std::vector<uint16_t> head, tail;
  bool seen_gap = false;
  size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    seen_gap = true;
    pos = 2;
  }
  std::optional<std::vector<uint8_t>> embedded_v4;
  while (pos < text.size()) {
    const size_t colon = text.find(':', pos);
    const std::string_view group =
        text.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
    auto& groups = seen_gap ? tail : head;
    if (group.find('.') != std::string_view::npos) {
      // An embedded IPv4 address ends the text (RFC 4291 §2.2 form 3).
      if (colon != std::string_view::npos) return std::nullopt;
      embedded_v4 = parse_ipv4(group);
      if (!embedded_v4) return std::nullopt;
      groups.push_back(static_cast<uint16_t>(((*embedded_v4)[0] << 8) | (*embedded_v4)[1]));
      groups.push_back(static_cast<uint16_t>(((*embedded_v4)[2] << 8) | (*embedded_v4)[3]));
      pos = text.size();
      break;
    }
    if (group.empty() || group.size() > 4) return std::nullopt;
    unsigned v = 0;
    for (char c : group) {
      const int h = hex_value(c);
      if (h < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(h);
    }
    groups.push_back(static_cast<uint16_t>(v));
    if (colon == std::string_view::npos) {
      pos = text.size();
    } else if (text.substr(colon, 2) == "::") {
      if (seen_gap) return std::nullopt;
      seen_gap = true;
      pos = colon + 2;
    } else {
      pos = colon + 1;
      if (pos == text.size()) return std::nullopt;  // trailing single colon
    }
  }
  const size_t total = head.size() + tail.size();
  if (seen_gap ? total > 7 : total != 8) return std::nullopt;
  std::vector<uint16_t> groups = head;
  groups.resize(8 - tail.size(), 0);
  groups.insert(groups.end(), tail.begin(), tail.end());
  std::vector<uint8_t> out;
  for (uint16_t g : groups) {
    out.push_back(static_cast<uint8_t>(g >> 8));
    out.push_back(static_cast<uint8_t>(g));
  }
  return out;
}

Error mismatch(std::string detail) {
  return Error{ErrorCode::certificate_name_mismatch, std::move(detail)};
}
Error violated(std::string detail) {
  return Error{ErrorCode::name_constraint_violated, std::move(detail)};
}
Error malformed(std::string detail) {
  return Error{ErrorCode::bad_certificate, std::move(detail)};
}

// An rfc822Name: local@domain with exactly one '@' and a valid domain (RFC 5280 §4.2.1.6).
bool is_valid_email(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto printable = [](char c) { return c > 0x20 && c < 0x7f; };
  if (!std::all_of(email.begin(), email.begin() + static_cast<ptrdiff_t>(at), printable)) {
    return false;
  }
  return is_valid_presented_dns_name(email.substr(at + 1), false);
}

// --- Name constraints, one name type at a time -------------------------------------------

// §4.2.1.10 dNSName constraints: adding zero or more labels to the left of the constraint.
bool dns_in_subtree(std::string_view name, std::string_view constraint) {
  if (constraint.empty()) return true;
  if (iequals(name, constraint)) return true;
  return name.size() > constraint.size() && iends_with(name, constraint) &&
         name[name.size() - constraint.size() - 1] == '.';
}

// Whether every name a (possibly wildcard) presented name stands for is inside the subtree.
bool dns_permitted_by(std::string_view name, std::string_view constraint) {
  if (name.substr(0, 2) == "*.") return dns_in_subtree(name.substr(2), constraint);
  return dns_in_subtree(name, constraint);
}

// Whether some name a (possibly wildcard) presented name stands for is inside the subtree:
// "*.example.com" meets an exclusion of "bar.example.com" (CVE-2025-61727).
bool dns_excluded_by(std::string_view name, std::string_view constraint) {
  if (name.substr(0, 2) != "*.") return dns_in_subtree(name, constraint);
  const std::string_view base = name.substr(2);
  if (dns_in_subtree(base, constraint)) return true;
  // The constraint is one label more than the wildcard's base: the wildcard can reach it.
  return constraint.size() > base.size() + 1 && iends_with(constraint, base) &&
         constraint[constraint.size() - base.size() - 1] == '.' &&
         constraint.substr(0, constraint.size() - base.size() - 1).find('.') ==
             std::string_view::npos;
}

bool is_valid_dns_constraint(std::string_view c) {
  return c.empty() || is_valid_presented_dns_name(c, false);
}

// §4.2.1.10 iPAddress constraints: address then a contiguous mask, 8 or 32 octets.
bool is_valid_ip_constraint(Bytes c) {
  if (c.size() != 8 && c.size() != 32) return false;
  const Bytes mask = c.subspan(c.size() / 2);
  bool zeros = false;
  for (uint8_t b : mask) {
    for (int i = 7; i >= 0; --i) {
      const bool bit = (b >> i) & 1;
      if (bit && zeros) return false;
      if (!bit) zeros = true;
    }
  }
  return true;
}

bool ip_in_subtree(Bytes address, Bytes constraint) {
  if (constraint.size() != address.size() * 2) return false;
  for (size_t i = 0; i < address.size(); ++i) {
    const uint8_t mask = constraint[address.size() + i];
    if ((address[i] & mask) != (constraint[i] & mask)) return false;
  }
  return true;
}

// §4.2.1.10 rfc822Name constraints: a mailbox, a host, or ".domain" for any subdomain.
bool is_valid_email_constraint(std::string_view c) {
  if (c.find('@') != std::string_view::npos) return is_valid_email(c);
  if (!c.empty() && c[0] == '.') return is_valid_presented_dns_name(c.substr(1), false);
  return c.empty() || is_valid_presented_dns_name(c, false);
}

bool email_in_subtree(std::string_view email, std::string_view constraint) {
  const size_t at = email.rfind('@');
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (constraint.find('@') != std::string_view::npos) {
    const size_t cat = constraint.rfind('@');
    return local == constraint.substr(0, cat) && iequals(domain, constraint.substr(cat + 1));
  }
  if (constraint.empty()) return true;
  if (constraint[0] == '.') return iends_with(domain, constraint);
  return iequals(domain, constraint);
}

// §4.2.1.10 uniformResourceIdentifier constraints apply to the host part.
std::optional<std::string_view> uri_host(std::string_view uri) {
  const size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::string_view rest = uri.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') return std::nullopt;  // IP literals: no host name
  rest = rest.substr(0, rest.find(':'));
  if (rest.empty()) return std::nullopt;
  return rest;
}

bool uri_in_subtree(std::string_view host, std::string_view constraint) {
  if (constraint.empty()) return true;
  if (constraint[0] == '.') return iends_with(host, constraint);
  return iequals(host, constraint);
}

// directoryName constraints: the constraint's RDNs are a prefix of the name's.
bool dn_in_subtree(const Name& name, const Name& constraint) {
  if (constraint.rdns.size() > name.rdns.size()) return false;
  for (size_t i = 0; i < constraint.rdns.size(); ++i) {
    const Bytes a = constraint.rdns[i].raw;
    const Bytes b = name.rdns[i].raw;
    if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) return false;
  }
  return true;
}

// One name of the certificate, as name constraints see it.
struct ConstrainedName {
  GeneralName::Kind kind;
  Bytes value;                      // contents (directoryName: the Name TLV)
  const Name* directory = nullptr;  // directoryName: parsed
};

bool is_unsupported_kind(GeneralName::Kind kind) {
  using Kind = GeneralName::Kind;
  return kind == Kind::other || kind == Kind::x400 || kind == Kind::edi ||
         kind == Kind::registered_id;
}

// Whether `name` is inside the subtree of a well-formed constraint of its kind.
bool name_in_subtree(const ConstrainedName& name, const NameConstraint& c, bool excluded) {
  using Kind = GeneralName::Kind;
  switch (c.base.kind) {
    case Kind::dns:
      return excluded ? dns_excluded_by(as_text(name.value), as_text(c.base.value))
                      : dns_permitted_by(as_text(name.value), as_text(c.base.value));
    case Kind::ip:
      return ip_in_subtree(name.value, c.base.value);
    case Kind::email:
      return email_in_subtree(as_text(name.value), as_text(c.base.value));
    case Kind::uri: {
      const auto host = uri_host(as_text(name.value));
      // A URI whose host we cannot name is outside every permitted subtree and, defensively,
      // inside every excluded one.
      if (!host) return excluded;
      return uri_in_subtree(*host, as_text(c.base.value));
    }
    case Kind::directory:
      return name.directory != nullptr && dn_in_subtree(*name.directory, *c.directory);
    default:
      // §4.2.1.10: constraints of a type we do not process cannot be satisfied; a name of
      // that type under such a constraint is rejected, in either list.
      return true;
  }
}

bool is_email_attribute(Bytes oid) {
  static constexpr uint8_t kEmail[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01};
  return std::equal(oid.begin(), oid.end(), std::begin(kEmail), std::end(kEmail));
}

}  // namespace

std::optional<std::vector<uint8_t>> parse_ip_address(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parse_ipv6(text);
  return parse_ipv4(text);
}

std::string format_ip_address(std::span<const uint8_t> a) {
  char buf[64];
  if (a.size() == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
  }
  if (a.size() != 16) {
    std::string out;
    for (uint8_t b : a) {
      std::snprintf(buf, sizeof buf, "%02x", b);
      out += buf;
    }
    return out;
  }
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((a[2 * i] << 8) | a[2 * i + 1]);
  // RFC 5952 §4.2: compress the longest run (of at least two) of zero groups, the first on ties.
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

bool is_valid_presented_dns_name(std::string_view name, bool allow_wildcard) {
  if (name.empty() || name.size() > 253) return false;
  const auto labels = split_labels(name);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i == 0 && allow_wildcard && labels[0] == "*") {
      if (labels.size() < 3) return false;
      continue;
    }
    if (!is_ldh_label(labels[i])) return false;
  }
  return true;
}

bool is_valid_reference_dns_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return is_valid_presented_dns_name(name, false);
}

bool dns_name_matches(std::string_view presented, std::string_view reference) {
  if (!reference.empty() && reference.back() == '.') reference.remove_suffix(1);
  if (!is_valid_presented_dns_name(presented, true) || !is_valid_reference_dns_name(reference)) {
    return false;
  }
  if (presented.substr(0, 2) == "*.") {
    const size_t dot = reference.find('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    return iequals(presented.substr(1), reference.substr(dot));
  }
  return iequals(presented, reference);
}

Result<void> verify_server_name(const Certificate& leaf, std::string_view server_name) {
  const auto& sans = leaf.subject_alt_names();
  if (!sans) return mismatch("certificate has no subjectAltName (no common-name fallback)");
  if (const auto ip = parse_ip_address(server_name)) {
    // RFC 9525 §6.4.4: an IP reference identity matches iPAddress entries only.
    for (const auto& san : *sans) {
      if (san.kind == GeneralName::Kind::ip &&
          std::equal(san.value.begin(), san.value.end(), ip->begin(), ip->end())) {
        return {};
      }
    }
    return mismatch("no iPAddress subjectAltName matches " + std::string(server_name));
  }
  if (!is_valid_reference_dns_name(server_name)) {
    return mismatch("server name \"" + std::string(server_name) + "\" is not a valid DNS name");
  }
  for (const auto& san : *sans) {
    if (san.kind == GeneralName::Kind::dns && dns_name_matches(as_text(san.value), server_name)) {
      return {};
    }
  }
  return mismatch("no dNSName subjectAltName matches " + std::string(server_name));
}

Result<void> check_presented_names(const Certificate& cert) {
  if (!cert.subject_alt_names()) return {};
  for (const auto& san : *cert.subject_alt_names()) {
    switch (san.kind) {
      case GeneralName::Kind::dns:
        if (!is_valid_presented_dns_name(as_text(san.value), true)) {
          return malformed("malformed dNSName \"" + std::string(as_text(san.value)) + "\"");
        }
        break;
      case GeneralName::Kind::ip:
        if (san.value.size() != 4 && san.value.size() != 16) {
          return malformed("malformed iPAddress subjectAltName");
        }
        break;
      case GeneralName::Kind::email:
        if (!is_valid_email(as_text(san.value))) return malformed("malformed rfc822Name");
        break;
      default:
        break;
    }
  }
  return {};
}

NameConstraint prepare_name_constraint(const GeneralName& base) {
  using Kind = GeneralName::Kind;
  NameConstraint c{base, true, std::nullopt};
  switch (base.kind) {
    case Kind::dns:
      c.well_formed = is_valid_dns_constraint(as_text(base.value));
      break;
    case Kind::ip:
      c.well_formed = is_valid_ip_constraint(base.value);
      break;
    case Kind::email:
      c.well_formed = is_valid_email_constraint(as_text(base.value));
      break;
    case Kind::directory:
      if (auto name = parse_name(base.value)) {
        c.directory = std::move(name).value();
      } else {
        c.well_formed = false;
      }
      break;
    default:
      break;
  }
  return c;
}

Result<void> check_name_constraints(const NameConstraints& constraints, const Certificate& cert,
                                    size_t& comparisons_left) {
  std::vector<ConstrainedName> names;
  // §6.1.3 (b): the subject name is checked as a directoryName when it is not empty, and
  // emailAddress attributes of the subject as rfc822Names (§4.2.1.10).
  if (!cert.subject().rdns.empty()) {
    names.push_back({GeneralName::Kind::directory, cert.subject_raw(), &cert.subject()});
    for (const auto& rdn : cert.subject().rdns) {
      for (const auto& a : rdn.attributes) {
        if (is_email_attribute(a.oid)) names.push_back({GeneralName::Kind::email, a.value});
      }
    }
  }
  // directoryName subjectAltNames, parsed once for every constraint they meet (reserved, so
  // that the pointers to them stay valid).
  std::vector<Name> directories;
  if (const auto& sans = cert.subject_alt_names()) {
    directories.reserve(
        static_cast<size_t>(std::count_if(sans->begin(), sans->end(), [](const GeneralName& san) {
          return san.kind == GeneralName::Kind::directory;
        })));
    for (const auto& san : *sans) {
      const Name* dn = nullptr;
      if (san.kind == GeneralName::Kind::directory) {
        if (auto parsed = parse_name(san.value)) dn = &directories.emplace_back(std::move(*parsed));
      }
      names.push_back({san.kind, san.value, dn});
    }
  }
  // Spends one comparison; false once none is left.
  auto spend = [&] {
    if (comparisons_left == 0) return false;
    --comparisons_left;
    return true;
  };
  const Error exhausted = violated("name constraints need more comparisons than allowed");
  for (const auto& name : names) {
    if (name.kind == GeneralName::Kind::directory && name.directory == nullptr) {
      const auto constrained = [](const std::vector<NameConstraint>& list) {
        return std::any_of(list.begin(), list.end(), [](const NameConstraint& c) {
          return c.base.kind == GeneralName::Kind::directory;
        });
      };
      if (constrained(constraints.excluded) || constrained(constraints.permitted)) {
        return malformed("malformed directoryName subjectAltName");
      }
      continue;
    }
    // Every constraint looked at is spent, of the name's kind or not: a CA with thousands of
    // constraints of another kind costs as much as one of the same.
    for (const auto& c : constraints.excluded) {
      if (!spend()) return exhausted;
      if (c.base.kind != name.kind) continue;
      if (!c.well_formed) return malformed("malformed name constraint");
      if (name_in_subtree(name, c, true)) return violated("a name is in an excluded subtree");
    }
    bool has_permitted_of_kind = false;
    bool permitted = false;
    for (const auto& c : constraints.permitted) {
      if (!spend()) return exhausted;
      if (c.base.kind != name.kind) continue;
      has_permitted_of_kind = true;
      if (!c.well_formed) return malformed("malformed name constraint");
      if (is_unsupported_kind(c.base.kind)) {
        return violated("a name type we cannot constrain is constrained");
      }
      if (name_in_subtree(name, c, false)) {
        permitted = true;
        break;
      }
    }
    if (has_permitted_of_kind && !permitted)
      return violated("a name is outside the permitted subtrees");
  }
  return {};
}

}  // namespace bastion::x509
