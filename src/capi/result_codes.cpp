#include "capi/result_codes.hpp"

#include "bastion/version.hpp"
#include "capi/boundary.hpp"

namespace bastion::capi {
namespace {

constexpr bool same_values() {
  for (const auto& [result, code] : kResultCodes) {
    if (static_cast<int>(result) != static_cast<int>(code)) return false;
  }
  return true;
}
static_assert(same_values(), "a bastion_result differs from the ErrorCode it stands for");
static_assert(BASTION_OK == 0 && sizeof(ErrorCode) == 2);

constexpr bool each_once() {
  for (size_t i = 0; i < kResultCodes.size(); ++i) {
    for (size_t j = i + 1; j < kResultCodes.size(); ++j) {
      if (kResultCodes[i].first == kResultCodes[j].first) return false;
    }
  }
  return true;
}
static_assert(each_once(), "a bastion_result is listed twice");

}  // namespace
}  // namespace bastion::capi

extern "C" {

const char* bastion_error_name(int code) noexcept {
  if (code == BASTION_OK) return "ok";
  if (code < 0 || code > 0xffff) return "unknown";
  // The names are string literals, so NUL-terminated.
  return bastion::error_code_name(static_cast<bastion::ErrorCode>(code)).data();
}

const char* bastion_version(void) noexcept {
  return BASTION_VERSION_STRING;
}

}  // extern "C"
