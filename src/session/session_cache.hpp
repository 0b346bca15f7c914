// A TLS 1.2 server's session-ID cache (RFC 5246 §7.4.1.2, F.1.4): sessions by the 32-byte ID
// the server gave them, bounded (the least recently used goes first), each valid for its
// lifetime. Shared by the connections of a ServerConfig: thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>

#include "session/ticket_contents.hpp"

namespace bastion::session {

using SessionId = std::array<uint8_t, 32>;

class SessionCache {
 public:
  explicit SessionCache(size_t capacity) : capacity_(capacity) {}

  // Keeps `session` under `id`, dropping the least recently used entry when full.
  void put(const SessionId& id, const TicketContents& session);
  // A copy of the session under `id` when it is there and not expired (an expired one is
  // dropped). Sessions stay for the next resumption: a session ID may be resumed again.
  std::optional<TicketContents> get(const SessionId& id, std::chrono::system_clock::time_point now);
  void remove(const SessionId& id);

  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    SessionId id;
    TicketContents session;
  };
  size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::map<SessionId, std::list<Entry>::iterator> index_;
};

}  // namespace bastion::session
