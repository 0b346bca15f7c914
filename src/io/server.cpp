#include "bastion/server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <exception>
#include <list>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "io/socket.hpp"

namespace bastion {
namespace {

constexpr int kListenBacklog = 128;
// While every connection slot is taken, how often serve() looks for a free one.
constexpr int kFullPollMs = 50;
// While connection threads exist, how often serve() wakes to join those that have ended.
constexpr int kReapPollMs = 1000;
// After accept() ran out of descriptors or memory, how long to wait before trying again.
constexpr int kAcceptBackoffMs = 100;

// Signals are process-wide, so the descriptor their handler writes to has to be too.
std::atomic<int> signal_stop_fd{-1};
struct sigaction previous_sigint {};
struct sigaction previous_sigterm {};

extern "C" void on_stop_signal(int) {
  int saved_errno = errno;
  int fd = signal_stop_fd.load();
  if (fd >= 0 && ::write(fd, "s", 1) < 0) {
    // Nothing can be reported from a signal handler; the pipe is already readable if full.
  }
  errno = saved_errno;
}

}  // namespace

// Connection threads and the sockets they serve. A thread serves the socket it was started for,
// then takes queued sockets until it has waited thread_idle_timeout for one or the server stops.
struct Server::Workers {
  struct Worker {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  std::list<Worker> threads;  // touched by the serve() thread only

  mutable std::mutex mutex;
  std::condition_variable queued;  // a socket was queued, or the server is stopping
  std::deque<int> waiting;         // accepted sockets that no thread has taken yet
  // Accepted sockets whose thread has not come back for another, waiting ones included. A slot
  // frees when its thread is idle again, so that a full server hands the next socket to it.
  size_t busy = 0;
  bool stopping = false;
  std::set<int> open_fds;  // sockets accepted and not yet closed, waiting ones included
  ServerStats counts;      // counts.idle_threads: the threads waiting in next_socket()

  bool full(size_t max_connections) const {
    std::lock_guard lock(mutex);
    return busy >= max_connections;
  }
  // Queues fd for an idle thread; false if none is free, so that fd needs a new thread.
  bool hand_to_idle(int fd) {
    std::lock_guard lock(mutex);
    ++counts.connections;
    ++busy;
    open_fds.insert(fd);
    if (waiting.size() >= counts.idle_threads) return false;
    waiting.push_back(fd);
    queued.notify_one();
    return true;
  }
  void thread_started() {
    std::lock_guard lock(mutex);
    ++counts.threads_started;
    ++counts.threads;
  }
  // No thread could be started for fd, which is closed unserved.
  void abandon(int fd) {
    std::lock_guard lock(mutex);
    --busy;
    open_fds.erase(fd);
  }
  // For a thread done with its socket: the next queued one, or nullopt (and the thread ends)
  // once the server stops or none came within idle_timeout.
  std::optional<int> next_socket(std::chrono::milliseconds idle_timeout) {
    std::unique_lock lock(mutex);
    --busy;
    ++counts.idle_threads;
    bool woken = queued.wait_for(lock, idle_timeout, [&] { return stopping || !waiting.empty(); });
    --counts.idle_threads;
    if (!woken || stopping) {
      --counts.threads;
      return std::nullopt;
    }
    int fd = waiting.front();
    waiting.pop_front();
    return fd;
  }
  void remove(int fd) {
    std::lock_guard lock(mutex);
    open_fds.erase(fd);
  }
  // Wakes the idle threads to end, closes the sockets no thread has taken and shuts down the
  // others, so that their handlers return.
  void stop_all() {
    std::lock_guard lock(mutex);
    stopping = true;
    queued.notify_all();
    busy -= waiting.size();
    for (int fd : waiting) {
      open_fds.erase(fd);
      ::close(fd);
    }
    waiting.clear();
    for (int fd : open_fds) ::shutdown(fd, SHUT_RDWR);
  }
  void reap() {
    for (auto it = threads.begin(); it != threads.end();) {
      if (it->done.load()) {
        it->thread.join();
        it = threads.erase(it);
      } else {
        ++it;
      }
    }
  }
  void join_all() {
    for (auto& worker : threads) worker.thread.join();
    threads.clear();
  }
};

Server::Server(std::shared_ptr<const ServerConfig> config, ListenOptions options, int listen_fd,
               uint16_t port, int stop_read_fd, int stop_write_fd)
    : config_(std::move(config)),
      options_(std::move(options)),
      listen_fd_(listen_fd),
      port_(port),
      stop_read_fd_(stop_read_fd),
      stop_write_fd_(stop_write_fd),
      workers_(std::make_unique<Workers>()) {}

Server::~Server() {
  if (owns_signals_) {
    sigaction(SIGINT, &previous_sigint, nullptr);
    sigaction(SIGTERM, &previous_sigterm, nullptr);
    signal_stop_fd.store(-1);
  }
  workers_->stop_all();
  workers_->join_all();
  ::close(listen_fd_);
  ::close(stop_read_fd_);
  ::close(stop_write_fd_);
}

Result<std::unique_ptr<Server>> Server::listen(std::shared_ptr<const ServerConfig> config,
                                               ListenOptions options) {
  if (!config) return Error{ErrorCode::invalid_config, "no server configuration"};
  if (options.max_connections == 0) {
    return Error{ErrorCode::invalid_config, "max_connections must be at least 1"};
  }
  auto fd = io::listen_tcp(options.address, options.port, kListenBacklog);
  if (!fd) return std::move(fd).error();
  auto port = io::local_port(*fd);
  int pipe_fds[2];
  if (!port || ::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    Error error = port ? io::errno_error("pipe", errno) : std::move(port).error();
    ::close(*fd);
    return error;
  }
  return std::unique_ptr<Server>(
      new Server(std::move(config), std::move(options), *fd, *port, pipe_fds[0], pipe_fds[1]));
}

std::string Server::endpoint() const {
  bool ipv6 = options_.address.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + options_.address + "]" : options_.address;
  return host + ":" + std::to_string(port_);
}

void Server::stop() {
  if (::write(stop_write_fd_, "s", 1) < 0) {
    // EAGAIN: the pipe is full, so a stop is already pending.
  }
}

Result<void> Server::stop_on_signals() {
  if (owns_signals_) return {};
  int expected = -1;
  if (!signal_stop_fd.compare_exchange_strong(expected, stop_write_fd_)) {
    return Error{ErrorCode::invalid_config, "another server already stops on signals"};
  }
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_sigint);
  sigaction(SIGTERM, &action, &previous_sigterm);
  owns_signals_ = true;
  return {};
}

ServerStats Server::stats() const {
  std::lock_guard lock(workers_->mutex);
  return workers_->counts;
}

Result<void> Server::serve(Handler handler, ErrorHandler on_error) {
  Result<void> outcome;
  for (;;) {
    workers_->reap();
    bool full = workers_->full(options_.max_connections);
    int timeout_ms = full ? kFullPollMs : workers_->threads.empty() ? -1 : kReapPollMs;
    pollfd fds[2] = {{stop_read_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    int ready = ::poll(fds, full ? 1 : 2, timeout_ms);
    if (ready < 0 && errno != EINTR) {
      outcome = io::errno_error("poll", errno);
      break;
    }
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) break;
    if (full || ready <= 0 || (fds[1].revents & POLLIN) == 0) continue;

    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        pollfd stop_fd{stop_read_fd_, POLLIN, 0};
        ::poll(&stop_fd, 1, kAcceptBackoffMs);
      }
      continue;  // EINTR, ECONNABORTED, EAGAIN and the above are all transient
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!workers_->hand_to_idle(fd)) start_thread(fd, handler, on_error);
  }
  workers_->stop_all();
  workers_->join_all();
  return outcome;
}

