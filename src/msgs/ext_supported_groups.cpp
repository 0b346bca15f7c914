#include "msgs/ext_supported_groups.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<SupportedGroups> SupportedGroups::decode(Bytes data) {
  Reader r(data);
  SupportedGroups out;
  if (!detail::read_u16_list(r, 2, 0xffff, out.groups)) {
    return detail::decode_error("bad supported_groups list");
  }
  if (!r.empty()) return detail::trailing_data("supported_groups");
  return out;
}

Result<std::vector<uint8_t>> SupportedGroups::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  detail::write_u16_list(w, groups);
  return w.finish();
}

}  // namespace bastion::msgs
