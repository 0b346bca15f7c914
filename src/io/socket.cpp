#include "io/socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <memory>
#include <system_error>
#include <vector>

namespace bastion::io {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

std::string display(std::string_view host, uint16_t port) {
  bool ipv6 = host.find(':') != std::string_view::npos;
  std::string out = ipv6 ? "[" + std::string(host) + "]" : std::string(host);
  return out + ":" + std::to_string(port);
}

Result<AddrInfoPtr> resolve(std::string_view host, uint16_t port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  std::string host_str(host);
  std::string port_str = std::to_string(port);
  addrinfo* result = nullptr;
  int rc =
      getaddrinfo(host_str.empty() ? nullptr : host_str.c_str(), port_str.c_str(), &hints, &result);
  if (rc == EAI_SYSTEM) return errno_error("resolve " + host_str, errno);
  if (rc != 0) {
    return Error{ErrorCode::io_error, "resolve " + host_str + ": " + gai_strerror(rc)};
  }
  return AddrInfoPtr(result);
}

// The connected socket, or -errno (-ETIMEDOUT when `limit` ran out). The connect runs
// non-blocking so that it can be waited for within the limit; the socket is blocking again after.
int connect_one(const addrinfo& ai, const WaitLimit& limit) {
  int fd = socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
  if (fd < 0) return -errno;
  int err = 0;
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0) {
    err = errno;
    if (err == EINPROGRESS || err == EINTR) {
      pollfd p{fd, POLLOUT, 0};
      int rc;
      do {
        rc = poll(&p, 1, limit.poll_ms());
      } while (rc < 0 && errno == EINTR);
      socklen_t len = sizeof err;
      if (rc < 0) {
        err = errno;
      } else if (rc == 0) {
        err = ETIMEDOUT;
      } else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
        err = errno;
      }
    }
  }
  if (err == 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) err = errno;
  if (err != 0) {
    ::close(fd);
    return -err;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

Error errno_error(std::string_view what, int err) {
  return Error{ErrorCode::io_error, std::string(what) + ": " + std::system_category().message(err)};
}

std::optional<std::chrono::steady_clock::time_point> deadline_after(
    std::chrono::milliseconds limit) {
  using std::chrono::steady_clock;
  if (limit.count() <= 0) return std::nullopt;
  const auto now = steady_clock::now();
  if (limit >= std::chrono::duration_cast<std::chrono::milliseconds>(
                   steady_clock::time_point::max() - now)) {
    return std::nullopt;
  }
  return now + limit;
}

Result<int> connect_tcp(std::string_view host, uint16_t port, std::chrono::milliseconds timeout) {
  auto addresses = resolve(host, port, false);
  if (!addresses) return std::move(addresses).error();
  std::vector<const addrinfo*> candidates;
  for (const addrinfo* ai = addresses->get(); ai != nullptr; ai = ai->ai_next) {
    candidates.push_back(ai);
  }
  const auto deadline = deadline_after(timeout);
  int err = EADDRNOTAVAIL;
  for (size_t i = 0; i < candidates.size(); ++i) {
    WaitLimit limit;
    if (deadline) {
      const auto left = *deadline - std::chrono::steady_clock::now();
      limit.deadline = std::chrono::steady_clock::now() +
                       left / static_cast<std::chrono::steady_clock::rep>(candidates.size() - i);
    }
    int fd = connect_one(*candidates[i], limit);
    if (fd >= 0) return fd;
    err = -fd;
  }
  if (err == ETIMEDOUT && deadline) {
    return Error{ErrorCode::timed_out, "connect to " + display(host, port) + ": no answer in " +
                                           std::to_string(timeout.count()) + " ms"};
  }
  return errno_error("connect to " + display(host, port), err);
}

Result<int> listen_tcp(std::string_view host, uint16_t port, int backlog) {
  auto addresses = resolve(host, port, true);
  if (!addresses) return std::move(addresses).error();
  const addrinfo& ai = *addresses->get();
  // Non-blocking, so that accept() after poll() cannot hang when the client has gone already.
  int fd = socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol);
  if (fd < 0) return errno_error("socket", errno);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, ai.ai_addr, ai.ai_addrlen) != 0 || listen(fd, backlog) != 0) {
    int err = errno;
    ::close(fd);
    return errno_error("listen on " + display(host, port), err);
  }
  return fd;
}

