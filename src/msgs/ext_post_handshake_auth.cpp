#include "msgs/ext_post_handshake_auth.hpp"

#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<PostHandshakeAuth> PostHandshakeAuth::decode(Bytes data) {
  // RFC 8446 §4.2.6: "The "extension_data" field of the "post_handshake_auth" extension is
  // zero length."
  if (!data.empty()) return detail::trailing_data("post_handshake_auth");
  return PostHandshakeAuth{};
}

}  // namespace bastion::msgs
