#include "msgs/ext_supported_versions.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<SupportedVersionsClientHello> SupportedVersionsClientHello::decode(Bytes data) {
  Reader r(data);
  Reader list;
  if (!r.sub(1, 2, 254, list) || list.remaining() % 2 != 0) {
    return detail::decode_error("bad supported_versions list");
  }
  if (!r.empty()) return detail::trailing_data("supported_versions");
  SupportedVersionsClientHello out;
  while (!list.empty()) {
    uint16_t v = 0;
    if (!list.u16(v)) return detail::decode_error("bad supported_versions list");
    out.versions.push_back(static_cast<ProtocolVersion>(v));
  }
  return out;
}

Result<std::vector<uint8_t>> SupportedVersionsClientHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, [&] {
    for (ProtocolVersion v : versions) w.u16(static_cast<uint16_t>(v));
  });
  return w.finish();
}

Result<SupportedVersionsServerHello> SupportedVersionsServerHello::decode(Bytes data) {
  Reader r(data);
  uint16_t v = 0;
  if (!r.u16(v)) return detail::decode_error("truncated supported_versions");
  if (!r.empty()) return detail::trailing_data("supported_versions");
  return SupportedVersionsServerHello{static_cast<ProtocolVersion>(v)};
}

Result<std::vector<uint8_t>> SupportedVersionsServerHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(static_cast<uint16_t>(selected_version));
  return w.finish();
}

}  // namespace bastion::msgs
