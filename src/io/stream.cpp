#include "bastion/stream.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "io/socket.hpp"

namespace bastion {
namespace {

// What one recv() asks for: a maximal record (a 5-byte header and 2^14 + 256 bytes). The
// connection may offer less, so that records end where its receive buffer ends.
constexpr size_t kReadSize = 5 + (1 << 14) + 256;
// Output is sent once this much is queued (two full records, which the connection's send
// buffer holds without growing), and at the end of each write().
constexpr size_t kSendSize = 32 * 1024;
// How long close() waits for the peer to answer our close_notify.
constexpr std::chrono::milliseconds kCloseWait{1000};
// How long a failed handshake waits for the peer to read our alert and close.
constexpr std::chrono::milliseconds kFailureDrain{300};

Error reset_error(const Connection& conn) {
  std::string detail = "the peer reset the connection ";
  detail += conn.handshake_complete() ? "without close_notify" : "during the handshake";
  return Error{ErrorCode::truncated, std::move(detail)};
}

}  // namespace

Stream::Stream(int fd, std::unique_ptr<Connection> conn) : fd_(fd), conn_(std::move(conn)) {}

Stream::Stream(Stream&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      conn_(std::move(other.conn_)),
      timeout_(other.timeout_),
      deadline_(other.deadline_),
      closing_(other.closing_) {}

Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    close_fd();
    fd_ = std::exchange(other.fd_, -1);
    conn_ = std::move(other.conn_);
    timeout_ = other.timeout_;
    deadline_ = other.deadline_;
    closing_ = other.closing_;
  }
  return *this;
}

Stream::~Stream() {
  close_fd();
}

void Stream::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<Stream> Stream::connect(std::shared_ptr<const ClientConfig> config, std::string_view host,
                               uint16_t port, std::string_view server_name,
                               StreamTimeouts timeouts) {
  auto fd = io::connect_tcp(host, port, timeouts.connect);
  if (!fd) return std::move(fd).error();
  return client(*fd, std::move(config), server_name.empty() ? host : server_name, timeouts);
}

Result<Stream> Stream::client(int fd, std::shared_ptr<const ClientConfig> config,
                              std::string_view server_name, StreamTimeouts timeouts) {
  auto conn = ClientConnection::create(std::move(config), server_name);
  if (!conn) {
    ::close(fd);
    return std::move(conn).error();
  }
  Stream stream(fd, std::make_unique<ClientConnection>(std::move(conn).value()));
  auto done = stream.handshake(timeouts.handshake);
  if (!done) return std::move(done).error();
  return stream;
}

Result<Stream> Stream::server(int fd, std::shared_ptr<const ServerConfig> config,
                              StreamTimeouts timeouts) {
  auto conn = ServerConnection::create(std::move(config));
  if (!conn) {
    ::close(fd);
    return std::move(conn).error();
  }
  Stream stream(fd, std::make_unique<ServerConnection>(std::move(conn).value()));
  auto done = stream.handshake(timeouts.handshake);
  if (!done) return std::move(done).error();
  return stream;
}

// Within `limit` (zero: none), on top of any deadline already set; the deadline set before is
// restored afterwards.
Result<void> Stream::handshake(std::chrono::milliseconds limit) {
  auto saved = deadline_;
  const auto end = io::deadline_after(limit);
  if (end && (!deadline_ || *end < *deadline_)) deadline_ = end;
  auto done = [&]() -> Result<void> {
    for (;;) {
      auto flushed = flush();
      if (!flushed) return flushed;
      if (conn_->handshake_complete()) return {};
      if (conn_->peer_closed()) {
        return Error{ErrorCode::closed, "the peer closed the connection during the handshake"};
      }
      auto received = receive_once();
      if (!received) {
        if (fd_ >= 0) io::shutdown_and_drain(fd_, kFailureDrain);
        return received;
      }
    }
  }();
  deadline_ = saved;
  if (!done && done.error().code == ErrorCode::timed_out && end &&
      std::chrono::steady_clock::now() >= *end) {
    Error error = std::move(done).error();
    error.detail = "handshake not complete within " + std::to_string(limit.count()) + " ms (" +
                   error.detail + ")";
    return error;
  }
  return done;
}

Result<void> Stream::flush() {
  while (!conn_->pending_output().empty()) {
    auto out = conn_->pending_output();
    auto sent = io::send_all(fd_, out, io::WaitLimit{timeout_, deadline_});
    if (!sent) return sent;
    conn_->consume_output(out.size());
  }
  return {};
}

