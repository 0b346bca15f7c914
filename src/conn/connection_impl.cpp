#include "conn/connection_impl.hpp"

#include <algorithm>
#include <cstring>

#include "msgs/key_update.hpp"
#include "msgs/new_session_ticket.hpp"
#include "record/fragmenter.hpp"

namespace bastion {
namespace {

constexpr uint8_t kAlertWarning = 1;
constexpr uint8_t kAlertFatal = 2;
// Once application data flows, a send buffer this small is kept when it empties: it costs
// little on an idle connection and spares an allocation per record when short records stream.
constexpr size_t kKeptSendCapacity = 2048;

Error unexpected(std::string detail) {
  return Error{ErrorCode::unexpected_message, std::move(detail)};
}

}  // namespace

Error Connection::Impl::fail(Error e) {
  if (!error) {
    error = e;
    bool peer_caused_end = e.code == ErrorCode::peer_alert || e.code == ErrorCode::truncated ||
                           e.code == ErrorCode::closed;
    if (!peer_caused_end && !sent_close) send_alert(e.alert(), true);
  }
  return e;
}

// --- sending ----------------------------------------------------------------------------------

void Connection::Impl::compact_output() {
  // Output that the caller consumed only in part moves to the front once the consumed part is
  // the larger, so that a socket that is never fully writable cannot make the buffer grow
  // forever.
  if (out_pos == 0 || out_pos < out.size() - out_pos) return;
  out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(out_pos));
  out_pos = 0;
}

Result<void> Connection::Impl::seal(ContentType type, std::span<const uint8_t> content) {
  compact_output();
  if (!writer) {
    // RFC 8446 §5.1: the initial ClientHello may use 0x0301 as legacy_record_version.
    uint16_t version = (is_client && !sent_first_record) ? 0x0301 : 0x0303;
    record::append_plaintext_records(type, content, out, version);
    sent_first_record = true;
    return {};
  }
  size_t max = writer->max_content(0);
  do {
    size_t n = std::min(max, content.size());
    if (auto ok = writer->seal(type, content.first(n), 0, out); !ok) return ok;
    content = content.subspan(n);
  } while (!content.empty());
  sent_first_record = true;
  return {};
}

Result<void> Connection::Impl::send_handshake(std::span<const uint8_t> message) {
  return seal(ContentType::handshake, message);
}

void Connection::Impl::send_change_cipher_spec() {
  const uint8_t ccs[] = {1};
  record::append_plaintext_records(ContentType::change_cipher_spec, ccs, out);
}

void Connection::Impl::send_alert(Alert alert, bool fatal) {
  const uint8_t body[] = {fatal ? kAlertFatal : kAlertWarning, static_cast<uint8_t>(alert)};
  // Nothing more can be done when even the alert cannot be sealed.
  (void)seal(ContentType::alert, body);
}

Result<void> Connection::Impl::set_write_secret(const handshake::CipherSuiteInfo& suite,
                                                const Secret& secret) {
  auto p = record::RecordProtector::create(provider, record::Direction::seal, suite.aead,
                                           suite.hash, secret);
  if (!p) return std::move(p).error();
  writer.emplace(std::move(p).value());
  return {};
}

Result<void> Connection::Impl::set_read_secret(const handshake::CipherSuiteInfo& suite,
                                               const Secret& secret) {
  // RFC 8446 §5.1: handshake messages MUST NOT span key changes.
  if (reassembler.has_buffered()) {
    return unexpected("handshake data before a key change is not on a record boundary");
  }
  auto p = record::RecordProtector::create(provider, record::Direction::open, suite.aead,
                                           suite.hash, secret);
  if (!p) return std::move(p).error();
  reader.emplace(std::move(p).value());
  return {};
}

Result<void> Connection::Impl::write(std::span<const uint8_t> data) {
  if (error) return *error;
  if (sent_close) return Error{ErrorCode::closed, "write after close"};
  if (!hs->complete()) return Error{ErrorCode::closed, "write before the handshake completed"};
  compact_output();
  while (!data.empty()) {
    // RFC 8446 §5.5: update keys before the AEAD's usage limit.
    if (writer->needs_key_update()) {
      if (auto ok = send_key_update(false); !ok) return fail(std::move(ok).error());
    }
    size_t n = std::min(writer->max_content(0), data.size());
    if (auto ok = writer->seal(ContentType::application_data, data.first(n), 0, out); !ok) {
      return fail(std::move(ok).error());
    }
    streaming = n == writer->max_content(0);
    sent_application_data = true;
    data = data.subspan(n);
  }
  return {};
}

void Connection::Impl::close() {
  if (sent_close || error) return;
  sent_close = true;
  send_alert(Alert::close_notify, false);
}

Result<void> Connection::Impl::send_key_update(bool request_peer) {
  msgs::KeyUpdate ku{request_peer ? msgs::KeyUpdateRequest::update_requested
                                  : msgs::KeyUpdateRequest::update_not_requested};
  if (auto ok = seal(ContentType::handshake, msgs::encode_message(ku)); !ok) return ok;
  return writer->update_traffic_secret();
}

