// The default SessionStore: a few sessions per server name, in memory, behind one mutex.
#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>

#include "bastion/session.hpp"

namespace bastion {
namespace {

class MemorySessionStore final : public SessionStore {
 public:
  MemorySessionStore(size_t per_server, size_t max_servers)
      : per_server_(std::max<size_t>(per_server, 1)),
        max_servers_(std::max<size_t>(max_servers, 1)) {}

  void put(std::string_view server_name, std::shared_ptr<const Session> session) override {
    std::lock_guard lock(mutex_);
    auto it = servers_.find(server_name);
    if (it == servers_.end()) {
      if (servers_.size() >= max_servers_) evict_least_recent();
      it = servers_.emplace(std::string(server_name), Entry{}).first;
    }
    Entry& entry = it->second;
    entry.last_put = ++clock_;
    entry.sessions.push_back(std::move(session));
    if (entry.sessions.size() > per_server_) entry.sessions.pop_front();
  }

  std::shared_ptr<const Session> take(std::string_view server_name) override {
    std::lock_guard lock(mutex_);
    auto it = servers_.find(server_name);
    if (it == servers_.end()) return nullptr;
    auto& sessions = it->second.sessions;
    const auto now = std::chrono::system_clock::now();
    std::shared_ptr<const Session> found;
    while (!sessions.empty() && !found) {
      std::shared_ptr<const Session> newest = std::move(sessions.back());
      sessions.pop_back();
      if (newest->expires() > now) found = std::move(newest);
    }
    if (sessions.empty()) servers_.erase(it);
    return found;
  }

 private:
  struct Entry {
    std::deque<std::shared_ptr<const Session>> sessions;  // oldest first
    uint64_t last_put = 0;
  };

  void evict_least_recent() {
    auto oldest = std::min_element(
        servers_.begin(), servers_.end(),
        [](const auto& a, const auto& b) { return a.second.last_put < b.second.last_put; });
    if (oldest != servers_.end()) servers_.erase(oldest);
  }

  const size_t per_server_;
  const size_t max_servers_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> servers_;
  uint64_t clock_ = 0;
};

}  // namespace

std::shared_ptr<SessionStore> memory_session_store(size_t per_server, size_t max_servers) {
  return std::make_shared<MemorySessionStore>(per_server, max_servers);
}

}  // namespace bastion
