#include "msgs/ext_padding.hpp"

#include <algorithm>

#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<Padding> Padding::decode(Bytes data) {
  // RFC 7685 §3: "The client MUST fill the padding extension completely with zero bytes".
  if (!std::all_of(data.begin(), data.end(), [](uint8_t b) { return b == 0; })) {
    return detail::illegal_parameter("padding extension holds non-zero bytes");
  }
  return Padding{data.size()};
}

}  // namespace bastion::msgs
