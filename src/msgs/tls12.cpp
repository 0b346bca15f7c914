#include "msgs/tls12.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<Certificate12> Certificate12::decode(Bytes body) {
  Reader r(body);
  Reader list;
  if (!r.sub(3, 0, 0xffffff, list)) return detail::decode_error("malformed Certificate");
  if (!r.empty()) return detail::trailing_data("Certificate");
  Certificate12 c;
  while (!list.empty()) {
    // The chain is bounded by the handshake message size; the count by the path builder.
    if (c.certificate_list.size() >= limits::kMaxCertificateChain) {
      return Error{ErrorCode::bad_certificate, "certificate chain longer than allowed"};
    }
    std::vector<uint8_t> der;
    if (!detail::read_opaque(list, 3, 1, 0xffffff, der)) {
      return detail::decode_error("malformed certificate in Certificate");
    }
    c.certificate_list.push_back(std::move(der));
  }
  return c;
}

Result<std::vector<uint8_t>> Certificate12::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(3, [&] {
    for (const auto& der : certificate_list) w.vec(3, Bytes(der));
  });
  return w.finish();
}

std::vector<uint8_t> ServerKeyExchangeEcdhe::params() const {
  std::vector<uint8_t> out;
  out.reserve(4 + public_key.size());
  out.push_back(kNamedCurve);
  out.push_back(static_cast<uint8_t>(static_cast<uint16_t>(group) >> 8));
  out.push_back(static_cast<uint8_t>(group));
  out.push_back(static_cast<uint8_t>(public_key.size()));
  out.insert(out.end(), public_key.begin(), public_key.end());
  return out;
}

Result<ServerKeyExchangeEcdhe> ServerKeyExchangeEcdhe::decode(Bytes body) {
  Reader r(body);
  ServerKeyExchangeEcdhe ske;
  uint8_t curve_type = 0;
  uint16_t group = 0;
  uint16_t scheme = 0;
  if (!r.u8(curve_type)) return detail::decode_error("malformed ServerKeyExchange");
  // RFC 8422 §5.4: explicit_prime and explicit_char2 are deprecated; named_curve only.
  if (curve_type != kNamedCurve) {
    return detail::illegal_parameter("ServerKeyExchange curve type is not named_curve");
  }
  if (!r.u16(group) || !detail::read_opaque(r, 1, 1, 0xff, ske.public_key) || !r.u16(scheme) ||
      !detail::read_opaque(r, 2, 0, 0xffff, ske.signature)) {
    return detail::decode_error("malformed ServerKeyExchange");
  }
  if (!r.empty()) return detail::trailing_data("ServerKeyExchange");
  ske.group = static_cast<NamedGroup>(group);
  ske.scheme = static_cast<SignatureScheme>(scheme);
  return ske;
}

Result<std::vector<uint8_t>> ServerKeyExchangeEcdhe::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u8(kNamedCurve);
  w.u16(static_cast<uint16_t>(group));
  w.vec(1, Bytes(public_key));
  w.u16(static_cast<uint16_t>(scheme));
  w.vec(2, Bytes(signature));
  return w.finish();
}

Result<ServerHelloDone> ServerHelloDone::decode(Bytes body) {
  if (!body.empty()) return detail::decode_error("ServerHelloDone is not empty");
  return ServerHelloDone{};
}

Result<ClientKeyExchangeEcdhe> ClientKeyExchangeEcdhe::decode(Bytes body) {
  Reader r(body);
  ClientKeyExchangeEcdhe cke;
  if (!detail::read_opaque(r, 1, 1, 0xff, cke.public_key)) {
    return detail::decode_error("malformed ClientKeyExchange");
  }
  if (!r.empty()) return detail::trailing_data("ClientKeyExchange");
  return cke;
}

Result<std::vector<uint8_t>> ClientKeyExchangeEcdhe::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, Bytes(public_key));
  return w.finish();
}

Result<ClientKeyExchangeRsa> ClientKeyExchangeRsa::decode(Bytes body) {
  Reader r(body);
  ClientKeyExchangeRsa cke;
  if (!detail::read_opaque(r, 2, 0, 0xffff, cke.encrypted_pre_master)) {
    return detail::decode_error("malformed ClientKeyExchange");
  }
  if (!r.empty()) return detail::trailing_data("ClientKeyExchange");
  return cke;
}

Result<std::vector<uint8_t>> ClientKeyExchangeRsa::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, Bytes(encrypted_pre_master));
  return w.finish();
}

Result<CertificateRequest12> CertificateRequest12::decode(Bytes body) {
  Reader r(body);
  CertificateRequest12 req;
  Reader names;
  if (!detail::read_opaque(r, 1, 1, 0xff, req.certificate_types) ||
      !detail::read_u16_list(r, 2, 0xfffe, req.schemes) || !r.sub(2, 0, 0xffff, names)) {
    return detail::decode_error("malformed CertificateRequest");
  }
  if (!r.empty()) return detail::trailing_data("CertificateRequest");
  while (!names.empty()) {
    std::vector<uint8_t> name;
    if (!detail::read_opaque(names, 2, 1, 0xffff, name)) {
      return detail::decode_error("malformed CertificateRequest authority");
    }
    req.authorities.push_back(std::move(name));
  }
  return req;
}

Result<std::vector<uint8_t>> CertificateRequest12::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(1, Bytes(certificate_types));
  detail::write_u16_list(w, schemes);
  w.vec(2, [&] {
    for (const auto& name : authorities) w.vec(2, Bytes(name));
  });
  return w.finish();
}

Result<NewSessionTicket12> NewSessionTicket12::decode(Bytes body) {
  Reader r(body);
  NewSessionTicket12 nst;
  if (!r.u32(nst.lifetime_hint) || !detail::read_opaque(r, 2, 0, 0xffff, nst.ticket)) {
    return detail::decode_error("malformed NewSessionTicket");
  }
  if (!r.empty()) return detail::trailing_data("NewSessionTicket");
  return nst;
}

Result<std::vector<uint8_t>> NewSessionTicket12::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u32(lifetime_hint);
  w.vec(2, Bytes(ticket));
  return w.finish();
}

}  // namespace bastion::msgs
