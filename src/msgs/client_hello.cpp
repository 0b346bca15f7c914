#include "msgs/client_hello.hpp"

#include <algorithm>

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<ClientHello> ClientHello::decode(Bytes body) {
  Reader r(body);
  ClientHello ch;
  uint16_t version = 0;
  Bytes random;
  if (!r.u16(version) || !r.bytes(ch.random.size(), random)) {
    return detail::decode_error("truncated ClientHello");
  }
  ch.legacy_version = static_cast<ProtocolVersion>(version);
  std::copy(random.begin(), random.end(), ch.random.begin());
  if (!detail::read_opaque(r, 1, 0, 32, ch.legacy_session_id)) {
    return detail::decode_error("bad ClientHello legacy_session_id");
  }
  if (!detail::read_u16_list(r, 2, 0xfffe, ch.cipher_suites)) {
    return detail::decode_error("bad ClientHello cipher_suites");
  }
  if (!detail::read_opaque(r, 1, 1, 0xff, ch.legacy_compression_methods)) {
    return detail::decode_error("bad ClientHello legacy_compression_methods");
  }
  // A TLS 1.2 hello may end here (RFC 5246 §7.4.1.2). TLS 1.3 requires <8..2^16-1>, which the
  // missing mandatory extensions then reveal; the block is read with the TLS 1.2 bounds.
  if (!r.empty()) {
    auto extensions = read_extensions(r);
    if (!extensions) return std::move(extensions).error();
    ch.extensions = std::move(extensions).value();
  }
  if (!r.empty()) return detail::trailing_data("ClientHello");
  // RFC 8446 §4.2.11: "The "pre_shared_key" extension MUST be the last extension in the
  // ClientHello ... Servers MUST check that it is the last extension and otherwise fail the
  // handshake with an "illegal_parameter" alert."
  const Extension* psk = find(ch.extensions, ExtensionType::pre_shared_key);
  if (psk != nullptr && psk != &ch.extensions.back()) {
    return detail::illegal_parameter("pre_shared_key is not the last ClientHello extension");
  }
  return ch;
}

Result<std::vector<uint8_t>> ClientHello::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(static_cast<uint16_t>(legacy_version));
  w.bytes(random);
  w.vec(1, Bytes(legacy_session_id));
  detail::write_u16_list(w, cipher_suites);
  w.vec(1, Bytes(legacy_compression_methods));
  if (!extensions.empty()) write_extensions(w, extensions);
  return w.finish();
}

}  // namespace bastion::msgs
