#include "session/session_cache.hpp"

namespace bastion::session {

void SessionCache::put(const SessionId& id, const TicketContents& session) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(id); it != index_.end()) {
    entries_.erase(it->second);
    index_.erase(it);
  }
  entries_.push_front(Entry{id, session.clone()});
  index_[id] = entries_.begin();
  while (entries_.size() > capacity_) {
    index_.erase(entries_.back().id);
    entries_.pop_back();
  }
}

std::optional<TicketContents> SessionCache::get(const SessionId& id,
                                                std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  if (it->second->session.expired(now)) {
    entries_.erase(it->second);
    index_.erase(it);
    return std::nullopt;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->session.clone();
}

void SessionCache::remove(const SessionId& id) {
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(id); it != index_.end()) {
    entries_.erase(it->second);
    index_.erase(it);
  }
}

size_t SessionCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace bastion::session