Result<void> Connection::Impl::key_update(bool request_peer) {
  if (error) return *error;
  if (!hs->complete() || sent_close) {
    return Error{ErrorCode::closed, "KeyUpdate needs an established, open connection"};
  }
  if (auto ok = send_key_update(request_peer); !ok) return fail(std::move(ok).error());
  return {};
}

// --- receiving --------------------------------------------------------------------------------

Result<void> Connection::Impl::receive(std::span<const uint8_t> data) {
  if (error) return *error;
  make_room_for_input(data.size());
  in.insert(in.end(), data.begin(), data.end());
  Result<void> result;
  while (!received_close) {
    auto next = deframer.next(std::span(in).subspan(in_pos));
    if (!next) {
      result = fail(std::move(next).error());
      break;
    }
    if (!next->record) break;
    size_t size = next->record->size();
    if (auto ok = process_record(*next->record); !ok) {
      result = fail(std::move(ok).error());
      break;
    }
    in_pos += size;
  }
  // After close_notify the rest of the input is ignored (RFC 8446 §6.1).
  if (received_close || error) in.resize(in_pos);
  release_input_if_drained();
  return result;
}

void Connection::Impl::make_room_for_input(size_t incoming) {
  // Handled records that hold no unread plaintext are dead. They are dropped, and the live
  // bytes moved to the front, only when the buffer would otherwise have to grow.
  const size_t live = plaintext_head < plaintext.size() ? plaintext[plaintext_head].offset : in_pos;
  if (live == 0 || in.size() + incoming <= in.capacity()) return;
  in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(live));
  // Headroom for as much again, so that a stream of records cut across reads moves its
  // partial record once every few reads rather than at each.
  in.reserve(2 * (in.size() + incoming));
  in_pos -= live;
  plaintext.erase(plaintext.begin(),
                  plaintext.begin() + static_cast<std::ptrdiff_t>(plaintext_head));
  plaintext_head = 0;
  for (auto& p : plaintext) p.offset -= live;
}

void Connection::Impl::release_input_if_drained() {
  // An idle connection keeps no receive buffer. While data streams in, a partial record is
  // almost always pending, so this costs no allocation per record.
  if (in_pos != in.size() || readable != 0) return;
  std::vector<uint8_t>().swap(in);
  in_pos = 0;
  plaintext.clear();
  plaintext_head = 0;
}

size_t Connection::Impl::read(std::span<uint8_t> dest) {
  size_t copied = 0;
  while (copied < dest.size() && plaintext_head < plaintext.size()) {
    Plaintext& p = plaintext[plaintext_head];
    const size_t n = std::min(p.size, dest.size() - copied);
    std::memcpy(dest.data() + copied, in.data() + p.offset, n);
    copied += n;
    p.offset += n;
    p.size -= n;
    if (p.size == 0) ++plaintext_head;
  }
  readable -= copied;
  // Fully read entries are dropped at once, so a peer that never lets the input buffer drain
  // cannot make the list grow.
  if (plaintext_head == plaintext.size()) {
    plaintext.clear();
    plaintext_head = 0;
  }
  release_input_if_drained();
  return copied;
}

void Connection::Impl::consume_output(size_t n) {
  out_pos += std::min(n, out.size() - out_pos);
  if (out_pos < out.size()) return;
  out_pos = 0;
  // After a full record more are likely to follow: keep the buffer, so that streaming
  // allocates nothing per record. Otherwise the connection goes idle without a send buffer.
  if (streaming || (sent_application_data && out.capacity() <= kKeptSendCapacity)) {
    out.clear();
  } else {
    std::vector<uint8_t>().swap(out);
  }
}

Result<void> Connection::Impl::process_record(record::RecordView rec) {
  // RFC 8446 §5.1: no record of another type may come between the fragments of a handshake
  // message (protected records are checked on their inner type, in on_plaintext).
  if (rec.type != ContentType::handshake && rec.type != ContentType::application_data &&
      reassembler.has_partial()) {
    return unexpected("record interleaved with a fragmented handshake message");
  }
  if (rec.type == ContentType::change_cipher_spec) return on_change_cipher_spec(rec.fragment);
  if (!reader) {
    if (rec.type == ContentType::application_data) {
      return unexpected("application data before the handshake keys");
    }
    return on_plaintext(rec.type, rec.fragment);
  }
  if (rec.type == ContentType::alert && !hs->complete() && !opened_protected_record) {
    // A peer that failed before it had our keys may send its alert in the clear. Once a
    // protected record arrived, or the handshake completed, a plaintext alert could be an
    // attacker's forged close_notify truncating the stream (RFC 8446 §5, §6.1).
    return on_alert(rec.fragment);
  }
  if (rec.type != ContentType::application_data) {
    return unexpected("plaintext record after keys were installed");
  }
  auto opened = reader->open(rec.bytes);
  if (!opened) return std::move(opened).error();
  opened_protected_record = true;
  return on_plaintext(opened->type, opened->content);
}

