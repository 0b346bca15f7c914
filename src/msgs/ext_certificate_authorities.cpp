#include "msgs/ext_certificate_authorities.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<CertificateAuthorities> CertificateAuthorities::decode(Bytes data) {
  Reader r(data);
  Reader list;
  if (!r.sub(2, 3, 0xffff, list)) return detail::decode_error("bad certificate_authorities list");
  if (!r.empty()) return detail::trailing_data("certificate_authorities");
  CertificateAuthorities out;
  while (!list.empty()) {
    std::vector<uint8_t> name;
    if (!detail::read_opaque(list, 2, 1, 0xffff, name)) {
      return detail::decode_error("bad DistinguishedName");
    }
    out.authorities.push_back(std::move(name));
  }
  return out;
}

Result<std::vector<uint8_t>> CertificateAuthorities::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, [&] {
    for (const std::vector<uint8_t>& name : authorities) w.vec(2, Bytes(name));
  });
  return w.finish();
}

}  // namespace bastion::msgs
