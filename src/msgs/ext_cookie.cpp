#include "msgs/ext_cookie.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<Cookie> Cookie::decode(Bytes data) {
  Reader r(data);
  Cookie out;
  if (!detail::read_opaque(r, 2, 1, 0xffff, out.cookie)) return detail::decode_error("bad cookie");
  if (!r.empty()) return detail::trailing_data("cookie");
  return out;
}

Result<std::vector<uint8_t>> Cookie::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, Bytes(cookie));
  return w.finish();
}

}  // namespace bastion::msgs
