#include "session/retry_cookies.hpp"

#include <string_view>

#include "core/reader.hpp"
#include "core/writer.hpp"

namespace bastion::session {
namespace {

constexpr uint8_t kFormat = 1;
constexpr size_t kMacLength = 32;
constexpr crypto::HashAlg kHash = crypto::HashAlg::sha256;
constexpr std::string_view kSalt = "bastion tls13 hrr cookie key v1";

int64_t to_millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::unique_ptr<const RetryCookies> RetryCookies::create(
    std::shared_ptr<const crypto::Provider> provider, crypto::Bytes secret) {
  Secret key(crypto::hash_length(kHash));
  if (secret.empty()) {
    provider->random(key.mutable_span());
  } else {
    const crypto::Bytes salt(reinterpret_cast<const uint8_t*>(kSalt.data()), kSalt.size());
    provider->hkdf_extract(kHash, salt, secret, key.mutable_span());
  }
  return std::unique_ptr<const RetryCookies>(new RetryCookies(std::move(provider), std::move(key)));
}

std::array<uint8_t, 32> RetryCookies::mac(crypto::Bytes contents) const {
  std::array<uint8_t, kMacLength> out{};
  provider_->hmac(kHash, key_.span(), contents, out);
  return out;
}

std::vector<uint8_t> RetryCookies::seal(const RetryState& state,
                                        std::chrono::system_clock::time_point now) const {
  std::vector<uint8_t> cookie;
  Writer w(cookie);
  w.u8(kFormat);
  w.u64(static_cast<uint64_t>(to_millis(now)));
  w.u16(static_cast<uint16_t>(state.suite));
  w.u16(static_cast<uint16_t>(state.group));
  w.vec(1, state.client_hello_hash);
  w.bytes(state.invariants);
  const auto tag = mac(cookie);
  w.bytes(tag);
  return cookie;
}

std::optional<RetryState> RetryCookies::open(crypto::Bytes cookie,
                                             std::chrono::system_clock::time_point now) const {
  if (cookie.size() <= kMacLength) return std::nullopt;
  const auto contents = cookie.first(cookie.size() - kMacLength);
  const auto tag = mac(contents);
  if (!constant_time_equal(tag, cookie.last(kMacLength))) return std::nullopt;
  Reader r(contents);
  uint8_t format = 0;
  uint64_t issued = 0;
  uint16_t suite = 0, group = 0;
  Bytes hash, invariants;
  if (!r.u8(format) || format != kFormat || !r.u64(issued) || !r.u16(suite) || !r.u16(group) ||
      !r.vec(1, 1, 64, hash) || !r.bytes(32, invariants) || !r.empty()) {
    return std::nullopt;
  }
  // RFC 8446 §4.2.2 leaves the binding in time to the server: a cookie answers one
  // HelloRetryRequest, so it is short-lived.
  const int64_t age = to_millis(now) - static_cast<int64_t>(issued);
  if (age > std::chrono::milliseconds(kLifetime).count() ||
      -age > std::chrono::milliseconds(kClockSkew).count()) {
    return std::nullopt;
  }
  RetryState state;
  state.suite = static_cast<CipherSuite>(suite);
  state.group = static_cast<NamedGroup>(group);
  state.client_hello_hash.assign(hash.begin(), hash.end());
  std::copy(invariants.begin(), invariants.end(), state.invariants.begin());
  return state;
}

}  // namespace bastion::session
