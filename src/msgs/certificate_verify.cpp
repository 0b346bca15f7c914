#include "msgs/certificate_verify.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<CertificateVerify> CertificateVerify::decode(Bytes body) {
  Reader r(body);
  CertificateVerify cv;
  uint16_t algorithm = 0;
  if (!r.u16(algorithm) || !detail::read_opaque(r, 2, 0, 0xffff, cv.signature)) {
    return detail::decode_error("malformed CertificateVerify");
  }
  if (!r.empty()) return detail::trailing_data("CertificateVerify");
  cv.algorithm = static_cast<SignatureScheme>(algorithm);
  return cv;
}

Result<std::vector<uint8_t>> CertificateVerify::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u16(static_cast<uint16_t>(algorithm));
  w.vec(2, Bytes(signature));
  return w.finish();
}

}  // namespace bastion::msgs
