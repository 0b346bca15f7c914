// Sans-I/O TLS connections: feed received bytes in, take bytes to send out, read and write
// plaintext. A connection never blocks and never touches a socket; it is used by one thread.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/error.hpp"
#include "bastion/types.hpp"

namespace bastion {

// How a session was resumed: by a ticket (TLS 1.3, or TLS 1.2 with RFC 5077) or by the TLS 1.2
// session ID the server cached.
enum class ResumedBy : uint8_t { none, ticket, session_id };

struct ConnectionInfo {
  std::optional<ProtocolVersion> version;
  std::optional<CipherSuite> cipher_suite;
  std::optional<NamedGroup> group;
  std::optional<SignatureScheme> peer_signature_scheme;
  std::string alpn;                    // negotiated protocol, empty when none
  std::string server_name;             // SNI sent (client) or received (server)
  std::vector<Der> peer_certificates;  // leaf first
  bool peer_verified = false;          // the verifier accepted the peer's chain
  // The chain the peer presented when the verifier rejected it (the handshake then failed),
  // leaf first, so that a program can show what was presented; never trust it.
  std::vector<Der> unverified_peer_certificates;
  bool hello_retry = false;  // a HelloRetryRequest was used
  bool resumed = false;      // a session was resumed; peer_* come from the first handshake
  ResumedBy resumed_by = ResumedBy::none;
  bool extended_master_secret = false;  // TLS 1.2: RFC 7627 was used (TLS 1.3 always has it)
};

// Where a connection stands, for event loops and adapters (Connection::status()).
enum class ConnectionState : uint8_t {
  handshaking,  // the handshake is under way
  open,         // the handshake is complete: data may flow both ways
  closing,      // we sent close_notify (close()); the peer may still send
  peer_closed,  // the peer sent close_notify; we may still send
  closed,       // both sides sent close_notify
  failed,       // a fatal error ended it: error() says which (its alert may still be pending)
};

struct ConnectionStatus {
  ConnectionState state = ConnectionState::handshaking;
  bool wants_input = false;  // bytes from the peer are awaited (wants_read())
  bool has_output = false;   // pending_output() holds bytes to send: flush them
  size_t readable = 0;       // application data ready to read
};

class BASTION_API Connection {
 public:
  virtual ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  // --- Copying calls ------------------------------------------------------------------------
  // Takes bytes received from the peer and processes every complete record in them.
  // On a fatal error the alert to send is queued in pending_output() and the error returned;
  // the connection is then dead and every later call returns the same error. Bytes after the
  // peer's close_notify are ignored.
  Result<void> receive(std::span<const uint8_t> data);
  // Tells the connection that the transport reached its end (recv() returned 0). After the
  // peer's close_notify that is a clean close (ok); before it, the data may have been cut
  // short by an attacker (RFC 8446 §6.1), so the connection fails with ErrorCode::truncated,
  // which is returned (no alert is queued: the transport is gone).
  Result<void> receive_eof();
  // Bytes waiting to be sent to the peer; call consume_output() with what was sent.
  std::span<const uint8_t> pending_output() const;
  void consume_output(size_t n);

  // Copies up to out.size() bytes of received application data; returns how many.
  size_t read(std::span<uint8_t> out);
  size_t readable() const;
  // Queues application data (fragmented into records). Fails before the handshake completes
  // and after close().
  Result<void> write(std::span<const uint8_t> data);
  Result<void> write(std::string_view text);

  // --- Zero-copy calls ----------------------------------------------------------------------
  // The same paths without the copies: a socket reads into the receive buffer, plaintext is
  // read where it was decrypted, and written where it is encrypted. They mix freely with the
  // copying calls, which are built on them. Spans point into the connection's buffers and
  // stay valid only as long as each call says.

