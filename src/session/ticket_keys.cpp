#include "session/ticket_keys.hpp"

#include <string_view>

#include "core/writer.hpp"

namespace bastion::session {
namespace {

constexpr crypto::HashAlg kHash = crypto::HashAlg::sha256;
constexpr crypto::AeadAlg kAead = crypto::AeadAlg::aes_256_gcm;
constexpr std::string_view kSalt = "bastion tls13 ticket keys v2";

crypto::Bytes as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// HKDF-Expand info: a label, the period and the epoch (big-endian), and the server's context.
std::vector<uint8_t> info(std::string_view label, std::chrono::seconds period, uint64_t epoch,
                          const TicketKeys::Context& context) {
  std::vector<uint8_t> out(label.begin(), label.end());
  Writer w(out);
  w.u64(static_cast<uint64_t>(period.count()));
  w.u64(epoch);
  w.bytes(context);
  return out;
}

uint64_t read_u64(crypto::Bytes b) {
  uint64_t v = 0;
  for (uint8_t byte : b.first(8)) v = (v << 8) | byte;
  return v;
}

}  // namespace

Result<std::unique_ptr<const TicketKeys>> TicketKeys::create(
    std::shared_ptr<const crypto::Provider> provider, crypto::Bytes secret,
    std::chrono::seconds lifetime, std::chrono::seconds period, const Context& context) {
  if (period.count() < 1 || lifetime.count() < 1) {
    return Error{ErrorCode::invalid_config,
                 "ticket lifetime and key period must be at least one second"};
  }
  if (!secret.empty() && secret.size() < kMinSecret) {
    return Error{ErrorCode::invalid_config, "ticket secret must be at least 32 bytes"};
  }
  Secret prk;
  if (!secret.empty()) {
    prk = Secret(crypto::hash_length(kHash));
    provider->hkdf_extract(kHash, as_bytes(kSalt), secret, prk.mutable_span());
  }
  const uint64_t max_age =
      static_cast<uint64_t>((lifetime.count() + period.count() - 1) / period.count());
  return std::unique_ptr<const TicketKeys>(
      new TicketKeys(std::move(provider), std::move(prk), period, max_age, context));
}

uint64_t TicketKeys::epoch_at(std::chrono::system_clock::time_point now) const {
  auto since = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return since < 0 ? 0 : static_cast<uint64_t>(since) / static_cast<uint64_t>(period_.count());
}

TicketKeys::EpochKey TicketKeys::derive(uint64_t epoch) const {
  EpochKey k;
  k.key = Secret(crypto::aead_key_length(kAead));
  provider_->hkdf_expand(kHash, prk_.span(), info("key", period_, epoch, context_),
                         k.key.mutable_span());
  provider_->hkdf_expand(kHash, prk_.span(), info("name", period_, epoch, context_), k.name);
  return k;
}

std::optional<TicketKeys::EpochKey> TicketKeys::key_for(uint64_t epoch, uint64_t current,
                                                        bool create) const {
  if (prk_.empty()) return random_key_for(epoch, current, create);
  const std::lock_guard lock(cache_mutex_);
  CachedKey* oldest = &cache_[0];
  for (CachedKey& slot : cache_) {
    if (!slot.key.key.empty() && slot.epoch == epoch) {
      return EpochKey{slot.key.name, slot.key.key.clone()};
    }
    if (slot.key.key.empty() || (!oldest->key.key.empty() && slot.epoch < oldest->epoch)) {
      oldest = &slot;
    }
  }
  // Rotation: the new epoch's key replaces (and so wipes) an unused slot or the older epoch's.
  *oldest = CachedKey{epoch, derive(epoch)};
  return EpochKey{oldest->key.name, oldest->key.key.clone()};
}

std::optional<TicketKeys::EpochKey> TicketKeys::random_key_for(uint64_t epoch, uint64_t current,
                                                               bool create) const {
  const std::lock_guard lock(cache_mutex_);
  // Keys no ticket may be opened with any more are wiped (Secret's destructor) and forgotten.
  while (!random_keys_.empty() && random_keys_.begin()->first + max_age_ < current) {
    random_keys_.erase(random_keys_.begin());
  }
  auto it = random_keys_.find(epoch);
  if (it == random_keys_.end()) {
    if (!create) return std::nullopt;
    EpochKey k;
    k.key = Secret(crypto::aead_key_length(kAead));
    provider_->random(k.key.mutable_span());
    provider_->random(k.name);
    it = random_keys_.emplace(epoch, std::move(k)).first;
  }
  return EpochKey{it->second.name, it->second.key.clone()};
}

Result<std::vector<uint8_t>> TicketKeys::seal(const TicketContents& contents,
                                              std::chrono::system_clock::time_point now) const {
  const size_t plaintext = contents.encoded_size();
  if (plaintext > kMaxTicketPlaintext) {
    return Error{ErrorCode::message_too_large, "ticket contents too large"};
  }
  const uint64_t epoch = epoch_at(now);
  const auto k = key_for(epoch, epoch, true);
  if (!k) return Error{ErrorCode::crypto_failure, "no ticket key"};
  std::vector<uint8_t> ticket;
  // The whole ticket is reserved first: the vector must not reallocate (leaving an unwiped
  // copy of the PSK behind) once the contents are in it.
  ticket.reserve(kOverhead + plaintext);
  Writer(ticket).u64(epoch);
  ticket.insert(ticket.end(), k->name.begin(), k->name.end());
  ticket.resize(kHeaderLength);
  std::span<uint8_t> header(ticket);
  provider_->random(header.subspan(kEpochLength + kNameLength));
  if (auto encoded = contents.encode(ticket); !encoded) {
    secure_wipe(ticket.data(), ticket.size());
    return std::move(encoded).error();
  }
  ticket.resize(kHeaderLength + plaintext + crypto::kAeadTagLength);
  auto aead = provider_->new_aead(kAead, k->key.span());
  std::span<uint8_t> all(ticket);
  if (!aead ||
      !(*aead)->seal(all.subspan(kEpochLength + kNameLength, crypto::kAeadNonceLength),
                     all.first(kEpochLength + kNameLength), all.subspan(kHeaderLength, plaintext),
                     all.last(crypto::kAeadTagLength))) {
    secure_wipe(ticket.data(), ticket.size());
    return Error{ErrorCode::crypto_failure, "ticket sealing failed"};
  }
  return ticket;
}

std::optional<TicketContents> TicketKeys::open(crypto::Bytes ticket,
                                               std::chrono::system_clock::time_point now) const {
  if (ticket.size() <= kOverhead || ticket.size() > kOverhead + kMaxTicketPlaintext) {
    return std::nullopt;
  }
  // Only the named epoch's key is tried, and only when a ticket sealed then may still live.
  const uint64_t epoch = read_u64(ticket);
  const uint64_t current = epoch_at(now);
  if (epoch > current || current - epoch > max_age_) return std::nullopt;
  const auto key = key_for(epoch, current, false);
  if (!key) return std::nullopt;
  const auto name = ticket.subspan(kEpochLength, kNameLength);
  if (!std::equal(name.begin(), name.end(), key->name.begin())) return std::nullopt;
  auto aead = provider_->new_aead(kAead, key->key.span());
  if (!aead) return std::nullopt;
  SecretVector plaintext(
      ticket.subspan(kHeaderLength, ticket.size() - kHeaderLength - crypto::kAeadTagLength));
  if (!(*aead)->open(ticket.subspan(kEpochLength + kNameLength, crypto::kAeadNonceLength),
                     ticket.first(kEpochLength + kNameLength), plaintext.mutable_span(),
                     ticket.last(crypto::kAeadTagLength))) {
    return std::nullopt;
  }
  auto contents = TicketContents::decode(plaintext.span());
  if (!contents || contents->expired(now)) return std::nullopt;
  return std::move(contents).value();
}

}  // namespace bastion::session
