#include "crypto/openssl/handles.hpp"

#include <openssl/err.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace bastion::crypto::openssl {

Error openssl_error(ErrorCode code, std::string_view what) {
  std::string detail(what);
  unsigned long last = ERR_peek_last_error();
  if (last != 0) {
    std::array<char, 256> reason{};
    ERR_error_string_n(last, reason.data(), reason.size());
    detail += " (";
    detail += reason.data();
    detail += ")";
  }
  ERR_clear_error();
  return Error{code, std::move(detail)};
}

void discard_openssl_errors() {
  ERR_clear_error();
}

void fatal(std::string_view what) {
  std::fprintf(stderr, "bastion: fatal crypto failure: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

}  // namespace bastion::crypto::openssl
