#include "session/ticket_contents.hpp"

#include "core/writer.hpp"

namespace bastion::session {
namespace {

// Bumped when the encoding changes, so that old tickets are refused rather than misread.
constexpr uint8_t kFormat = 3;

Error malformed(std::string detail) {
  return Error{ErrorCode::decode_error, "ticket: " + std::move(detail)};
}

std::string as_string(Bytes b) {
  return std::string(b.begin(), b.end());
}

uint64_t to_millis(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<milliseconds>(t.time_since_epoch()).count());
}

std::chrono::system_clock::time_point from_millis(uint64_t ms) {
  using namespace std::chrono;
  return system_clock::time_point(duration_cast<system_clock::duration>(
      milliseconds(static_cast<int64_t>(ms & 0x7fffffffffffffff))));
}

}  // namespace

Result<void> TicketContents::encode(std::vector<uint8_t>& out) const {
  Writer w(out);
  w.u8(kFormat);
  w.u16(static_cast<uint16_t>(version));
  w.u16(static_cast<uint16_t>(suite));
  w.vec(1, psk.span());
  w.u64(to_millis(issued));
  w.u32(static_cast<uint32_t>(lifetime.count()));
  w.u64(to_millis(auth_time));
  w.u32(age_add);
  w.vec(1, Bytes(reinterpret_cast<const uint8_t*>(alpn.data()), alpn.size()));
  w.vec(1, Bytes(reinterpret_cast<const uint8_t*>(server_name.data()), server_name.size()));
  w.u8(client_verified ? 1 : 0);
  w.u8(extended_master_secret ? 1 : 0);
  w.vec(3, [&] {
    for (const Der& der : client_certificates) w.vec(3, der);
  });
  if (!w.ok()) return Error{ErrorCode::message_too_large, "ticket field too long for its length"};
  return {};
}

size_t TicketContents::encoded_size() const {
  // format, version, suite, psk<1>, issued, lifetime, auth_time, age_add, alpn<1>, name<1>,
  // verified, ems, chain<3> of certificates<3>.
  size_t size = 1 + 2 + 2 + (1 + psk.size()) + 8 + 4 + 8 + 4 + (1 + alpn.size()) +
                (1 + server_name.size()) + 1 + 1 + 3;
  for (const Der& der : client_certificates) size += 3 + der.size();
  return size;
}

Result<TicketContents> TicketContents::decode(Bytes plaintext) {
  using namespace std::chrono;
  Reader r(plaintext);
  TicketContents t;
  uint8_t format = 0;
  uint16_t version = 0;
  uint16_t suite = 0;
  Bytes psk;
  uint64_t issued_ms = 0;
  uint32_t lifetime = 0;
  uint64_t auth_ms = 0;
  Bytes alpn;
  Bytes name;
  uint8_t verified = 0;
  uint8_t ems = 0;
  Reader chain;
  if (!r.u8(format) || format != kFormat) return malformed("unknown format");
  if (!r.u16(version) || !r.u16(suite) || !r.vec(1, 1, Secret::kCapacity, psk) ||
      !r.u64(issued_ms) || !r.u32(lifetime) || !r.u64(auth_ms) || !r.u32(t.age_add) ||
      !r.vec(1, 0, 255, alpn) || !r.vec(1, 0, 255, name) || !r.u8(verified) || verified > 1 ||
      !r.u8(ems) || ems > 1 || !r.sub(3, 0, kMaxTicketPlaintext, chain) || !r.empty()) {
    return malformed("bad encoding");
  }
  while (!chain.empty()) {
    Bytes der;
    if (!chain.vec(3, 1, kMaxTicketPlaintext, der)) return malformed("bad certificate");
    t.client_certificates.emplace_back(der.begin(), der.end());
  }
  t.version = static_cast<ProtocolVersion>(version);
  t.suite = static_cast<CipherSuite>(suite);
  t.psk = Secret(psk);
  t.issued = from_millis(issued_ms);
  t.lifetime = seconds(lifetime);
  t.auth_time = from_millis(auth_ms);
  t.alpn = as_string(alpn);
  t.server_name = as_string(name);
  t.client_verified = verified == 1;
  t.extended_master_secret = ems == 1;
  return t;
}

TicketContents TicketContents::clone() const {
  TicketContents t;
  t.version = version;
  t.suite = suite;
  t.psk = psk.clone();
  t.issued = issued;
  t.lifetime = lifetime;
  t.auth_time = auth_time;
  t.age_add = age_add;
  t.alpn = alpn;
  t.server_name = server_name;
  t.client_certificates = client_certificates;
  t.client_verified = client_verified;
  t.extended_master_secret = extended_master_secret;
  return t;
}

}  // namespace bastion::session
