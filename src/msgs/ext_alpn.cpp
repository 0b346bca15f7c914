#include "msgs/ext_alpn.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<Alpn> Alpn::decode(Bytes data) {
  Reader r(data);
  Reader list;
  if (!r.sub(2, 2, 0xffff, list)) return detail::decode_error("bad ALPN protocol_name_list");
  if (!r.empty()) return detail::trailing_data("ALPN");
  Alpn out;
  while (!list.empty()) {
    Bytes name;
    // RFC 7301 §3.1: "Empty strings MUST NOT be included" (ProtocolName<1..2^8-1>).
    if (!list.vec(1, 1, 0xff, name)) return detail::decode_error("bad ALPN ProtocolName");
    out.protocol_name_list.emplace_back(name.begin(), name.end());
  }
  return out;
}

Result<std::vector<uint8_t>> Alpn::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, [&] {
    for (const std::string& name : protocol_name_list) {
      w.vec(1, [&] {
        for (char c : name) w.u8(static_cast<uint8_t>(c));
      });
    }
  });
  return w.finish();
}

}  // namespace bastion::msgs
