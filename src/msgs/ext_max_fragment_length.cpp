#include "msgs/ext_max_fragment_length.hpp"

#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<MaxFragmentLength> MaxFragmentLength::decode(Bytes data) {
  Reader r(data);
  uint8_t code = 0;
  if (!r.u8(code)) return detail::decode_error("empty max_fragment_length");
  if (!r.empty()) return detail::trailing_data("max_fragment_length");
  // RFC 6066 §4: "If a server receives a maximum fragment length negotiation request for a value
  // other than the allowed values, it MUST abort the handshake with an "illegal_parameter"
  // alert."
  if (code < 1 || code > 4) return detail::illegal_parameter("unknown max_fragment_length value");
  return MaxFragmentLength{static_cast<MaxFragmentLengthCode>(code)};
}

}  // namespace bastion::msgs
