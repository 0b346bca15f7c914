// A small TLS server toolkit: listen, accept many clients at once (a thread per open connection,
// up to a bound, each reused for later connections), run a handler on each after the handshake,
// stop cleanly from any thread or on SIGINT/SIGTERM.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "bastion/config.hpp"
#include "bastion/error.hpp"
#include "bastion/stream.hpp"

namespace bastion {

struct ListenOptions {
  std::string address = "127.0.0.1";  // an IPv4 or IPv6 address, or a host name
  uint16_t port = 0;                  // 0: the kernel picks a free port (see Server::port())
  size_t max_connections = 256;       // more clients wait in the accept queue
  // The whole handshake must end within this, however slowly a client trickles its bytes
  // (slowloris): a half-open connection cannot keep its slot longer. Zero: no deadline.
  std::chrono::milliseconds handshake_timeout{10000};
  // The longest a connection may wait on its peer, for data or for room to send (a stalled
  // client frees its thread). Zero: no limit.
  std::chrono::milliseconds idle_timeout{30000};
  // How long a connection thread with nothing to serve waits for the next connection before it
  // ends. Reusing threads spares each connection a thread's start and libcrypto's per-thread
  // setup.
  std::chrono::milliseconds thread_idle_timeout{5000};
};

struct ServerStats {
  uint64_t connections = 0;      // accepted so far
  uint64_t threads_started = 0;  // connection threads started so far
  size_t threads = 0;            // connection threads running now
  size_t idle_threads = 0;       // of those, the ones waiting for a connection
};

class BASTION_API Server {
 public:
  // Runs on a connection once its handshake is complete; the server closes the stream (with
  // close_notify) when the handler returns.
  using Handler = std::function<void(Stream&)>;
  // Told about connections that failed (handshake errors, mostly). Like the handler, it runs on
  // connection threads, so possibly on several at once.
  using ErrorHandler = std::function<void(const Error& error, std::string_view peer)>;

  // Binds and listens; clients are accepted by serve().
  static Result<std::unique_ptr<Server>> listen(std::shared_ptr<const ServerConfig> config,
                                                ListenOptions options);
  // Destroy a server only after serve() has returned.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const { return port_; }
  // "ADDR:PORT" ("[ADDR]:PORT" for IPv6) as bound.
  std::string endpoint() const;

  // Accepts and serves clients until stop(). Before returning, shuts down the connections
  // still open and waits for their handlers. A server serves once.
  Result<void> serve(Handler handler, ErrorHandler on_error = {});
  // Makes serve() return. Safe from any thread and from a signal handler.
  void stop();
  // From now until this server is destroyed, SIGINT and SIGTERM call stop(). One server at a
  // time can own the signals.
  Result<void> stop_on_signals();
  // Safe from any thread.
  ServerStats stats() const;

 private:
  struct Workers;
  Server(std::shared_ptr<const ServerConfig> config, ListenOptions options, int listen_fd,
         uint16_t port, int stop_read_fd, int stop_write_fd);
  void start_thread(int fd, const Handler& handler, const ErrorHandler& on_error);
  void serve_one(int fd, const Handler& handler, const ErrorHandler& on_error);

  std::shared_ptr<const ServerConfig> config_;
  ListenOptions options_;
  int listen_fd_;
  uint16_t port_;
  int stop_read_fd_;
  int stop_write_fd_;
  bool owns_signals_ = false;
  std::unique_ptr<Workers> workers_;
};

}  // namespace bastion