Result<void> Connection::Impl::on_plaintext(ContentType type, std::span<uint8_t> content) {
  if (type != ContentType::handshake && reassembler.has_partial()) {
    return unexpected("record interleaved with a fragmented handshake message");
  }
  switch (type) {
    case ContentType::handshake:
      return on_handshake_fragment(content);
    case ContentType::alert:
      return on_alert(content);
    case ContentType::application_data:
      // RFC 8446 §2: application data only after the handshake (no 0-RTT is accepted).
      if (!hs->complete()) return unexpected("application data during the handshake");
      if (content.empty()) {
        if (++empty_records > limits::kMaxEmptyRecords) {
          return Error{ErrorCode::empty_record, "too many empty application data records"};
        }
        return {};
      }
      empty_records = 0;
      key_updates_in_a_row = 0;
      // Opened in place: the plaintext stays in `in` until read() copies it out.
      plaintext.push_back(
          Plaintext{static_cast<size_t>(content.data() - in.data()), content.size()});
      readable += content.size();
      return {};
    default:
      return Error{ErrorCode::bad_content_type, "unexpected record content type"};
  }
}

Result<void> Connection::Impl::on_change_cipher_spec(std::span<const uint8_t> fragment) {
  // RFC 8446 §5: a single 0x01 byte between the first ClientHello and the peer's Finished is
  // dropped; anything else is unexpected_message.
  if (fragment.size() != 1 || fragment[0] != 1) {
    return unexpected("malformed change_cipher_spec");
  }
  if (!hs->change_cipher_spec_allowed()) return unexpected("change_cipher_spec not allowed now");
  // RFC 8446 §5 says to drop them; a bound keeps a peer from looping us on them.
  if (++change_cipher_specs > limits::kMaxEmptyRecords) {
    return Error{ErrorCode::too_many_messages, "too many change_cipher_spec records"};
  }
  return {};
}

Result<void> Connection::Impl::on_alert(std::span<const uint8_t> content) {
  // RFC 8446 §5.1: alerts are never fragmented nor coalesced.
  if (content.size() != 2) return Error{ErrorCode::decode_error, "alert record is not 2 bytes"};
  auto alert = static_cast<Alert>(content[1]);
  if (alert == Alert::close_notify) {
    received_close = true;
    if (!hs->complete()) {
      return Error{ErrorCode::peer_alert, "peer closed during the handshake", alert};
    }
    return {};
  }
  // RFC 8446 §6: every alert but close_notify and user_canceled is an error, whatever its level.
  if (alert == Alert::user_canceled && content[0] == kAlertWarning) {
    if (++warning_alerts > limits::kMaxWarningAlerts) {
      return Error{ErrorCode::too_many_messages, "too many warning alerts"};
    }
    return {};
  }
  received_close = true;
  return Error{ErrorCode::peer_alert, "", alert};
}

Result<void> Connection::Impl::on_handshake_fragment(std::span<const uint8_t> fragment) {
  if (auto ok = reassembler.push(fragment); !ok) return ok;
  while (auto message = reassembler.next()) {
    Result<void> ok = hs->complete() ? on_post_handshake(*message) : hs->handle(*message, *this);
    if (!ok) return ok;
  }
  return {};
}

Result<void> Connection::Impl::on_post_handshake(const msgs::HandshakeMessage& message) {
  switch (message.type) {
    case HandshakeType::key_update: {
      auto ku = msgs::KeyUpdate::decode(message.body());
      if (!ku) return std::move(ku).error();
      // RFC 8446 §4.6.3: KeyUpdate changes the read key, so it must end its record.
      if (reassembler.has_buffered()) return unexpected("data after KeyUpdate in its record");
      if (++key_updates_in_a_row > limits::kMaxKeyUpdatesInARow) {
        return Error{ErrorCode::too_many_key_updates, "KeyUpdate flood"};
      }
      if (auto ok = reader->update_traffic_secret(); !ok) return ok;
      // RFC 8446 §4.6.3: answer update_requested with our own KeyUpdate (not requesting).
      if (ku->request_update == msgs::KeyUpdateRequest::update_requested && !sent_close) {
        return send_key_update(false);
      }
      return {};
    }
    case HandshakeType::new_session_ticket: {
      if (!is_client) return unexpected("NewSessionTicket sent by a client");
      // Checked for syntax; resumption is not implemented yet, so the ticket is not kept.
      auto ticket = msgs::NewSessionTicket::decode(message.body());
      if (!ticket) return std::move(ticket).error();
      return {};
    }
    default:
      return unexpected("handshake message type " + std::to_string(static_cast<int>(message.type)) +
                        " after the handshake");
  }
}

}  // namespace bastion
