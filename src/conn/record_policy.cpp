// The version's record policy, apart from the receive-buffer bookkeeping of connection_impl.cpp:
// which records arrive protected, what change_cipher_spec, alerts and post-handshake messages
// mean in TLS 1.3 (RFC 8446 §5, §6, §4.6) and TLS 1.2 (RFC 5246 §7.1, §7.2, §7.4.1.1; RFC 5746
// §4 for renegotiation, which Bastion refuses).
#include "conn/connection_impl.hpp"
#include "msgs/key_update.hpp"

namespace bastion {

Result<void> Connection::Impl::process_record(record::RecordView rec) {
  // RFC 8446 §5.1, RFC 5246 §6.2.1: no record of another type may come between the fragments
  // of a handshake message (protected records are checked on their inner type, in
  // on_plaintext).
  if (rec.type != ContentType::handshake && rec.type != ContentType::application_data &&
      reassembler.has_partial()) {
    return unexpected("record interleaved with a fragmented handshake message");
  }
  // Never protected: renegotiation, which would send one under keys, is refused.
  if (rec.type == ContentType::change_cipher_spec) return on_change_cipher_spec(rec.fragment);
  if (!reader) {
    if (rec.type == ContentType::application_data) {
      return unexpected("application data before the handshake keys");
    }
    return on_plaintext(rec.type, rec.fragment);
  }
  if (reader->version() == record::RecordVersion::tls13) {
    if (rec.type == ContentType::alert && !hs->complete() && !opened_protected_record) {
      // A peer that failed before it had our keys may send its alert in the clear. Once a
      // protected record arrived, or the handshake completed, a plaintext alert could be an
      // attacker's forged close_notify truncating the stream (RFC 8446 §5, §6.1).
      return on_alert(rec.fragment);
    }
    if (rec.type != ContentType::application_data) {
      return unexpected("plaintext record after keys were installed");
    }
  }
  // TLS 1.2: after the peer's change_cipher_spec every other record is protected, whatever
  // its type (RFC 5246 §6.2.3).
  auto opened = reader->open(rec.bytes);
  if (!opened) return std::move(opened).error();
  opened_protected_record = true;
  return on_plaintext(opened->type, opened->content);
}

Result<void> Connection::Impl::on_change_cipher_spec(std::span<const uint8_t> fragment) {
  // RFC 8446 §5, RFC 5246 §7.1: the message is a single byte of value 1.
  if (fragment.size() != 1 || fragment[0] != 1) {
    return unexpected("malformed change_cipher_spec");
  }
  // RFC 8446 §5 says to drop them; a bound keeps a peer from looping us on them.
  if (++change_cipher_specs > limits::kMaxEmptyRecords) {
    return Error{ErrorCode::too_many_messages, "too many change_cipher_spec records"};
  }
  // RFC 5246 §7.1: the peer's keys change here, so no handshake data may wait before it.
  if (reassembler.has_buffered()) {
    return unexpected("change_cipher_spec inside a handshake message");
  }
  return hs->on_change_cipher_spec(*this);
}

Result<void> Connection::Impl::on_alert(std::span<const uint8_t> content) {
  // RFC 8446 §5.1: alerts are never fragmented nor coalesced (RFC 5246 §6.2.1 allows it, but
  // no implementation does: refused too).
  if (content.size() != 2) return Error{ErrorCode::decode_error, "alert record is not 2 bytes"};
  auto alert = static_cast<Alert>(content[1]);
  if (alert == Alert::close_notify) {
    received_close = true;
    if (!hs->complete()) {
      return Error{ErrorCode::peer_alert, "peer closed during the handshake", alert};
    }
    return {};
  }
  // RFC 8446 §6: every alert but close_notify and user_canceled is an error, whatever its
  // level. RFC 5246 §7.2: in TLS 1.2 a warning may be survived; Bastion survives only
  // user_canceled, no_renegotiation (the answer to a refused renegotiation, RFC 5746 §4.2) and,
  // as a client in the handshake, unrecognized_name (older servers send it, RFC 6066 §3).
  const bool before_version = !hs->info().version.has_value();
  const bool survivable = alert == Alert::user_canceled ||
                          (tls12() && alert == Alert::no_renegotiation && hs->complete()) ||
                          (is_client && alert == Alert::unrecognized_name && !hs->complete() &&
                           (tls12() || before_version));
  if (survivable && content[0] == kAlertWarning) {
    if (++warning_alerts > limits::kMaxWarningAlerts) {
      return Error{ErrorCode::too_many_messages, "too many warning alerts"};
    }
    return {};
  }
  received_close = true;
  return Error{ErrorCode::peer_alert, "", alert};
}

Result<void> Connection::Impl::on_post_handshake(const msgs::HandshakeMessage& message) {
  if (tls12()) return on_post_handshake12(message);
  switch (message.type) {
    case HandshakeType::key_update: {
      auto ku = msgs::KeyUpdate::decode(message.body());
      if (!ku) return std::move(ku).error();
      // RFC 8446 §4.6.3: KeyUpdate changes the read key, so it must end its record.
      if (reassembler.has_buffered()) return unexpected("data after KeyUpdate in its record");
      if (++key_updates_in_a_row > limits::kMaxKeyUpdatesInARow) {
        return Error{ErrorCode::too_many_key_updates, "KeyUpdate flood"};
      }
      if (!read_secret) return Error{ErrorCode::internal_error, "no traffic secret to update"};
      read_secret->advance();
      if (auto ok = reader->rekey(read_secret->protection()); !ok) return ok;
      // RFC 8446 §4.6.3: answer update_requested with our own KeyUpdate (not requesting),
      // one for any number of requests, before our next application data.
      if (ku->request_update == msgs::KeyUpdateRequest::update_requested && !sent_close) {
        if (prepared > 0) {
          key_update_owed = true;
          return {};
        }
        return send_key_update(false);
      }
      return {};
    }
    case HandshakeType::new_session_ticket:
      return hs->on_new_session_ticket(message);
    default:
      return unexpected("handshake message type " + std::to_string(static_cast<int>(message.type)) +
                        " after the handshake");
  }
}

Result<void> Connection::Impl::on_post_handshake12(const msgs::HandshakeMessage& message) {
  // RFC 5246 §7.4.1.1: a HelloRequest (to a client) or a ClientHello (to a server) after the
  // handshake starts a renegotiation. Bastion refuses it with a no_renegotiation warning
  // (RFC 5746 §4.2 and §4.4) and keeps the connection; a peer that insists is cut off.
  const bool renegotiation =
      (is_client && message.type == HandshakeType::hello_request && message.body().empty()) ||
      (!is_client && message.type == HandshakeType::client_hello);
  if (!renegotiation) {
    return unexpected("handshake message type " + std::to_string(static_cast<int>(message.type)) +
                      " after the TLS 1.2 handshake");
  }
  if (++renegotiation_attempts > limits::kMaxWarningAlerts) {
    return Error{ErrorCode::too_many_messages, "too many renegotiation attempts"};
  }
  // Under a prepared span the warning would land in the caller's record: it is dropped then
  // (the peer is told by the next attempt, or by its own timeout).
  if (prepared == 0 && !sent_close) send_alert(Alert::no_renegotiation, false);
  return {};
}

}  // namespace bastion