  // Room for up to `max` received bytes at the end of the receive buffer. It may be shorter:
  // it stops where the record under way ends when another maximal record would not fit after
  // it, so that records never have to move. Empty when the connection cannot take input: it
  // failed, the peer's close_notify came, or unread plaintext fills the buffer (read it
  // first). Valid until commit_receive(), receive() or the next prepare_receive(); reading
  // plaintext (peek_read, consume_read, read) and writing in between are allowed.
  std::span<uint8_t> prepare_receive(size_t max);
  // Takes the first n bytes written into that span, as receive() does its argument. n larger
  // than the span is internal_error (nothing is taken; the connection stays usable).
  Result<void> commit_receive(size_t n);

  // The oldest unread application data, decrypted in place: the rest of one record, so one
  // call may show less than readable(). Empty when nothing is readable. Valid until
  // consume_read(), read(), a call that takes input (prepare_receive, receive) or
  // release_buffers(); writing in between is allowed.
  std::span<const uint8_t> peek_read() const;
  // Marks n bytes as read (at most readable(); they may span records).
  void consume_read(size_t n);

  // Room to write up to `max` bytes (at most one record, 2^14) of application data in the
  // send buffer, where commit_write() encrypts it in place. Empty before the handshake
  // completes, after close() or a failure (commit_write then says why). Valid until
  // commit_write(); a call of yours that queues a record first (write, prepare_write, close,
  // key_update) withdraws and wipes it. Receiving, reading plaintext and consume_output() in
  // between are allowed: what the peer causes meanwhile (the KeyUpdate it asks for, the alert
  // of an error) is never queued where the span points, but waits until the span is committed
  // or withdrawn, and then goes out first. Ask for what you mean to write: bytes prepared but
  // not committed are wiped.
  std::span<uint8_t> prepare_write(size_t max);
  // Seals the first n bytes of that span as one record (0: nothing). n larger than the span,
  // or a withdrawn span, is internal_error and queues nothing; the connection stays usable.
  Result<void> commit_write(size_t n);

  // Hands the receive and send buffers back to the config's pool when they hold nothing (no
  // unread plaintext, no partial record, no pending output). Connections do this themselves
  // when a burst of data ends; call it when you know the connection goes idle.
  void release_buffers();

  // Queues close_notify; no more writes afterwards.
  void close();
  // Sends a KeyUpdate (RFC 8446 §4.6.3), asking the peer to update too when request_peer.
  Result<void> key_update(bool request_peer);

  bool handshake_complete() const;
  bool peer_closed() const;  // close_notify received
  bool failed() const;       // a fatal error happened (sent or received)
  // The error that ended the connection (sent, received or a truncation), or nullopt.
  std::optional<Error> error() const;
  // All of the above in one query: the state, and what the caller should do next.
  ConnectionStatus status() const;
  // Whether the caller should feed more bytes (the handshake or a read waits on the peer).
  bool wants_read() const;
  ConnectionInfo info() const;
  // Keying material for another protocol bound to this connection (RFC 5705 in TLS 1.2,
  // RFC 8446 §7.5 in TLS 1.3), after the handshake: out.size() bytes for `label` and, when
  // given, `context` (in TLS 1.3 no context and an empty one are the same). Fails with closed
  // before the handshake completes, illegal_parameter for a reserved label or a length over
  // the limits.
  Result<void> export_keying_material(std::string_view label, std::span<uint8_t> out,
                                      std::optional<std::span<const uint8_t>> context = {}) const;

  struct Impl;

 protected:
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class BASTION_API ClientConnection : public Connection {
 public:
  // server_name: the DNS name sent as SNI and checked against the certificate, or an IP
  // address literal (checked against IP SANs, no SNI sent). The ClientHello is queued at once.
  static Result<ClientConnection> create(std::shared_ptr<const ClientConfig> config,
                                         std::string_view server_name);

 private:
  using Connection::Connection;
};

class BASTION_API ServerConnection : public Connection {
 public:
  static Result<ServerConnection> create(std::shared_ptr<const ServerConfig> config);

 private:
  using Connection::Connection;
};

}  // namespace bastion
