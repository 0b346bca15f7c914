// Sans-I/O TLS connections: feed received bytes in, take bytes to send out, read and write
// plaintext. A connection never blocks and never touches a socket; it is used by one thread.
#pragma once

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

struct ConnectionInfo {
  std::optional<ProtocolVersion> version;
  std::optional<CipherSuite> cipher_suite;
  std::optional<NamedGroup> group;
  std::optional<SignatureScheme> peer_signature_scheme;
  std::string alpn;                    // negotiated protocol, empty when none
  std::string server_name;             // SNI sent (client) or received (server)
  std::vector<Der> peer_certificates;  // leaf first
  bool peer_verified = false;          // the verifier accepted the peer's chain
  bool hello_retry = false;            // a HelloRetryRequest was used
};

class Connection {
 public:
  virtual ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  // Takes bytes received from the peer and processes every complete record in them.
  // On a fatal error the alert to send is queued in pending_output() and the error returned;
  // the connection is then dead and every later call returns the same error.
  Result<void> receive(std::span<const uint8_t> data);
  // Bytes waiting to be sent to the peer; call consume_output() with what was sent.
  std::span<const uint8_t> pending_output() const;
  void consume_output(size_t n);

  // Copies up to out.size() bytes of received application data; returns how many.
  size_t read(std::span<uint8_t> out);
  size_t readable() const;
  // Queues application data (fragmented into records). Fails before the handshake completes
  // and after close().
  Result<void> write(std::span<const uint8_t> data);
  // Queues close_notify; no more writes afterwards.
  void close();
  // Sends a KeyUpdate (RFC 8446 §4.6.3), asking the peer to update too when request_peer.
  Result<void> key_update(bool request_peer);

  bool handshake_complete() const;
  bool peer_closed() const;  // close_notify received
  bool failed() const;       // a fatal error happened (sent or received)
  // Whether the caller should feed more bytes (the handshake or a read waits on the peer).
  bool wants_read() const;
  ConnectionInfo info() const;

  struct Impl;

 protected:
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ClientConnection : public Connection {
 public:
  // server_name: the DNS name sent as SNI and checked against the certificate, or an IP
  // address literal (checked against IP SANs, no SNI sent). The ClientHello is queued at once.
  static Result<ClientConnection> create(std::shared_ptr<const ClientConfig> config,
                                         std::string_view server_name);

 private:
  using Connection::Connection;
};

class ServerConnection : public Connection {
 public:
  static Result<ServerConnection> create(std::shared_ptr<const ServerConfig> config);

 private:
  using Connection::Connection;
};

}  // namespace bastion
