#include "msgs/finished.hpp"

#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<Finished> Finished::decode(Bytes body, size_t verify_data_length) {
  // RFC 8446 §4.4.4: verify_data is exactly Hash.length bytes.
  if (body.size() != verify_data_length) {
    return detail::decode_error("Finished verify_data has the wrong length");
  }
  return Finished{detail::to_vector(body)};
}

}  // namespace bastion::msgs
