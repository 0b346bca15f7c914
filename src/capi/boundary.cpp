#include "capi/boundary.hpp"

#include <algorithm>
#include <cstring>

namespace bastion::capi {

void keep_message(std::string& slot, std::string_view prefix, std::string_view message) noexcept {
  try {
    slot.assign(prefix);
    slot.append(message);
  } catch (...) {
    slot.clear();
  }
}

bastion_result fail(std::string& slot, const Error& error) noexcept {
  try {
    slot = error.message();
  } catch (...) {
    slot.clear();
  }
  return to_result(error.code);
}

bastion_result check(std::string& slot, const Result<void>& result) noexcept {
  return result.ok() ? BASTION_OK : fail(slot, result.error());
}

bastion_result null_argument(std::string& slot, std::string_view name) noexcept {
  keep_message(slot, "internal_error: null argument: ", name);
  return BASTION_INTERNAL_ERROR;
}

size_t copy_message(std::string_view message, char* buf, size_t len) noexcept {
  if (buf && len > 0) {
    const size_t n = std::min(message.size(), len - 1);
    std::memcpy(buf, message.data(), n);
    buf[n] = '\0';
  }
  return message.size();
}

}  // namespace bastion::capi
