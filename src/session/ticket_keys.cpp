#include "session/ticket_keys.hpp"

#include <string_view>

#include "core/writer.hpp"

namespace bastion::session {
namespace {

constexpr crypto::HashAlg kHash = crypto::HashAlg::sha256;
constexpr crypto::AeadAlg kAead = crypto::AeadAlg::aes_256_gcm;
constexpr std::string_view kSalt = "bastion tls13 ticket keys v1";

crypto::Bytes as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// HKDF-Expand info: a label and the epoch, big-endian.
std::vector<uint8_t> info(std::string_view label, uint64_t epoch) {
  std::vector<uint8_t> out(label.begin(), label.end());
  Writer(out).u64(epoch);
  return out;
}

}  // namespace

Result<std::unique_ptr<const TicketKeys>> TicketKeys::create(
    std::shared_ptr<const crypto::Provider> provider, crypto::Bytes secret,
    std::chrono::seconds period) {
  if (period.count() < 1) {
    return Error{ErrorCode::invalid_config, "ticket key period must be at least one second"};
  }
  if (!secret.empty() && secret.size() < kMinSecret) {
    return Error{ErrorCode::invalid_config, "ticket secret must be at least 32 bytes"};
  }
  SecretVector ikm(secret.empty() ? kMinSecret : secret.size());
  if (secret.empty()) {
    provider->random(ikm.mutable_span());
  } else {
    std::copy(secret.begin(), secret.end(), ikm.mutable_span().begin());
  }
  Secret prk(crypto::hash_length(kHash));
  provider->hkdf_extract(kHash, as_bytes(kSalt), ikm.span(), prk.mutable_span());
  return std::unique_ptr<const TicketKeys>(
      new TicketKeys(std::move(provider), std::move(prk), period));
}

uint64_t TicketKeys::epoch_at(std::chrono::system_clock::time_point now) const {
  auto since = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return since < 0 ? 0 : static_cast<uint64_t>(since) / static_cast<uint64_t>(period_.count());
}

TicketKeys::EpochKey TicketKeys::derive(uint64_t epoch) const {
  EpochKey k;
  k.key = Secret(crypto::aead_key_length(kAead));
  provider_->hkdf_expand(kHash, prk_.span(), info("key", epoch), k.key.mutable_span());
  provider_->hkdf_expand(kHash, prk_.span(), info("name", epoch), k.name);
  return k;
}

Result<std::vector<uint8_t>> TicketKeys::seal(const TicketContents& contents,
                                              std::chrono::system_clock::time_point now) const {
  const EpochKey k = derive(epoch_at(now));
  std::vector<uint8_t> ticket(k.name.begin(), k.name.end());
  ticket.resize(kNameLength + crypto::kAeadNonceLength);
  auto nonce = std::span(ticket).subspan(kNameLength);
  provider_->random(nonce);
  const size_t header = ticket.size();
  contents.encode(ticket);
  const size_t plaintext = ticket.size() - header;
  if (plaintext > kMaxTicketPlaintext) {
    secure_wipe(ticket.data(), ticket.size());
    return Error{ErrorCode::message_too_large, "ticket contents too large"};
  }
  ticket.resize(ticket.size() + crypto::kAeadTagLength);
  auto aead = provider_->new_aead(kAead, k.key.span());
  std::span<uint8_t> all(ticket);
  if (!aead ||
      !(*aead)->seal(all.subspan(kNameLength, crypto::kAeadNonceLength), all.first(kNameLength),
                     all.subspan(header, plaintext), all.last(crypto::kAeadTagLength))) {
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
  const auto name = ticket.first(kNameLength);
  const uint64_t epoch = epoch_at(now);
  std::optional<EpochKey> key;
  for (uint64_t e : {epoch, epoch - 1}) {
    if (e > epoch) continue;  // no epoch before the first
    EpochKey k = derive(e);
    if (std::equal(name.begin(), name.end(), k.name.begin())) {
      key = std::move(k);
      break;
    }
  }
  if (!key) return std::nullopt;
  auto aead = provider_->new_aead(kAead, key->key.span());
  if (!aead) return std::nullopt;
  const size_t header = kNameLength + crypto::kAeadNonceLength;
  SecretVector plaintext(ticket.subspan(header, ticket.size() - header - crypto::kAeadTagLength));
  if (!(*aead)->open(ticket.subspan(kNameLength, crypto::kAeadNonceLength), name,
                     plaintext.mutable_span(), ticket.last(crypto::kAeadTagLength))) {
    return std::nullopt;
  }
  auto contents = TicketContents::decode(plaintext.span());
  if (!contents || contents->expired(now)) return std::nullopt;
  return std::move(contents).value();
}

}  // namespace bastion::session
