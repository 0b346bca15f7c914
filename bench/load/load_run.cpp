#include "load_run.hpp"

#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <utility>

#include "process_stat.hpp"
#include "tls_client.hpp"

namespace load {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kErrorsKept = 5;
constexpr int kMaxEvents = 64;
constexpr int kWaitMs = 100;
constexpr auto kThreadSampleInterval = std::chrono::milliseconds(20);
constexpr auto kStallCheckInterval = std::chrono::seconds(1);

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

enum class Stage : uint8_t { connecting, handshaking, exchanging, closing };

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::connecting:
      return "connect";
    case Stage::handshaking:
      return "handshake";
    case Stage::exchanging:
      return "exchange";
    case Stage::closing:
      return "close";
  }
  return "?";
}

struct Connection {
  size_t slot = 0;
  int fd = -1;
  SslPtr ssl;
  TicketCounter tickets;
  Stage stage = Stage::connecting;
  int exchanges_left = 0;
  int lines_to_write = 0;
  size_t bytes_to_read = 0;
  size_t offset_in_line = 0;  // of the next byte read, to check it against what was sent
  bool close_notify_sent = false;
  uint32_t events = 0;  // the epoll interest
  Clock::time_point started;
  Clock::time_point last_event;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    ssl.reset();
    if (fd >= 0) ::close(fd);
  }
};

// What a connection waits for (epoll events), or events == 0 when it is done; or why it failed.
struct Step {
  uint32_t events = 0;
  std::string error;
};

Step failure(std::string why) {
  return {0, std::move(why)};
}

// Why an SSL call returned r, or what it waits for.
Step wait_or_failure(SSL* ssl, int r) {
  const int code = SSL_get_error(ssl, r);
  if (code == SSL_ERROR_WANT_READ) return {EPOLLIN, {}};
  if (code == SSL_ERROR_WANT_WRITE) return {EPOLLOUT, {}};
  if (code == SSL_ERROR_ZERO_RETURN) return failure("the server closed the connection");
  if (code == SSL_ERROR_SYSCALL) {
    const int saved = errno;
    return failure(take_openssl_error(saved ? std::strerror(saved) : "unexpected EOF"));
  }
  return failure(take_openssl_error("SSL error " + std::to_string(code)));
}

class LoadRun {
 public:
  LoadRun(SSL_CTX* ctx, const Target& target, const Workload& workload)
      : ctx_(ctx),
        target_(target),
        workload_(workload),
        line_(workload.line_bytes - 1, 'x'),
        slots_(static_cast<size_t>(std::max(workload.concurrency, 1))) {
    line_ += '\n';
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw std::runtime_error(std::string("epoll: ") + std::strerror(errno));
  }
  ~LoadRun() { ::close(epoll_fd_); }
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  RunResult run();

 private:
  void open_connection(size_t slot);
  void on_event(Connection& c, uint32_t events);
  Step advance(Connection& c);
  Step exchange(Connection& c);
  Step close_step(Connection& c);
  void start_exchange(Connection& c);
  bool echo_matches(Connection& c, std::span<const uint8_t> data) const;
  void finish(Connection& c);
  void fail(Connection& c, const std::string& why);
  void note_error(const std::string& error);
  void replace(size_t slot);
  void check_stalls(Clock::time_point now);
  bool sample_server();

  SSL_CTX* ctx_;
  const Target& target_;
  const Workload& workload_;
  std::string line_;
  std::vector<std::unique_ptr<Connection>> slots_;
  size_t open_ = 0;
  int started_ = 0;
  int epoll_fd_ = -1;
  std::array<uint8_t, 32 * 1024> read_buffer_{};
  RunResult result_;
};

