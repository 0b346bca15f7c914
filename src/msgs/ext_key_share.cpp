#include "msgs/ext_key_share.hpp"

#include <algorithm>

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {
namespace {

// key_exchange<1..2^16-1>, but an empty one is read here: like any other value that is not a
// public key of its group, it is refused where it is used, with illegal_parameter (§4.2.8.2).
[[nodiscard]] bool read_entry(Reader& r, KeyShareEntry& out) {
  uint16_t group = 0;
  if (!r.u16(group) || !detail::read_opaque(r, 2, 0, 0xffff, out.key_exchange)) return false;
  out.group = static_cast<NamedGroup>(group);
  return true;
}

void write_entry(Writer& w, const KeyShareEntry& entry) {
  w.u16(static_cast<uint16_t>(entry.group));
  w.vec(2, Bytes(entry.key_exchange));
}

}  // namespace

Result<KeyShareClientHello> KeyShareClientHello::decode(Bytes data) {
  Reader r(data);
  Reader list;
  if (!r.sub(2, 0, 0xffff, list)) return detail::decode_error("bad key_share list");
  if (!r.empty()) return detail::trailing_data("key_share");
  KeyShareClientHello out;
  while (!list.empty()) {
    KeyShareEntry entry;
    if (!read_entry(list, entry)) return detail::decode_error("malformed KeyShareEntry");
    // RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same group
    // ... Servers MAY check for violations of these rules and abort the handshake with an
    // "illegal_parameter" alert if one is violated."
    if (out.find(entry.group) != nullptr) {
      return detail::illegal_parameter("two key shares for the same group");
    }
    out.client_shares.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<uint8_t>> KeyShareClientHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, [&] {
    for (const KeyShareEntry& entry : client_shares) write_entry(w, entry);
  });
  return w.finish();
}

const KeyShareEntry* KeyShareClientHello::find(NamedGroup group) const {
  auto it = std::find_if(client_shares.begin(), client_shares.end(),
                         [group](const KeyShareEntry& e) { return e.group == group; });
  return it == client_shares.end() ? nullptr : &*it;
}

Result<KeyShareServerHello> KeyShareServerHello::decode(Bytes data) {
  Reader r(data);
  KeyShareServerHello out;
  if (!read_entry(r, out.server_share)) return detail::decode_error("malformed key_share");
  if (!r.empty()) return detail::trailing_data("key_share");
  return out;
}

Result<std::vector<uint8_t>> KeyShareServerHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  write_entry(w, server_share);
  return w.finish();
}

Result<KeyShareHelloRetryRequest> KeyShareHelloRetryRequest::decode(Bytes data) {
  Reader r(data);
  uint16_t group = 0;
  if (!r.u16(group)) return detail::decode_error("truncated key_share");
  if (!r.empty()) return detail::trailing_data("key_share");
  return KeyShareHelloRetryRequest{static_cast<NamedGroup>(group)};
}

Result<std::vector<uint8_t>> KeyShareHelloRetryRequest::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(static_cast<uint16_t>(selected_group));
  return w.finish();
}

}  // namespace bastion::msgs
