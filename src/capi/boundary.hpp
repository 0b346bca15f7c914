// What every C entry point does at the boundary: C++ errors become bastion_result codes with
// their message kept in the handle, and no exception gets through.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "bastion.h"
#include "bastion/error.hpp"

namespace bastion::capi {

// Every ErrorCode has the same value in bastion_result (checked in result_codes.cpp).
inline bastion_result to_result(ErrorCode code) noexcept {
  return static_cast<bastion_result>(code);
}

// Keeps `prefix` + `message` in `slot`; an allocation failure leaves it empty.
void keep_message(std::string& slot, std::string_view prefix, std::string_view message) noexcept;

// Keeps the error's message in `slot` and returns its code.
bastion_result fail(std::string& slot, const Error& error) noexcept;
// The same for a call that ended well: BASTION_OK, and the slot untouched.
bastion_result check(std::string& slot, const Result<void>& result) noexcept;

// A null argument that must not be null: BASTION_INTERNAL_ERROR, the code of API misuse.
bastion_result null_argument(std::string& slot, std::string_view name) noexcept;

// Runs `body`, the whole of an entry point that returns a code: an exception becomes
// BASTION_INTERNAL_ERROR, with its what() kept in `slot` when there is one.
template <class Body>
bastion_result guarded(std::string* slot, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    if (slot) keep_message(*slot, "internal_error: exception at the C API boundary: ", e.what());
  } catch (...) {
    if (slot) keep_message(*slot, "internal_error: exception at the C API boundary", "");
  }
  return BASTION_INTERNAL_ERROR;
}

// The same for an entry point that returns a value: `fallback` when something is thrown.
template <class T, class Body>
T guarded_value(T fallback, Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return fallback;
  }
}

// snprintf-style copy of a message into a caller's buffer: NUL-terminated and truncated to
// fit (nothing written when len is 0); returns the message's full length.
size_t copy_message(std::string_view message, char* buf, size_t len) noexcept;

}  // namespace bastion::capi
