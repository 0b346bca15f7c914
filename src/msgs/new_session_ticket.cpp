#include "msgs/new_session_ticket.hpp"

#include "core/writer.hpp"
#include "msgs/codec.hpp"

namespace bastion::msgs {

Result<NewSessionTicket> NewSessionTicket::decode(Bytes body) {
  Reader r(body);
  NewSessionTicket nst;
  if (!r.u32(nst.ticket_lifetime) || !r.u32(nst.ticket_age_add) ||
      !detail::read_opaque(r, 1, 0, 0xff, nst.ticket_nonce) ||
      !detail::read_opaque(r, 2, 1, 0xffff, nst.ticket)) {
    return detail::decode_error("malformed NewSessionTicket");
  }
  auto extensions = read_extensions(r, 0, 0xfffe);
  if (!extensions) return std::move(extensions).error();
  if (!r.empty()) return detail::trailing_data("NewSessionTicket");
  nst.extensions = std::move(extensions).value();
  return nst;
}

Result<std::vector<uint8_t>> NewSessionTicket::encode() const {
  std::vector<uint8_t> out;
  Writer w(out);
  w.u32(ticket_lifetime);
  w.u32(ticket_age_add);
  w.vec(1, Bytes(ticket_nonce));
  w.vec(2, Bytes(ticket));
  write_extensions(w, extensions);
  return w.finish();
}

}  // namespace bastion::msgs