Result<void> Stream::receive_once() {
  if (fd_ < 0) return Error{ErrorCode::closed, "the stream is closed"};
  auto flushed = flush();
  if (!flushed) return flushed;
  std::optional<size_t> n;
  while (!n) {
    // The socket is read straight into the connection's receive buffer.
    std::span<uint8_t> space = conn_->prepare_receive(kReadSize);
    if (space.empty()) {
      // Failed, closed by the peer, or unread plaintext fills the buffer: nothing to read now.
      return conn_->failed() ? conn_->receive({}) : Result<void>();
    }
    auto got = io::recv_available(fd_, space);
    if (!got) {
      if (got.error().code == ErrorCode::truncated && !conn_->peer_closed()) {
        // The transport ended: the connection records the truncation too (failed(), error()).
        Error reset = reset_error(*conn_);
        (void)conn_->receive_eof();
        return reset;
      }
      return std::move(got).error();
    }
    n = *got;
    if (n) break;
    // Nothing there yet: wait without holding buffers, so that an idle stream keeps none.
    (void)conn_->commit_receive(0);
    conn_->release_buffers();
    if (auto ready = io::wait_readable(fd_, io::WaitLimit{timeout_, deadline_}); !ready) {
      return ready;
    }
  }
  if (*n == 0) {
    (void)conn_->commit_receive(0);
    return conn_->receive_eof();
  }
  auto received = conn_->commit_receive(*n);
  // On a fatal error the alert waits in pending_output; send it before reporting.
  auto sent = flush();
  if (!received) return received;
  return sent;
}

Result<size_t> Stream::read(std::span<uint8_t> out) {
  for (;;) {
    if (conn_->readable() > 0 || out.empty()) return conn_->read(out);
    if (conn_->peer_closed()) return size_t{0};
    if (conn_->failed()) {
      auto dead = conn_->receive({});
      if (!dead) return std::move(dead).error();
    }
    auto received = receive_once();
    if (!received) return std::move(received).error();
  }
}

Result<void> Stream::write(std::span<const uint8_t> data) {
  if (fd_ < 0) return Error{ErrorCode::closed, "the stream is closed"};
  while (!data.empty()) {
    // Each record is copied once, into the send buffer where it is encrypted.
    std::span<uint8_t> space = conn_->prepare_write(data.size());
    if (space.empty()) break;
    std::memcpy(space.data(), data.data(), space.size());
    if (auto queued = conn_->commit_write(space.size()); !queued) return queued;
    data = data.subspan(space.size());
    if (conn_->pending_output().size() >= kSendSize) {
      if (auto sent = flush(); !sent) return sent;
    }
  }
  // The reason when the connection refused the data (closed, failed, handshake not done).
  if (auto queued = conn_->write(data); !queued) return queued;
  return flush();
}

Result<void> Stream::write(std::string_view text) {
  return write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Result<void> Stream::shutdown_write() {
  if (fd_ < 0) return Error{ErrorCode::closed, "the stream is closed"};
  if (closing_) return {};
  closing_ = true;
  conn_->close();
  auto sent = flush();
  ::shutdown(fd_, SHUT_WR);
  return sent;
}

Result<void> Stream::close() {
  // When our close_notify cannot be sent, the peer may have refused us and closed (a TLS 1.3
  // server judging our certificate after our Finished): its alert is still readable.
  auto sent = shutdown_write();
  if (fd_ < 0) return sent;
  // Wait for the peer's close (or EOF): closing a socket with unread input sends a reset, which
  // can destroy data the peer has not read yet.
  auto deadline = std::chrono::steady_clock::now() + kCloseWait;
  while (!conn_->peer_closed() && !conn_->failed()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    std::span<uint8_t> space = conn_->prepare_receive(kReadSize);
    if (space.empty()) break;
    auto n = io::recv_some(fd_, space);
    if (!n || *n == 0) {
      (void)conn_->commit_receive(0);
      break;
    }
    if (!conn_->commit_receive(*n)) break;
  }
  if (!sent && conn_->failed()) return conn_->receive({});
  return sent;
}

std::string Stream::peer_address() const {
  return io::peer_address(fd_);
}

void Stream::set_timeout(std::chrono::milliseconds timeout) {
  timeout_ = timeout;
}

void Stream::set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  deadline_ = deadline;
}

}  // namespace bastion
