#include "msgs/certificate.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<Certificate> Certificate::decode(Bytes body) {
  Reader r(body);
  Certificate cert;
  if (!detail::read_opaque(r, 1, 0, 0xff, cert.certificate_request_context)) {
    return detail::decode_error("bad Certificate certificate_request_context");
  }
  Reader list;
  if (!r.sub(3, 0, 0xffffff, list)) return detail::decode_error("bad Certificate certificate_list");
  if (!r.empty()) return detail::trailing_data("Certificate");
  while (!list.empty()) {
    if (cert.certificate_list.size() == limits::kMaxCertificateChain) {
      return Error{ErrorCode::bad_certificate, "certificate chain longer than the limit"};
    }
    CertificateEntry entry;
    if (!detail::read_opaque(list, 3, 1, 0xffffff, entry.cert_data)) {
      return detail::decode_error("bad CertificateEntry cert_data");
    }
    auto extensions = read_extensions(list);
    if (!extensions) return std::move(extensions).error();
    entry.extensions = std::move(extensions).value();
    cert.certificate_list.push_back(std::move(entry));
  }
  return cert;
}

Result<std::vector<uint8_t>> Certificate::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, Bytes(certificate_request_context));
  w.vec(3, [&] {
    for (const CertificateEntry& entry : certificate_list) {
      w.vec(3, Bytes(entry.cert_data));
      write_extensions(w, entry.extensions);
    }
  });
  return w.finish();
}

}  // namespace bastion::msgs
