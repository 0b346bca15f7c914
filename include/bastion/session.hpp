// TLS 1.3 session resumption on the client (RFC 8446 §2.2, §4.6.1): the tickets a server sends
// after a handshake are kept in a SessionStore, by server name, and the newest one is offered
// on the next connection to that name.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "bastion/types.hpp"

namespace bastion {

// RFC 8446 §4.6.1: no ticket is cached, nor accepted, for longer than 7 days.
inline constexpr std::chrono::seconds kMaxSessionAge{604800};

// One ticket and what resuming with it needs: the resumption PSK, the cipher suite, and the
// original session's peer certificates and verification status. Immutable once made by a
// connection; its secret is wiped when the last reference goes away.
class BASTION_API Session {
 public:
  struct Data;  // src/session/session_data.hpp

  explicit Session(std::unique_ptr<const Data> data);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& server_name() const;
  CipherSuite cipher_suite() const;
  // When the ticket arrived, and when it stops being usable: at the end of the server's stated
  // lifetime, and at most 7 days after the full handshake that authenticated the server (the
  // session it renews, however many resumptions back).
  std::chrono::system_clock::time_point received() const;
  std::chrono::system_clock::time_point expires() const;

  const Data& data() const { return *data_; }

 private:
  std::unique_ptr<const Data> data_;
};

// Where a client keeps sessions between connections. Shared by every connection of a
// ClientConfig, so implementations must be thread-safe.
class BASTION_API SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Keeps a session received from `server_name`.
  virtual void put(std::string_view server_name, std::shared_ptr<const Session> session) = 0;
  // Removes and returns the newest unexpired session for `server_name`, or null. A ticket is
  // offered once only (RFC 8446 §C.4), so a store must not hand the same session out twice.
  virtual std::shared_ptr<const Session> take(std::string_view server_name) = 0;
};

// An in-memory store guarded by a mutex: at most `per_server` sessions per name (the oldest is
// dropped) and `max_servers` names (the one stored to least recently is dropped).
BASTION_API std::shared_ptr<SessionStore> memory_session_store(size_t per_server = 4,
                                                               size_t max_servers = 256);

}  // namespace bastion
