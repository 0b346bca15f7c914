#include "msgs/ext_tls12.hpp"

#include <algorithm>

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<RenegotiationInfo> RenegotiationInfo::decode(Bytes data) {
  Reader r(data);
  RenegotiationInfo out;
  if (!detail::read_opaque(r, 1, 0, 0xff, out.renegotiated_connection)) {
    return detail::decode_error("bad renegotiation_info");
  }
  if (!r.empty()) return detail::trailing_data("renegotiation_info");
  return out;
}

Result<std::vector<uint8_t>> RenegotiationInfo::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, Bytes(renegotiated_connection));
  return w.finish();
}

Result<ExtendedMasterSecret> ExtendedMasterSecret::decode(Bytes data) {
  if (!data.empty()) return detail::trailing_data("extended_master_secret");
  return ExtendedMasterSecret{};
}

Result<EcPointFormats> EcPointFormats::decode(Bytes data) {
  Reader r(data);
  Bytes formats;
  if (!r.vec(1, 1, 0xff, formats)) return detail::decode_error("bad ec_point_formats");
  if (!r.empty()) return detail::trailing_data("ec_point_formats");
  EcPointFormats out;
  out.ec_point_format_list.clear();
  for (uint8_t f : formats) out.ec_point_format_list.push_back(static_cast<EcPointFormat>(f));
  return out;
}

Result<std::vector<uint8_t>> EcPointFormats::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, [&] {
    for (EcPointFormat f : ec_point_format_list) w.u8(static_cast<uint8_t>(f));
  });
  return w.finish();
}

bool EcPointFormats::has_uncompressed() const {
  return std::find(ec_point_format_list.begin(), ec_point_format_list.end(),
                   EcPointFormat::uncompressed) != ec_point_format_list.end();
}

Result<SessionTicket> SessionTicket::decode(Bytes data) {
  return SessionTicket{detail::to_vector(data)};
}

}  // namespace bastion::msgs
