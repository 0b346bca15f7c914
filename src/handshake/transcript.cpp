#include "handshake/transcript.hpp"

#include "core/wire.hpp"

namespace bastion::handshake {

Transcript::Transcript(const crypto::Provider& provider, crypto::HashAlg hash)
    : provider_(&provider), ctx_(provider.new_hash(hash)) {}

void Transcript::add(crypto::Bytes message) {
  if (ctx_) ctx_->update(message);
  if (!ctx_ || keep_) buffered_.insert(buffered_.end(), message.begin(), message.end());
  ++messages_;
}

void Transcript::keep_messages() {
  keep_ = true;
}

Result<void> Transcript::set_hash(crypto::HashAlg hash) {
  if (ctx_) {
    if (ctx_->alg() == hash) return {};
    return Error{ErrorCode::internal_error, "transcript hash changed"};
  }
  ctx_ = provider_->new_hash(hash);
  ctx_->update(buffered_);
  if (!keep_) {
    buffered_.clear();
    buffered_.shrink_to_fit();
  }
  return {};
}

std::optional<crypto::HashAlg> Transcript::hash() const {
  if (!ctx_) return std::nullopt;
  return ctx_->alg();
}

Result<void> Transcript::replace_client_hello_with_message_hash() {
  if (!ctx_ || messages_ != 1) {
    return Error{ErrorCode::internal_error, "message_hash needs exactly ClientHello1, hashed"};
  }
  const Digest client_hello1 = current_hash();
  ctx_ = provider_->new_hash(ctx_->alg());
  messages_ = 0;
  return start_with_client_hello_hash(client_hello1.span());
}

Result<void> Transcript::start_with_client_hello_hash(crypto::Bytes client_hello1_hash) {
  if (!ctx_ || messages_ != 0 || client_hello1_hash.size() != crypto::hash_length(ctx_->alg())) {
    return Error{ErrorCode::internal_error, "message_hash needs an empty, hashed transcript"};
  }
  // RFC 8446 §4.4.1: Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) || ...).
  const uint8_t header[4] = {static_cast<uint8_t>(HandshakeType::message_hash), 0, 0,
                             static_cast<uint8_t>(client_hello1_hash.size())};
  ctx_->update(header);
  ctx_->update(client_hello1_hash);
  ++messages_;
  return {};
}

Digest Transcript::current_hash() const {
  Digest d;
  if (!ctx_) return d;
  d.length = crypto::hash_length(ctx_->alg());
  ctx_->digest(std::span<uint8_t>(d.bytes.data(), d.length));
  return d;
}

Digest Transcript::hash_with(crypto::HashAlg hash, crypto::Bytes extra) const {
  Digest d;
  std::unique_ptr<crypto::HashContext> ctx;
  if (ctx_) {
    if (ctx_->alg() != hash) return d;
    ctx = ctx_->clone();
  } else {
    ctx = provider_->new_hash(hash);
    ctx->update(buffered_);
  }
  ctx->update(extra);
  d.length = crypto::hash_length(hash);
  ctx->digest(std::span<uint8_t>(d.bytes.data(), d.length));
  return d;
}

}  // namespace bastion::handshake
