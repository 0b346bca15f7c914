#include "conn/connection_impl.hpp"

#include <algorithm>
#include <cstring>

#include "core/secret.hpp"
#include "msgs/key_update.hpp"
#include "record/fragmenter.hpp"

namespace bastion {
namespace {

constexpr size_t kHeader = limits::kRecordHeader;
// A framed KeyUpdate: the handshake header and its one byte.
constexpr size_t kKeyUpdateMessage = 4 + 1;

Error misuse(std::string_view call, size_t n, size_t offered) {
  return Error{ErrorCode::internal_error, std::string(call) + " of " + std::to_string(n) +
                                              " bytes, but the span offered holds " +
                                              std::to_string(offered)};
}

}  // namespace

Result<void> Connection::Impl::receive_eof() {
  if (error) return *error;
  if (received_close) return {};
  // Not through fail(): the session stays resumable, as a close without close_notify no
  // longer forbids that (RFC 5246 §7.2.1), and there is no one to send an alert to.
  error = Error{ErrorCode::truncated, hs->complete()
                                          ? "the peer closed the connection without close_notify"
                                          : "the peer closed the connection during the handshake"};
  return *error;
}

Error Connection::Impl::fail(Error e) {
  if (!error) {
    error = e;
    hs->on_fatal_error();
    bool peer_caused_end = e.code == ErrorCode::peer_alert || e.code == ErrorCode::truncated ||
                           e.code == ErrorCode::closed;
    if (!peer_caused_end && !sent_close) {
      // Not under a prepared span, which the caller may still write into.
      if (prepared > 0) {
        alert_owed = true;
      } else {
        send_alert(e.alert(), true);
      }
    }
  }
  return e;
}

// --- sending ----------------------------------------------------------------------------------

void Connection::Impl::wipe_prepared_write() {
  if (prepared == 0) return;
  // The caller may have written plaintext there; it must not outlive the span.
  secure_wipe(out.data() + out_end + writer->content_offset(), prepared);
  prepared = 0;
}

void Connection::Impl::withdraw_prepared_write() {
  if (prepared == 0) return;
  wipe_prepared_write();
  send_owed();
}

// What the peer asked for while a write was prepared, now that the span is gone.
void Connection::Impl::send_owed() {
  if (std::exchange(alert_owed, false) && error) send_alert(error->alert(), true);
  if (std::exchange(key_update_owed, false) && !error && !sent_close) {
    if (auto ok = send_key_update(false); !ok) fail(std::move(ok).error());
  }
}

std::span<uint8_t> Connection::Impl::output_space(size_t size) {
  // Anything queued now lands where a prepared record would have been sealed.
  withdraw_prepared_write();
  if (out_end + size > out.capacity()) {
    // What the caller already sent moves out of the way only when the buffer would have to
    // grow otherwise, so that partial consumes move no bytes.
    if (out_pos > 0) {
      std::memmove(out.data(), out.data() + out_pos, out_end - out_pos);
      out_end -= out_pos;
      out_pos = 0;
    }
    out.reserve(out_end + size, out_end);
  }
  return {out.data() + out_end, size};
}

void Connection::Impl::append_plaintext(ContentType type, std::span<const uint8_t> content,
                                        uint16_t version) {
  while (!content.empty()) {
    const size_t n = std::min(content.size(), limits::kMaxPlaintext);
    std::span<uint8_t> space = output_space(kHeader + n);
    record::write_plaintext_record(type, content.first(n), space, version);
    out_end += space.size();
    content = content.subspan(n);
  }
}

Result<void> Connection::Impl::seal(ContentType type, std::span<const uint8_t> content) {
  if (!writer) {
    // RFC 8446 §5.1: the initial ClientHello may use 0x0301 as legacy_record_version.
    uint16_t version = (is_client && !sent_first_record) ? 0x0301 : 0x0303;
    append_plaintext(type, content, version);
    sent_first_record = true;
    return {};
  }
  const size_t max = writer->max_content(0);
  do {
    const size_t n = std::min(max, content.size());
    std::span<uint8_t> record = output_space(writer->sealed_size(n, 0));
    std::memcpy(record.data() + writer->content_offset(), content.data(), n);
    if (auto ok = writer->seal_in_place(type, record, n, 0); !ok) {
      secure_wipe(record.data(), record.size());
      return ok;
    }
    out_end += record.size();
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
  append_plaintext(ContentType::change_cipher_spec, ccs, 0x0303);
}

void Connection::Impl::send_alert(Alert alert, bool fatal) {
  const uint8_t body[] = {fatal ? kAlertFatal : kAlertWarning, static_cast<uint8_t>(alert)};
  // Nothing more can be done when even the alert cannot be sealed.
  (void)seal(ContentType::alert, body);
}

Result<void> Connection::Impl::set_write_keys(handshake::DirectionKeys keys) {
  auto p = record::RecordProtector::create(provider, record::Direction::seal,
                                           std::move(keys.protection));
  if (!p) return std::move(p).error();
  writer.emplace(std::move(p).value());
  write_secret = std::move(keys.secret);
  return {};
}

Result<void> Connection::Impl::set_read_keys(handshake::DirectionKeys keys) {
  // RFC 8446 §5.1: handshake messages MUST NOT span key changes.
  if (reassembler.has_buffered()) {
    return unexpected("handshake data before a key change is not on a record boundary");
  }
  auto p = record::RecordProtector::create(provider, record::Direction::open,
                                           std::move(keys.protection));
  if (!p) return std::move(p).error();
  reader.emplace(std::move(p).value());
  read_secret = std::move(keys.secret);
  // RFC 5246 §6.2.3: TLS 1.2 protects records of every type, each up to 2^14 + 2048 bytes.
  if (reader->version() == record::RecordVersion::tls12) {
    deframer = record::Deframer(
        record::DeframerLimits{limits::kMaxCiphertext12, limits::kMaxCiphertext12});
  }
  return {};
}

// RFC 8446 §4.6.3: after sending a KeyUpdate, the sender switches to its next traffic secret.
Result<void> Connection::Impl::update_write_keys() {
  if (!write_secret) return Error{ErrorCode::internal_error, "no traffic secret to update"};
  write_secret->advance();
  return writer->rekey(write_secret->protection());
}

std::optional<Error> Connection::Impl::write_refusal() const {
  if (error) return *error;
  if (sent_close) return Error{ErrorCode::closed, "write after close"};
  if (!hs->complete()) return Error{ErrorCode::closed, "write before the handshake completed"};
  return std::nullopt;
}

std::span<uint8_t> Connection::Impl::prepare_write(size_t max) {
  withdraw_prepared_write();
  if (write_refusal()) return {};
  // RFC 8446 §5.5: update keys before the AEAD's usage limit. TLS 1.2 has no KeyUpdate and
  // Bastion refuses renegotiation, so the connection closes cleanly instead.
  if (writer->needs_key_update()) {
    if (writer->version() == record::RecordVersion::tls12) {
      close();
      return {};
    }
    if (auto ok = send_key_update(false); !ok) {
      fail(std::move(ok).error());
      return {};
    }
  }
  const size_t n = std::min(max, writer->max_content(0));
  if (n == 0) return {};
  // Room for a KeyUpdate the peer may ask for meanwhile, sealed before this record at commit:
  // the buffer never has to grow (and copy the plaintext elsewhere) then.
  std::span<uint8_t> room =
      output_space(writer->sealed_size(n, 0) + writer->sealed_size(kKeyUpdateMessage, 0));
  prepared = n;
  return room.subspan(writer->content_offset(), n);
}

Result<void> Connection::Impl::commit_write(size_t n) {
  if (auto refusal = write_refusal()) {
    withdraw_prepared_write();
    return *refusal;
  }
  if (n > prepared) {
    const size_t offered = prepared;
    withdraw_prepared_write();
    return misuse("commit_write", n, offered);
  }
  if (n == 0) {
    withdraw_prepared_write();
    return {};
  }
  // Bytes prepared but not committed are not sent; they may hold plaintext.
  secure_wipe(out.data() + out_end + writer->content_offset() + n, prepared - n);
  prepared = 0;
  if (std::exchange(key_update_owed, false)) {
    const size_t end =
        out_end + writer->sealed_size(kKeyUpdateMessage, 0) + writer->content_offset() + n;
    if (auto ok = seal_key_update_before_prepared(n); !ok) {
      secure_wipe(out.data() + out_end, end - out_end);
      return fail(std::move(ok).error());
    }
  }
  std::span<uint8_t> record(out.data() + out_end, writer->sealed_size(n, 0));
  if (auto ok = writer->seal_in_place(ContentType::application_data, record, n, 0); !ok) {
    secure_wipe(record.data(), record.size());
    return fail(std::move(ok).error());
  }
  out_end += record.size();
  return {};
}

Result<void> Connection::Impl::write(std::span<const uint8_t> data) {
  if (auto refusal = write_refusal()) return *refusal;
  while (!data.empty()) {
    std::span<uint8_t> space = prepare_write(data.size());
    if (space.empty()) {
      auto refusal = write_refusal();
      return refusal ? *refusal : Error{ErrorCode::internal_error, "no room for a record"};
    }
    std::memcpy(space.data(), data.data(), space.size());
    if (auto ok = commit_write(space.size()); !ok) return ok;
    data = data.subspan(space.size());
  }
  return {};
}

void Connection::Impl::consume_output(size_t n) {
  out_pos += std::min(n, out_end - out_pos);
  if (out_pos < out_end || prepared > 0) return;
  out_pos = 0;
  out_end = 0;
  // The send buffer holds no plaintext once its records are sealed, so handing it back costs
  // no wipe: a pool round trip per flush, and a connection idle between flushes holds none.
  out.release();
}

void Connection::Impl::release_buffers() {
  if (out_pos == out_end && prepared == 0) {
    out_pos = 0;
    out_end = 0;
    out.release();
  }
  if (in_pos == in_end && readable == 0 && in_offered == 0) {
    settle_input();
    in.release();
  }
}

void Connection::Impl::close() {
  // Whatever the peer's input left owed (the alert of an error) goes out now.
  withdraw_prepared_write();
  if (sent_close || error) return;
  sent_close = true;
  send_alert(Alert::close_notify, false);
}

// The KeyUpdate the peer asked for goes before the committed record (RFC 8446 §4.6.3), which
// moves up to make room for it: the caller's span is spent, so its plaintext may move.
Result<void> Connection::Impl::seal_key_update_before_prepared(size_t n) {
  auto message =
      msgs::encode_message(msgs::KeyUpdate{msgs::KeyUpdateRequest::update_not_requested});
  if (!message) return std::move(message).error();
  const size_t update = writer->sealed_size(message->size(), 0);
  // prepare_write() left room for it.
  if (message->size() != kKeyUpdateMessage ||
      out_end + update + writer->sealed_size(n, 0) > out.capacity()) {
    return Error{ErrorCode::internal_error, "no room for the KeyUpdate before the record"};
  }
  const size_t at = writer->content_offset();
  std::memmove(out.data() + out_end + update + at, out.data() + out_end + at, n);
  std::span<uint8_t> record(out.data() + out_end, update);
  std::memcpy(record.data() + at, message->data(), message->size());
  if (auto ok = writer->seal_in_place(ContentType::handshake, record, message->size(), 0); !ok) {
    return ok;
  }
  out_end += update;
  return update_write_keys();
}

Result<void> Connection::Impl::send_key_update(bool request_peer) {
  msgs::KeyUpdate ku{request_peer ? msgs::KeyUpdateRequest::update_requested
                                  : msgs::KeyUpdateRequest::update_not_requested};
  auto message = msgs::encode_message(ku);
  if (!message) return std::move(message).error();
  if (auto ok = seal(ContentType::handshake, *message); !ok) return ok;
  return update_write_keys();
}

Result<void> Connection::Impl::key_update(bool request_peer) {
  if (error) return *error;
  if (!hs->complete() || sent_close) {
    return Error{ErrorCode::closed, "KeyUpdate needs an established, open connection"};
  }
  // TLS 1.2 has no KeyUpdate: refused before anything is sent, and the connection goes on.
  if (!write_secret) {
    return Error{ErrorCode::protocol_version, "KeyUpdate is a TLS 1.3 message"};
  }
  if (auto ok = send_key_update(request_peer); !ok) return fail(std::move(ok).error());
  return {};
}

// --- receiving --------------------------------------------------------------------------------

void Connection::Impl::settle_input() {
  // Everything handled and read: the next record starts at the front, with nothing to move.
  if (in_pos != in_end || readable != 0 || in_offered != 0) return;
  in_pos = 0;
  in_end = 0;
  in_need = kHeader;
  plaintext.clear();
  plaintext_head = 0;
}

void Connection::Impl::compact_input() {
  // Handled records that hold no unread plaintext are dead: drop them, moving the live bytes
  // to the front.
  const size_t live = plaintext_head < plaintext.size() ? plaintext[plaintext_head].offset : in_pos;
  if (live == 0) return;
  std::memmove(in.data(), in.data() + live, in_end - live);
  in_pos -= live;
  in_end -= live;
  plaintext.erase(plaintext.begin(),
                  plaintext.begin() + static_cast<std::ptrdiff_t>(plaintext_head));
  plaintext_head = 0;
  for (auto& p : plaintext) p.offset -= live;
}

std::span<uint8_t> Connection::Impl::input_space(size_t max, bool may_grow) {
  in_offered = 0;
  in_cut = false;
  if (error || received_close || max == 0) return {};
  settle_input();
  if (in.capacity() - in_end < in_need) {
    compact_input();
    // Without unread plaintext a block always holds the rest of a record; with it, the
    // zero-copy caller is asked to read first rather than the buffer growing.
    if (in.capacity() - in_end < in_need && (may_grow || readable == 0)) {
      in.reserve(std::max(in_end + in_need, BufferPool::kBlockSize), in_end);
    }
  }
  size_t n = std::min(max, in.capacity() - in_end);
  // When the record under way ends too close to the end of the buffer for another maximal
  // record to follow, the input stops where it ends. The buffer then drains on a record
  // boundary and the next record starts at the front: no partial record is ever moved.
  const bool header_known = in_end - in_pos >= kHeader;
  if (header_known && in_need < n &&
      in_end + in_need + BufferPool::kMaxRecordOnWire > in.capacity()) {
    n = in_need;
    in_cut = true;
  }
  in_offered = n;
  return {in.data() + in_end, n};
}

std::span<uint8_t> Connection::Impl::prepare_receive(size_t max) {
  return input_space(max, false);
}

Result<void> Connection::Impl::commit_receive(size_t n) {
  if (error) return *error;
  const size_t offered = std::exchange(in_offered, 0);
  if (n > offered) return misuse("commit_receive", n, offered);
  in_streaming = in_cut && n == offered;
  in_end += n;
  in.note_sensitive(in_end);
  return process_input();
}

Result<void> Connection::Impl::receive(std::span<const uint8_t> data) {
  if (error) return *error;
  while (!data.empty()) {
    std::span<uint8_t> space = input_space(data.size(), true);
    // After close_notify the rest of the input is ignored (RFC 8446 §6.1).
    if (space.empty()) break;
    std::memcpy(space.data(), data.data(), space.size());
    if (auto ok = commit_receive(space.size()); !ok) return ok;
    data = data.subspan(space.size());
  }
  return {};
}

Result<void> Connection::Impl::process_input() {
  Result<void> result;
  while (!received_close) {
    auto next = deframer.next(std::span(in.data() + in_pos, in_end - in_pos));
    if (!next) {
      result = fail(std::move(next).error());
      break;
    }
    if (!next->record) {
      in_need = next->bytes_needed;
      break;
    }
    const size_t size = next->record->size();
    if (auto ok = process_record(*next->record); !ok) {
      result = fail(std::move(ok).error());
      break;
    }
    in_pos += size;
  }
  // After close_notify the rest of the input is ignored (RFC 8446 §6.1).
  if (received_close || error) in_end = in_pos;
  settle_input();
  // An idle connection keeps no receive buffer. While the peer streams, the input is cut on
  // record boundaries (input_space) and the buffer drains at each cut: it is kept then.
  if (in_end == 0 && !in_streaming) in.release();
  return result;
}

std::span<const uint8_t> Connection::Impl::peek_read() const {
  if (plaintext_head == plaintext.size()) return {};
  const Plaintext& p = plaintext[plaintext_head];
  return {in.data() + p.offset, p.size};
}

void Connection::Impl::consume_read(size_t n) {
  n = std::min(n, readable);
  readable -= n;
  while (n > 0) {
    Plaintext& p = plaintext[plaintext_head];
    const size_t k = std::min(p.size, n);
    p.offset += k;
    p.size -= k;
    n -= k;
    if (p.size == 0) ++plaintext_head;
  }
  // Fully read entries are dropped at once, so a peer that never lets the input buffer drain
  // cannot make the list grow.
  if (plaintext_head == plaintext.size()) {
    plaintext.clear();
    plaintext_head = 0;
  }
  settle_input();
  if (in_end == 0 && in_offered == 0 && !in_streaming) in.release();
}

size_t Connection::Impl::read(std::span<uint8_t> dest) {
  size_t copied = 0;
  while (copied < dest.size()) {
    std::span<const uint8_t> next = peek_read();
    if (next.empty()) break;
    const size_t n = std::min(next.size(), dest.size() - copied);
    std::memcpy(dest.data() + copied, next.data(), n);
    consume_read(n);
    copied += n;
  }
  return copied;
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
      // Opened in place: the plaintext stays in `in` until it is read.
      plaintext.push_back(
          Plaintext{static_cast<size_t>(content.data() - in.data()), content.size()});
      readable += content.size();
      return {};
    default:
      return Error{ErrorCode::bad_content_type, "unexpected record content type"};
  }
}

Result<void> Connection::Impl::on_handshake_fragment(std::span<const uint8_t> fragment) {
  if (auto ok = reassembler.push(fragment); !ok) return ok;
  while (auto message = reassembler.next()) {
    Result<void> ok = hs->complete() ? on_post_handshake(*message) : hs->handle(*message, *this);
    if (!ok) return ok;
  }
  return {};
}

}  // namespace bastion