Result<uint16_t> local_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return errno_error("getsockname", errno);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
}

std::string peer_address(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    return display(text, ntohs(in6.sin6_port));
  }
  const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
  inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
  return display(text, ntohs(in.sin_port));
}

int WaitLimit::poll_ms() const {
  using std::chrono::milliseconds;
  int ms = each.count() > 0 ? static_cast<int>(std::min<int64_t>(each.count(), INT_MAX)) : -1;
  if (deadline) {
    const auto left = std::chrono::ceil<milliseconds>(*deadline - std::chrono::steady_clock::now());
    const int left_ms = static_cast<int>(std::clamp<int64_t>(left.count(), 0, INT_MAX));
    ms = ms < 0 ? left_ms : std::min(ms, left_ms);
  }
  return ms;
}

Error WaitLimit::expired(std::string_view what) const {
  if (deadline && std::chrono::steady_clock::now() >= *deadline) {
    return Error{ErrorCode::timed_out, std::string(what) + ": the deadline passed"};
  }
  return Error{ErrorCode::timed_out, std::string(what) + ": nothing from the peer for " +
                                         std::to_string(each.count()) + " ms"};
}

namespace {

// Waits for `events` on fd within `limit`.
Result<void> wait_for(int fd, short events, const WaitLimit& limit, std::string_view what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int ready = ::poll(&p, 1, limit.poll_ms());
    if (ready > 0) return {};
    if (ready == 0) return limit.expired(what);
    if (errno != EINTR) return errno_error("poll", errno);
  }
}

}  // namespace

Result<void> send_all(int fd, std::span<const uint8_t> data, const WaitLimit& limit) {
  while (!data.empty()) {
    // Never blocks in send(): waits happen in poll(), within the limit.
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (auto room = wait_for(fd, POLLOUT, limit, "send"); !room) return room;
        continue;
      }
      return errno_error("send", errno);
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

namespace {

// One recv() with `flags`, retried on EINTR; nullopt when it would block.
Result<std::optional<size_t>> recv_with(int fd, std::span<uint8_t> out, int flags) {
  for (;;) {
    ssize_t n = ::recv(fd, out.data(), out.size(), flags);
    if (n >= 0) return std::optional<size_t>(static_cast<size_t>(n));
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<size_t>();
    if (errno == ECONNRESET) return Error{ErrorCode::truncated, "recv: connection reset"};
    return errno_error("recv", errno);
  }
}

}  // namespace

Result<size_t> recv_some(int fd, std::span<uint8_t> out) {
  auto n = recv_with(fd, out, 0);
  if (!n) return std::move(n).error();
  // A blocking socket only says "would block" when its SO_RCVTIMEO ran out.
  if (!n->has_value()) return Error{ErrorCode::timed_out, "recv: timed out"};
  return **n;
}

Result<std::optional<size_t>> recv_available(int fd, std::span<uint8_t> out) {
  return recv_with(fd, out, MSG_DONTWAIT);
}

Result<void> wait_readable(int fd, const WaitLimit& limit) {
  return wait_for(fd, POLLIN, limit, "recv");
}

void shutdown_and_drain(int fd, std::chrono::milliseconds limit) {
  ::shutdown(fd, SHUT_WR);
  auto deadline = std::chrono::steady_clock::now() + limit;
  uint8_t scratch[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return;
    ssize_t n = ::recv(fd, scratch, sizeof scratch, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
  }
}

}  // namespace bastion::io