RunResult LoadRun::run() {
  const auto before = read_process_stat(target_.pid);
  if (!before) {
    note_error("the server process is not running");
    return result_;
  }
  result_.peak_server_threads = before->threads;
  const double client_cpu_start = process_cpu_seconds();
  const auto start = Clock::now();
  for (size_t slot = 0; slot < slots_.size(); ++slot) replace(slot);

  auto next_sample = start;
  auto next_stall_check = start + kStallCheckInterval;
  std::array<epoll_event, kMaxEvents> events{};
  while (open_ > 0) {
    const int n = epoll_wait(epoll_fd_, events.data(), kMaxEvents, kWaitMs);
    if (n < 0 && errno != EINTR) throw std::runtime_error(std::strerror(errno));
    for (int i = 0; i < n; ++i) {
      on_event(*static_cast<Connection*>(events[static_cast<size_t>(i)].data.ptr),
               events[static_cast<size_t>(i)].events);
    }
    const auto now = Clock::now();
    if (now >= next_sample) {
      next_sample = now + kThreadSampleInterval;
      if (!sample_server()) break;
    }
    if (now >= next_stall_check) {
      next_stall_check = now + kStallCheckInterval;
      check_stalls(now);
    }
  }
  started_ = workload_.connections;  // whatever is still open fails below; nothing new starts
  result_.wall_seconds = seconds_between(start, Clock::now());
  result_.client_cpu_seconds = process_cpu_seconds() - client_cpu_start;
  const auto after = read_process_stat(target_.pid);
  if (!after) {
    note_error("the server process exited");
  } else {
    result_.server_cpu_seconds = after->cpu_seconds - before->cpu_seconds;
    result_.server_system_seconds = after->system_seconds - before->system_seconds;
  }
  for (auto& slot : slots_) {
    if (slot) fail(*slot, "the server process exited");
  }
  return result_;
}

bool LoadRun::sample_server() {
  const auto stat = read_process_stat(target_.pid);
  if (!stat) return false;
  result_.peak_server_threads = std::max(result_.peak_server_threads, stat->threads);
  return true;
}

void LoadRun::replace(size_t slot) {
  slots_[slot].reset();
  while (!slots_[slot] && started_ < workload_.connections) open_connection(slot);
}

void LoadRun::open_connection(size_t slot) {
  ++started_;
  auto c = std::make_unique<Connection>();
  c->slot = slot;
  c->exchanges_left = workload_.exchanges;
  c->started = c->last_event = Clock::now();
  c->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  const bool connecting = c->fd >= 0 &&
                          setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0 &&
                          (::connect(c->fd, reinterpret_cast<const sockaddr*>(&target_.address),
                                     sizeof target_.address) == 0 ||
                           errno == EINPROGRESS);
  if (!connecting) {
    note_error(std::string("connect: ") + std::strerror(errno));
    ++result_.failed;
    return;
  }
  c->events = EPOLLOUT;
  epoll_event event{c->events, {.ptr = c.get()}};
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c->fd, &event) != 0) {
    throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
  }
  slots_[slot] = std::move(c);
  ++open_;
}

void LoadRun::on_event(Connection& c, uint32_t events) {
  c.last_event = Clock::now();
  if (c.stage == Stage::connecting && (events & (EPOLLERR | EPOLLHUP)) != 0) {
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    return fail(c, error ? std::strerror(error) : "connection refused");
  }
  const Step step = advance(c);
  if (!step.error.empty()) return fail(c, step.error);
  if (step.events == 0) return finish(c);
  if (step.events != c.events) {
    c.events = step.events;
    epoll_event event{c.events, {.ptr = &c}};
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &event);
  }
}

Step LoadRun::advance(Connection& c) {
  for (;;) {
    switch (c.stage) {
      case Stage::connecting:
        c.ssl = make_client(ctx_, c.fd, workload_.server_name, c.tickets);
        if (!c.ssl) return failure(take_openssl_error("SSL_new failed"));
        c.stage = Stage::handshaking;
        break;
      case Stage::handshaking: {
        const int r = SSL_do_handshake(c.ssl.get());
        if (r != 1) return wait_or_failure(c.ssl.get(), r);
        if (auto wrong = check_negotiated(c.ssl.get()); !wrong.empty()) return failure(wrong);
        c.stage = Stage::exchanging;
        start_exchange(c);
        break;
      }
      case Stage::exchanging: {
        Step step = exchange(c);
        if (step.events != 0 || !step.error.empty()) return step;
        if (--c.exchanges_left > 0) {
          start_exchange(c);
        } else {
          c.stage = Stage::closing;
        }
        break;
      }
      case Stage::closing:
        return close_step(c);
    }
  }
}

