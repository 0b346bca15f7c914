#include "msgs/ext_record_size_limit.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<RecordSizeLimit> RecordSizeLimit::decode(Bytes data) {
  Reader r(data);
  RecordSizeLimit out;
  if (!r.u16(out.record_size_limit)) return detail::decode_error("truncated record_size_limit");
  if (!r.empty()) return detail::trailing_data("record_size_limit");
  // RFC 8449 §4: "An endpoint MUST treat receipt of a smaller value as a fatal error and
  // generate an "illegal_parameter" alert."
  if (out.record_size_limit < kMinimum) {
    return detail::illegal_parameter("record_size_limit below 64");
  }
  return out;
}

Result<std::vector<uint8_t>> RecordSizeLimit::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(record_size_limit);
  return w.finish();
}

}  // namespace bastion::msgs
