#include "msgs/ext_status_request.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<StatusRequest> StatusRequest::decode(Bytes data) {
  Reader r(data);
  uint8_t type = 0;
  if (!r.u8(type)) return detail::decode_error("empty status_request");
  StatusRequest out;
  out.status_type = static_cast<CertificateStatusType>(type);
  if (out.status_type != CertificateStatusType::ocsp) {
    out.opaque_request = detail::to_vector(r.rest());
    return out;
  }
  Reader ids;
  if (!r.sub(2, 0, 0xffff, ids))
    return detail::decode_error("bad status_request responder_id_list");
  while (!ids.empty()) {
    std::vector<uint8_t> id;
    if (!detail::read_opaque(ids, 2, 1, 0xffff, id)) {
      return detail::decode_error("bad status_request ResponderID");
    }
    out.responder_id_list.push_back(std::move(id));
  }
  if (!detail::read_opaque(r, 2, 0, 0xffff, out.request_extensions)) {
    return detail::decode_error("bad status_request request_extensions");
  }
  if (!r.empty()) return detail::trailing_data("status_request");
  return out;
}

Result<std::vector<uint8_t>> StatusRequest::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u8(static_cast<uint8_t>(status_type));
  if (status_type != CertificateStatusType::ocsp) {
    w.bytes(opaque_request);
    return w.finish();
  }
  w.vec(2, [&] {
    for (const std::vector<uint8_t>& id : responder_id_list) w.vec(2, Bytes(id));
  });
  w.vec(2, Bytes(request_extensions));
  return w.finish();
}

Result<StatusRequestAck> StatusRequestAck::decode(Bytes data) {
  if (!data.empty()) return detail::trailing_data("status_request acknowledgement");
  return StatusRequestAck{};
}

Result<CertificateStatus> CertificateStatus::decode(Bytes data) {
  Reader r(data);
  uint8_t type = 0;
  if (!r.u8(type)) return detail::decode_error("empty CertificateStatus");
  if (type != static_cast<uint8_t>(CertificateStatusType::ocsp)) {
    return detail::decode_error("unknown CertificateStatus status_type");
  }
  CertificateStatus out;
  if (!detail::read_opaque(r, 3, 1, 0xffffff, out.ocsp_response)) {
    return detail::decode_error("bad CertificateStatus OCSPResponse");
  }
  if (!r.empty()) return detail::trailing_data("CertificateStatus");
  return out;
}

Result<std::vector<uint8_t>> CertificateStatus::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u8(static_cast<uint8_t>(status_type));
  w.vec(3, Bytes(ocsp_response));
  return w.finish();
}

}  // namespace bastion::msgs
