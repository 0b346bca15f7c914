// Stream's connect and handshake time limits, against listeners that never answer.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bastion/stream.hpp"
#include "bastion/x509.hpp"
#include "io/socket.hpp"
#include "support/test_certs.hpp"

namespace bastion::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A socket listening on 127.0.0.1 that never accepts: the kernel completes TCP handshakes
// into its queue (up to the backlog), and nobody ever speaks TLS.
class SilentListener {
 public:
  explicit SilentListener(int backlog) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, backlog) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() {
    for (int fd : fillers_) ::close(fd);
    ::close(fd_);
  }
  uint16_t port() const { return port_; }

  // Connects raw sockets until one is left waiting (the accept queue is full and the kernel
  // drops the SYNs); false if every one of them connected.
  bool fill_queue() {
    for (int i = 0; i < 16; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      fillers_.push_back(fd);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(port_);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) continue;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 200) == 0) return true;
    }
    return false;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
  std::vector<int> fillers_;
};

std::shared_ptr<const ClientConfig> client_config() {
  ClientOptions options;
  auto ders = parse_pem_certificates(kEcdsaCertPem);
  EXPECT_TRUE(ders.ok());
  options.verifier = exact_certificate_verifier(*ders);
  auto config = ClientConfig::create(std::move(options));
  EXPECT_TRUE(config.ok());
  return *config;
}

std::shared_ptr<const ServerConfig> server_config() {
  ServerOptions options;
  auto key = CertifiedKey::from_pem(kEcdsaCertPem, kEcdsaKeyPem, default_provider());
  EXPECT_TRUE(key.ok());
  options.certificates = {*key};
  auto config = ServerConfig::create(std::move(options));
  EXPECT_TRUE(config.ok());
  return *config;
}

TEST(StreamTimeouts, TheHandshakeLimitDoesNotOutliveTheHandshake) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::thread server([fd = fds[1]] {
    auto stream = Stream::server(fd, server_config(), StreamTimeouts{{}, milliseconds(300)});
    ASSERT_TRUE(stream.ok()) << stream.error().message();
    std::this_thread::sleep_for(milliseconds(700));  // well past the handshake's limit
    EXPECT_TRUE(stream->write(std::string_view("late but fine")).ok());
    EXPECT_TRUE(stream->close().ok());
  });
  auto client =
      Stream::client(fds[0], client_config(), "localhost", StreamTimeouts{{}, milliseconds(300)});
  ASSERT_TRUE(client.ok()) << client.error().message();
  std::array<uint8_t, 64> buffer{};
  auto n = client->read(buffer);
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(buffer.data()), *n), "late but fine");
  server.join();
}

TEST(StreamTimeouts, LimitsTooLongToAddMeanNoLimit) {
  // now + limit would overflow the clock: no limit, not one that has already passed.
  auto far = io::deadline_after(milliseconds::max());
  EXPECT_FALSE(far.has_value());
  EXPECT_FALSE(io::deadline_after(milliseconds(0)).has_value());
  auto soon = io::deadline_after(milliseconds(50));
  ASSERT_TRUE(soon.has_value());
  EXPECT_GT(*soon, steady_clock::now());
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::thread server([fd = fds[1]] {
    auto stream = Stream::server(fd, server_config());
    ASSERT_TRUE(stream.ok()) << stream.error().message();
    (void)stream->close();
  });
  auto client = Stream::client(fds[0], client_config(), "localhost",
                               StreamTimeouts{milliseconds::max(), milliseconds::max()});
  EXPECT_TRUE(client.ok()) << client.error().message();
  server.join();
}

TEST(StreamTimeouts, ANameWithSeveralAddressesTriesTheNext) {
  // "localhost" is ::1 and 127.0.0.1; the listener has only the IPv4 one, so the first
  // address may be refused and the next must still be tried within the limit.
  SilentListener listener(16);
  auto fd = io::connect_tcp("localhost", listener.port(), milliseconds(2000));
  ASSERT_TRUE(fd.ok()) << fd.error().message();
  ::close(*fd);
}

TEST(StreamTimeouts, AServerThatNeverAnswersEndsTheHandshake) {
  SilentListener listener(16);
  auto start = steady_clock::now();
  auto stream = Stream::connect(client_config(), "127.0.0.1", listener.port(), "localhost",
                                StreamTimeouts{milliseconds(2000), milliseconds(300)});
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.error().code, ErrorCode::timed_out);
  EXPECT_NE(stream.error().detail.find("handshake not complete within 300 ms"), std::string::npos)
      << stream.error().message();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(10));  // it did not hang
}

TEST(StreamTimeouts, AConnectNobodyAnswersEndsInTime) {
  SilentListener listener(0);
  if (!listener.fill_queue()) GTEST_SKIP() << "the kernel accepted every connection";
  auto start = steady_clock::now();
  auto stream = Stream::connect(client_config(), "127.0.0.1", listener.port(), "localhost",
                                StreamTimeouts{milliseconds(300), milliseconds(300)});
  ASSERT_FALSE(stream.ok());
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(10));  // it did not hang
  EXPECT_EQ(stream.error().code, ErrorCode::timed_out);
  EXPECT_NE(stream.error().detail.find("connect to 127.0.0.1:"), std::string::npos)
      << stream.error().message();
  EXPECT_NE(stream.error().detail.find("no answer in 300 ms"), std::string::npos)
      << stream.error().message();
}

TEST(StreamTimeouts, AConnectionRefusedIsAnIoErrorNotATimeout) {
  uint16_t port;
  {
    SilentListener closed(1);
    port = closed.port();
  }
  auto stream = Stream::connect(client_config(), "127.0.0.1", port, "localhost");
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.error().code, ErrorCode::io_error);
  EXPECT_NE(stream.error().detail.find("refused"), std::string::npos) << stream.error().message();
}

TEST(StreamTimeouts, TheConnectedSocketIsBlockingAgain) {
  // The connect runs non-blocking to be timed; Stream's blocking waits need the socket back.
  SilentListener listener(16);
  auto fd = io::connect_tcp("127.0.0.1", listener.port(), milliseconds(2000));
  ASSERT_TRUE(fd.ok()) << fd.error().message();
  EXPECT_EQ(::fcntl(*fd, F_GETFL) & O_NONBLOCK, 0);
  ::close(*fd);
}

}  // namespace
}  // namespace bastion::test
