#include "msgs/server_hello.hpp"

#include <algorithm>

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<ServerHello> ServerHello::decode(Bytes body) {
  Reader r(body);
  ServerHello sh;
  uint16_t version = 0;
  Bytes random;
  if (!r.u16(version) || !r.bytes(sh.random.size(), random)) {
    return detail::decode_error("truncated ServerHello");
  }
  sh.legacy_version = static_cast<ProtocolVersion>(version);
  std::copy(random.begin(), random.end(), sh.random.begin());
  if (!detail::read_opaque(r, 1, 0, 32, sh.legacy_session_id_echo)) {
    return detail::decode_error("bad ServerHello legacy_session_id_echo");
  }
  uint16_t suite = 0;
  if (!r.u16(suite) || !r.u8(sh.legacy_compression_method)) {
    return detail::decode_error("truncated ServerHello");
  }
  sh.cipher_suite = static_cast<CipherSuite>(suite);
  // TLS 1.2 allows no extensions block at all (RFC 5246 §7.4.1.3); read with its bounds.
  if (!r.empty()) {
    auto extensions = read_extensions(r);
    if (!extensions) return std::move(extensions).error();
    sh.extensions = std::move(extensions).value();
  }
  if (!r.empty()) return detail::trailing_data("ServerHello");
  return sh;
}

Result<std::vector<uint8_t>> ServerHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(static_cast<uint16_t>(legacy_version));
  w.bytes(random);
  w.vec(1, Bytes(legacy_session_id_echo));
  w.u16(static_cast<uint16_t>(cipher_suite));
  w.u8(legacy_compression_method);
  if (!extensions.empty()) write_extensions(w, extensions);
  return w.finish();
}

}  // namespace bastion::msgs
