#include "core/secret.hpp"

#include <algorithm>
#include <cstring>

namespace bastion {

void secure_wipe(void* p, size_t n) {
  // explicit_bzero is declared in <string.h> by glibc and is never optimised away.
  if (n != 0) explicit_bzero(p, n);
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff = diff | static_cast<uint8_t>(a[i] ^ b[i]);
  return diff == 0;
}

Secret::Secret(std::span<const uint8_t> bytes) : len_(std::min(bytes.size(), kCapacity)) {
  std::copy_n(bytes.begin(), len_, buf_.begin());
}

Secret::Secret(Secret&& other) noexcept : buf_(other.buf_), len_(other.len_) {
  secure_wipe(other.buf_.data(), other.buf_.size());
  other.len_ = 0;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    buf_ = other.buf_;
    len_ = other.len_;
    secure_wipe(other.buf_.data(), other.buf_.size());
    other.len_ = 0;
  }
  return *this;
}

SecretVector& SecretVector::operator=(SecretVector&& other) noexcept {
  if (this != &other) {
    secure_wipe(v_.data(), v_.size());
    v_ = std::move(other.v_);
  }
  return *this;
}

}  // namespace bastion