void Server::start_thread(int fd, const Handler& handler, const ErrorHandler& on_error) {
  auto& worker = workers_->threads.emplace_back();
  try {
    worker.thread = std::thread([this, fd, &handler, &on_error, &worker] {
      workers_->thread_started();
      for (std::optional<int> next = fd; next;
           next = workers_->next_socket(options_.thread_idle_timeout)) {
        serve_one(*next, handler, on_error);
      }
      worker.done.store(true);
    });
  } catch (const std::system_error& e) {
    workers_->threads.pop_back();
    workers_->abandon(fd);
    if (on_error) on_error(Error{ErrorCode::internal_error, e.what()}, io::peer_address(fd));
    ::close(fd);
  }
}

void Server::serve_one(int fd, const Handler& handler, const ErrorHandler& on_error) {
  // Looked up now: once a failed handshake has closed the connection, getpeername() fails.
  std::string peer = io::peer_address(fd);
  auto report = [&](const Error& error) {
    if (on_error) on_error(error, peer);
  };
  auto conn = ServerConnection::create(config_);
  if (!conn) {
    workers_->remove(fd);
    ::close(fd);
    report(conn.error());
    return;
  }
  Stream stream(fd, std::make_unique<ServerConnection>(std::move(conn).value()));
  // Declared after the stream, so destroyed first: the descriptor leaves the set before it is
  // closed and its number can be reused.
  struct Registration {
    Workers& workers;
    int fd;
    ~Registration() { workers.remove(fd); }
  } registration{*workers_, fd};

  stream.set_timeout(options_.idle_timeout);
  if (auto handshake = stream.handshake(options_.handshake_timeout); !handshake) {
    return report(std::move(handshake).error());
  }
  try {
    handler(stream);
  } catch (const std::exception& e) {
    report(Error{ErrorCode::internal_error, std::string("handler: ") + e.what()});
  } catch (...) {
    report(Error{ErrorCode::internal_error, "handler: unknown exception"});
  }
  // A peer that hangs up first is normal at this point, so a failed close is not reported.
  if (!stream.connection().failed()) static_cast<void>(stream.close());
}

}  // namespace bastion
