#include "msgs/ext_early_data.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<EarlyDataIndication> EarlyDataIndication::decode(Bytes data) {
  if (!data.empty()) return detail::trailing_data("early_data");
  return EarlyDataIndication{};
}

Result<EarlyDataTicket> EarlyDataTicket::decode(Bytes data) {
  Reader r(data);
  EarlyDataTicket out;
  if (!r.u32(out.max_early_data_size)) return detail::decode_error("truncated early_data");
  if (!r.empty()) return detail::trailing_data("early_data");
  return out;
}

Result<std::vector<uint8_t>> EarlyDataTicket::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u32(max_early_data_size);
  return w.finish();
}

}  // namespace bastion::msgs
