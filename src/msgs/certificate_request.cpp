#include "msgs/certificate_request.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<CertificateRequest> CertificateRequest::decode(Bytes body) {
  Reader r(body);
  CertificateRequest cr;
  if (!detail::read_opaque(r, 1, 0, 0xff, cr.certificate_request_context)) {
    return detail::decode_error("bad CertificateRequest certificate_request_context");
  }
  auto extensions = read_extensions(r, 2, 0xffff);
  if (!extensions) return std::move(extensions).error();
  if (!r.empty()) return detail::trailing_data("CertificateRequest");
  cr.extensions = std::move(extensions).value();
  // RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified".
  if (!contains(cr.extensions, ExtensionType::signature_algorithms)) {
    return Error{ErrorCode::missing_extension, "CertificateRequest without signature_algorithms"};
  }
  return cr;
}

Result<std::vector<uint8_t>> CertificateRequest::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, Bytes(certificate_request_context));
  write_extensions(w, extensions);
  return w.finish();
}

}  // namespace bastion::msgs
