// bastion_session_*: the handles a session store callback holds.
#include <chrono>

#include "bastion.h"
#include "capi/handles.hpp"

extern "C" {

void bastion_session_free(bastion_session* session) noexcept {
  delete session;
}

const char* bastion_session_server_name(const bastion_session* session) noexcept {
  return session && session->session ? session->session->server_name().c_str() : "";
}

int64_t bastion_session_expires(const bastion_session* session) noexcept {
  if (!session || !session->session) return 0;
  const auto since_epoch = session->session->expires().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
}

}  // extern "C"
