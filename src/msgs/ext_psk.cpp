#include "msgs/ext_psk.hpp"

#include <algorithm>

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<PskKeyExchangeModes> PskKeyExchangeModes::decode(Bytes data) {
  Reader r(data);
  Bytes modes;
  if (!r.vec(1, 1, 0xff, modes)) return detail::decode_error("bad psk_key_exchange_modes");
  if (!r.empty()) return detail::trailing_data("psk_key_exchange_modes");
  PskKeyExchangeModes out;
  for (uint8_t m : modes) out.ke_modes.push_back(static_cast<PskKeyExchangeMode>(m));
  return out;
}

Result<std::vector<uint8_t>> PskKeyExchangeModes::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, [&] {
    for (PskKeyExchangeMode m : ke_modes) w.u8(static_cast<uint8_t>(m));
  });
  return w.finish();
}

bool PskKeyExchangeModes::contains(PskKeyExchangeMode mode) const {
  return std::find(ke_modes.begin(), ke_modes.end(), mode) != ke_modes.end();
}

Result<PreSharedKeyClientHello> PreSharedKeyClientHello::decode(Bytes data) {
  Reader r(data);
  Reader identities;
  Reader binders;
  if (!r.sub(2, 7, 0xffff, identities)) return detail::decode_error("bad PSK identities");
  if (!r.sub(2, 33, 0xffff, binders)) return detail::decode_error("bad PSK binders");
  if (!r.empty()) return detail::trailing_data("pre_shared_key");
  PreSharedKeyClientHello out;
  while (!identities.empty()) {
    PskIdentity id;
    if (!detail::read_opaque(identities, 2, 1, 0xffff, id.identity) ||
        !identities.u32(id.obfuscated_ticket_age)) {
      return detail::decode_error("malformed PskIdentity");
    }
    out.identities.push_back(std::move(id));
  }
  while (!binders.empty()) {
    std::vector<uint8_t> binder;
    if (!detail::read_opaque(binders, 1, 32, 0xff, binder)) {
      return detail::decode_error("malformed PskBinderEntry");
    }
    out.binders.push_back(std::move(binder));
  }
  // RFC 8446 §4.2.11: binders are "A series of HMAC values, one for each value in the
  // identities list"; the server checks that they correspond (illegal_parameter).
  if (out.binders.size() != out.identities.size()) {
    return detail::illegal_parameter("PSK identity and binder counts differ");
  }
  return out;
}

Result<std::vector<uint8_t>> PreSharedKeyClientHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, [&] {
    for (const PskIdentity& id : identities) {
      w.vec(2, Bytes(id.identity));
      w.u32(id.obfuscated_ticket_age);
    }
  });
  w.vec(2, [&] {
    for (const std::vector<uint8_t>& binder : binders) w.vec(1, Bytes(binder));
  });
  return w.finish();
}

size_t PreSharedKeyClientHello::binders_size() const {
  size_t size = 2;
  for (const std::vector<uint8_t>& binder : binders) size += 1 + binder.size();
  return size;
}

Result<PreSharedKeyServerHello> PreSharedKeyServerHello::decode(Bytes data) {
  Reader r(data);
  PreSharedKeyServerHello out;
  if (!r.u16(out.selected_identity)) return detail::decode_error("truncated pre_shared_key");
  if (!r.empty()) return detail::trailing_data("pre_shared_key");
  return out;
}

Result<std::vector<uint8_t>> PreSharedKeyServerHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(selected_identity);
  return w.finish();
}

}  // namespace bastion::msgs
