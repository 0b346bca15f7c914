// A blocking TLS stream over a connected socket: drives a sans-I/O Connection with send() and
// recv(). This is the simplest way to use Bastion; event loops drive a Connection themselves.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/connection.hpp"
#include "bastion/error.hpp"

namespace bastion {

class Server;

// How long a Stream may take to connect and to complete its handshake (ErrorCode::timed_out
// after that). Zero: no limit.
struct StreamTimeouts {
  // The TCP connection, all of the host's addresses together.
  std::chrono::milliseconds connect{30000};
  // The whole TLS handshake, however slowly the peer trickles its bytes.
  std::chrono::milliseconds handshake{30000};
};

class BASTION_API Stream {
 public:
  // Resolves host (a DNS name or an IPv4/IPv6 literal), connects over TCP and completes the
  // handshake. server_name defaults to host; it is sent as SNI and checked against the
  // server's certificate.
  static Result<Stream> connect(std::shared_ptr<const ClientConfig> config, std::string_view host,
                                uint16_t port, std::string_view server_name = {},
                                StreamTimeouts timeouts = {});
  // Takes ownership of a connected socket (closed on failure too) and completes the handshake
  // (within timeouts.handshake).
  static Result<Stream> client(int fd, std::shared_ptr<const ClientConfig> config,
                               std::string_view server_name, StreamTimeouts timeouts = {});
  static Result<Stream> server(int fd, std::shared_ptr<const ServerConfig> config,
                               StreamTimeouts timeouts = {});

  Stream(Stream&& other) noexcept;
  Stream& operator=(Stream&& other) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  // Closes the socket. Call close() first for an orderly TLS close.
  ~Stream();

  // Blocks until application data arrives and copies up to out.size() bytes of it.
  // Returns 0 when the peer sent close_notify; a transport closed without close_notify is
  // ErrorCode::truncated.
  Result<size_t> read(std::span<uint8_t> out);
  // Sends all of data.
  Result<void> write(std::span<const uint8_t> data);
  Result<void> write(std::string_view text);
  // Sends close_notify, shuts the socket down for writing, then waits briefly for the peer's
  // close so that the socket does not end with a reset. The Stream can still be read after.
  Result<void> close();
  // Sends close_notify and shuts the socket down for writing, without waiting: the peer may
  // go on sending, and read() returns 0 once it closes too (TLS 1.3 half-close).
  Result<void> shutdown_write();

  // For poll()-driven callers: one recv() (blocking when the socket has nothing), processed,
  // with any reply flushed. Afterwards connection().readable() and peer_closed() tell the news.
  // The socket is read straight into the connection's receive buffer; when unread plaintext
  // fills it, this returns at once without reading: read the plaintext first.
  Result<void> receive_once();
  // Limits how long each wait on the peer may last (for data to arrive, or for room to send);
  // zero means no limit. A call that waits longer fails with ErrorCode::timed_out.
  void set_timeout(std::chrono::milliseconds timeout);
  // From now on every wait ends by `deadline` (timed_out after it), however the peer trickles
  // its bytes; nullopt removes it. Servers bound a whole handshake or request this way.
  void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline);

  Connection& connection() { return *conn_; }
  const Connection& connection() const { return *conn_; }
  ConnectionInfo info() const { return conn_->info(); }
  int fd() const { return fd_; }
  // The peer's "ADDR:PORT" ("[ADDR]:PORT" for IPv6), or "?" when unknown.
  std::string peer_address() const;

 private:
  friend class Server;
  Stream(int fd, std::unique_ptr<Connection> conn);

  Result<void> handshake(std::chrono::milliseconds limit);
  Result<void> flush();
  void close_fd();

  int fd_ = -1;
  std::unique_ptr<Connection> conn_;
  std::chrono::milliseconds timeout_{0};  // set_timeout(), for each wait in poll()
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // set_deadline()
  bool closing_ = false;                                           // close() was called
};

}  // namespace bastion
