#include "msgs/key_update.hpp"

#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<KeyUpdate> KeyUpdate::decode(Bytes body) {
  Reader r(body);
  uint8_t request = 0;
  if (!r.u8(request)) return detail::decode_error("empty KeyUpdate");
  if (!r.empty()) return detail::trailing_data("KeyUpdate");
  // RFC 8446 §4.6.3: on a request_update other than 0 or 1 an implementation "MUST terminate
  // the connection with an "illegal_parameter" alert."
  if (request > 1) return detail::illegal_parameter("KeyUpdate request_update out of range");
  return KeyUpdate{static_cast<KeyUpdateRequest>(request)};
}

Result<std::vector<uint8_t>> KeyUpdate::encode() const {
  return std::vector<uint8_t>{static_cast<uint8_t>(request_update)};
}

}  // namespace bastion::msgs
