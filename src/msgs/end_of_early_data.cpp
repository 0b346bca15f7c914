#include "msgs/end_of_early_data.hpp"

#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<EndOfEarlyData> EndOfEarlyData::decode(Bytes body) {
  if (!body.empty()) return detail::trailing_data("EndOfEarlyData");
  return EndOfEarlyData{};
}

}  // namespace bastion::msgs