void LoadRun::start_exchange(Connection& c) {
  c.lines_to_write = workload_.lines_per_exchange;
  c.bytes_to_read = static_cast<size_t>(workload_.lines_per_exchange) * line_.size();
}

// Writes the exchange's lines and reads back what has come; events == 0 once all came back.
Step LoadRun::exchange(Connection& c) {
  SSL* ssl = c.ssl.get();
  bool write_blocked = false;
  while (c.lines_to_write > 0) {
    // The same buffer and length on every retry, as SSL_write asks.
    const int r = SSL_write(ssl, line_.data(), static_cast<int>(line_.size()));
    if (r > 0) {
      --c.lines_to_write;
      continue;
    }
    Step step = wait_or_failure(ssl, r);
    if (!step.error.empty()) return step;
    write_blocked = step.events == EPOLLOUT;
    break;
  }
  while (c.bytes_to_read > 0) {
    const int r = SSL_read(ssl, read_buffer_.data(), static_cast<int>(read_buffer_.size()));
    if (r <= 0) {
      Step step = wait_or_failure(ssl, r);
      if (!step.error.empty()) return step;
      break;
    }
    const auto got = std::span<const uint8_t>(read_buffer_.data(), static_cast<size_t>(r));
    if (got.size() > c.bytes_to_read) return failure("the server sent more than was sent to it");
    if (!echo_matches(c, got)) return failure("the server sent other bytes than were sent to it");
    c.bytes_to_read -= got.size();
  }
  if (c.lines_to_write == 0 && c.bytes_to_read == 0) return {};
  return {(c.bytes_to_read > 0 ? uint32_t{EPOLLIN} : 0) | (write_blocked ? uint32_t{EPOLLOUT} : 0),
          {}};
}

bool LoadRun::echo_matches(Connection& c, std::span<const uint8_t> data) const {
  while (!data.empty()) {
    const size_t n = std::min(data.size(), line_.size() - c.offset_in_line);
    if (std::memcmp(data.data(), line_.data() + c.offset_in_line, n) != 0) return false;
    c.offset_in_line = (c.offset_in_line + n) % line_.size();
    data = data.subspan(n);
  }
  return true;
}

// Sends close_notify and waits for the server's close (close_notify, or EOF from s_server).
Step LoadRun::close_step(Connection& c) {
  SSL* ssl = c.ssl.get();
  if (!c.close_notify_sent) {
    const int r = SSL_shutdown(ssl);
    if (r == 1) return {};
    if (r < 0) return wait_or_failure(ssl, r);
    c.close_notify_sent = true;
  }
  const int r = SSL_read(ssl, read_buffer_.data(), static_cast<int>(read_buffer_.size()));
  if (r > 0) return failure("the server sent data after the last exchange");
  if (SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN) return {};
  return wait_or_failure(ssl, r);
}

void LoadRun::finish(Connection& c) {
  ++result_.completed;
  result_.tickets += c.tickets.tickets;
  result_.echoed_bytes += static_cast<uint64_t>(workload_.exchanges) *
                          static_cast<uint64_t>(workload_.lines_per_exchange) * line_.size();
  result_.connection_seconds.push_back(seconds_between(c.started, Clock::now()));
  --open_;
  replace(c.slot);
}

void LoadRun::fail(Connection& c, const std::string& why) {
  ERR_clear_error();
  ++result_.failed;
  note_error(std::string(stage_name(c.stage)) + ": " + why);
  --open_;
  replace(c.slot);
}

void LoadRun::note_error(const std::string& error) {
  if (result_.errors.size() < kErrorsKept) result_.errors.push_back(error);
}

void LoadRun::check_stalls(Clock::time_point now) {
  for (auto& slot : slots_) {
    if (slot && now - slot->last_event > workload_.stall_limit) {
      fail(*slot, "stalled for " + std::to_string(workload_.stall_limit.count()) + " s");
    }
  }
}

}  // namespace

RunResult run_load(SSL_CTX* ctx, const Target& target, const Workload& workload) {
  return LoadRun(ctx, target, workload).run();
}

}  // namespace load
