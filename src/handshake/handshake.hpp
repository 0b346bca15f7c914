// The interface between a handshake state machine and the connection that carries it.
// A handshake consumes whole handshake messages and asks its RecordSink to send messages and
// to change keys; it never sees records or sockets.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bastion/connection.hpp"
#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/exporter.hpp"
#include "handshake/traffic_secret.hpp"
#include "handshake/transcript.hpp"
#include "msgs/handshake.hpp"

namespace bastion::handshake {

// What the handshake asks the record layer to do, in order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // A whole framed handshake message, protected with the current write key (if any).
  virtual Result<void> send_handshake(std::span<const uint8_t> message) = 0;
  // The middlebox-compatibility change_cipher_spec record (RFC 8446 §D.4).
  virtual void send_change_cipher_spec() = 0;
  // Records from now on are protected with these keys.
  virtual Result<void> set_write_keys(DirectionKeys keys) = 0;
  virtual Result<void> set_read_keys(DirectionKeys keys) = 0;
};

// Sends a message and adds it to the transcript: the one place where our messages enter it.
// Takes the encoder's result, so that an encoding failure stops the handshake there.
inline Result<void> emit(Transcript& transcript, Result<std::vector<uint8_t>> message,
                         RecordSink& sink) {
  if (!message) return std::move(message).error();
  transcript.add(*message);
  return sink.send_handshake(*message);
}

inline Error illegal(std::string detail) {
  return Error{ErrorCode::illegal_parameter, std::move(detail)};
}

class Handshake {
 public:
  virtual ~Handshake() = default;
  // Sends the first flight (the client's ClientHello); the server sends nothing.
  virtual Result<void> start(RecordSink& sink) = 0;
  // One whole handshake message received before the handshake completed.
  virtual Result<void> handle(const msgs::HandshakeMessage& message, RecordSink& sink) = 0;
  virtual bool complete() const = 0;
  // A change_cipher_spec record (checked to be the single byte 1). TLS 1.3 (RFC 8446 §5):
  // dropped between the first ClientHello and the peer's Finished, else unexpected_message.
  // TLS 1.2 (RFC 5246 §7.1): where the state table expects it, the peer's next records are
  // protected with the new read keys.
  virtual Result<void> on_change_cipher_spec(RecordSink& sink) = 0;
  // A NewSessionTicket after the handshake (RFC 8446 §4.6.1): a client keeps it, a server
  // answers unexpected_message.
  virtual Result<void> on_new_session_ticket(const msgs::HandshakeMessage& message) = 0;
  virtual const ConnectionInfo& info() const { return info_; }
  // The connection ended in a fatal error (either side's alert).
  virtual void on_fatal_error() {}
  // The keying material exporter, once the secrets are known; null before.
  virtual const Exporter* exporter() const { return exporter_ ? &*exporter_ : nullptr; }

 protected:
  ConnectionInfo info_;
  std::optional<Exporter> exporter_;
};

}  // namespace bastion::handshake
