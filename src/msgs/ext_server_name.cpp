#include "msgs/ext_server_name.hpp"

#include <algorithm>
#include <array>

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {
namespace {

constexpr uint8_t kHostName = 0;  // NameType host_name

bool is_printable_ascii(char c) {
  return c > 0x20 && c < 0x7f;
}

bool looks_like_ip_literal(std::string_view name) {
  if (name.find(':') != std::string_view::npos) return true;  // IPv6, possibly bracketed
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

}  // namespace

Result<ServerName> ServerName::decode(Bytes data) {
  Reader r(data);
  Reader list;
  if (!r.sub(2, 1, 0xffff, list)) return detail::decode_error("bad server_name list");
  if (!r.empty()) return detail::trailing_data("server_name");
  ServerName out;
  std::array<bool, 256> seen{};
  while (!list.empty()) {
    uint8_t type = 0;
    Bytes name;
    // Every name type registered so far is an opaque<1..2^16-1>, which lets unknown ones be
    // skipped.
    if (!list.u8(type) || !list.vec(2, 1, 0xffff, name)) {
      return detail::decode_error("malformed server_name entry");
    }
    // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same
    // name_type."
    if (seen[type]) return detail::illegal_parameter("two server names of the same type");
    seen[type] = true;
    if (type != kHostName) continue;
    std::string host(name.begin(), name.end());
    // RFC 6066 §3: "The hostname is represented as a byte string using ASCII encoding without a
    // trailing dot."
    if (!std::all_of(host.begin(), host.end(), is_printable_ascii)) {
      return detail::illegal_parameter("server_name host_name is not printable ASCII");
    }
    if (host.back() == '.') return detail::illegal_parameter("server_name with a trailing dot");
    // RFC 1035 §3.1: a DNS name is at most 253 characters in text.
    if (host.size() > 253) return detail::illegal_parameter("server_name longer than a DNS name");
    out.host_name = std::move(host);
  }
  return out;
}

Result<std::vector<uint8_t>> ServerName::encode() const {
  std::string_view host = host_name;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, [&] {
    w.u8(kHostName);
    w.vec(2, [&] {
      for (char c : host) w.u8(static_cast<uint8_t>(c));
    });
  });
  return w.finish();
}

bool ServerName::is_valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 0xffff) return false;
  if (!std::all_of(name.begin(), name.end(), is_printable_ascii)) return false;
  if (name.front() == '.' || name.back() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"."
  return !looks_like_ip_literal(name);
}

Result<ServerNameAck> ServerNameAck::decode(Bytes data) {
  if (!data.empty()) return detail::trailing_data("server_name acknowledgement");
  return ServerNameAck{};
}

}  // namespace bastion::msgs
