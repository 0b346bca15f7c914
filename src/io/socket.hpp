// Small POSIX socket helpers shared by Stream and Server: errors carry the errno text.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bastion/error.hpp"

namespace bastion::io {

// ErrorCode::io_error with "what: <strerror(err)>".
Error errno_error(std::string_view what, int err);

// now + limit; nullopt for zero (no limit), and for a limit so long that the time point would
// overflow, which means no limit too.
std::optional<std::chrono::steady_clock::time_point> deadline_after(
    std::chrono::milliseconds limit);

// Resolves host:port (IPv4 or IPv6) and connects to the first address that accepts, within
// `timeout` (zero: no limit; timed_out after it), which the addresses share: each gets an equal
// part of the time left, so that one that never answers leaves time for the next. The name
// lookup is not bounded by it. The socket returned is blocking.
Result<int> connect_tcp(std::string_view host, uint16_t port,
                        std::chrono::milliseconds timeout = {});
// Binds and listens on host:port (a non-blocking socket); port 0 lets the kernel pick.
Result<int> listen_tcp(std::string_view host, uint16_t port, int backlog);
// The local port a socket is bound to.
Result<uint16_t> local_port(int fd);
// "ADDR:PORT" ("[ADDR]:PORT" for IPv6) of the peer, or "?" when unknown.
std::string peer_address(int fd);

// How long a blocking step may wait on the peer: at most `each` per wait (zero: no limit), and
// never past `deadline`.
struct WaitLimit {
  std::chrono::milliseconds each{0};
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // poll()'s timeout: -1 for no limit, else the milliseconds left (0 once the deadline passed).
  int poll_ms() const;
  // ErrorCode::timed_out, saying which limit ran out for `what` ("send", "recv").
  Error expired(std::string_view what) const;
};

// Sends every byte, retrying on EINTR and partial sends, waiting for room within `limit`;
// never raises SIGPIPE. timed_out when the limit runs out first.
Result<void> send_all(int fd, std::span<const uint8_t> data, const WaitLimit& limit = {});
// One recv(), retried on EINTR. Returns 0 at end of stream; a reset is ErrorCode::truncated.
Result<size_t> recv_some(int fd, std::span<uint8_t> out);
// The same without blocking: nullopt when nothing has arrived yet.
Result<std::optional<size_t>> recv_available(int fd, std::span<uint8_t> out);
// Waits until fd is readable (or closed), within `limit` (timed_out after it).
Result<void> wait_readable(int fd, const WaitLimit& limit);
// Shuts down the sending side and discards input until the peer closes or the time is up, so
// that a later close() does not reset the connection (a reset can destroy an alert in flight).
void shutdown_and_drain(int fd, std::chrono::milliseconds limit);

}  // namespace bastion::io
