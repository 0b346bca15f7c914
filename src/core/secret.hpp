// Secrets that wipe themselves: fixed capacity, no implicit copies.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bastion {

// Overwrites memory in a way the compiler may not elide.
void secure_wipe(void* p, size_t n);
// Compares in time that depends only on the lengths.
bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b);

// Up to 64 bytes of key material (a hash output, a traffic secret, a key, an IV).
class Secret {
 public:
  static constexpr size_t kCapacity = 64;

  Secret() = default;
  explicit Secret(std::span<const uint8_t> bytes);
  explicit Secret(size_t len) : len_(len <= kCapacity ? len : kCapacity) {}
  ~Secret() { secure_wipe(buf_.data(), buf_.size()); }
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret clone() const { return Secret(span()); }

  std::span<const uint8_t> span() const { return {buf_.data(), len_}; }
  std::span<uint8_t> mutable_span() { return {buf_.data(), len_}; }
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }

 private:
  std::array<uint8_t, kCapacity> buf_{};
  size_t len_ = 0;
};

// A heap buffer of secret bytes of any length, wiped when freed.
class SecretVector {
 public:
  SecretVector() = default;
  explicit SecretVector(std::span<const uint8_t> bytes) : v_(bytes.begin(), bytes.end()) {}
  explicit SecretVector(size_t len) : v_(len) {}
  ~SecretVector() { secure_wipe(v_.data(), v_.size()); }
  SecretVector(SecretVector&&) noexcept = default;
  SecretVector& operator=(SecretVector&& other) noexcept;
  SecretVector(const SecretVector&) = delete;
  SecretVector& operator=(const SecretVector&) = delete;

  std::span<const uint8_t> span() const { return v_; }
  std::span<uint8_t> mutable_span() { return v_; }
  size_t size() const { return v_.size(); }

 private:
  std::vector<uint8_t> v_;
};

}  // namespace bastion
