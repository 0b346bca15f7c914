#include "handshake/prf.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace bastion::handshake {
namespace {

crypto::Bytes bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

record::Protection protection(const CipherSuiteInfo& suite, crypto::Bytes key, crypto::Bytes iv) {
  record::Protection p;
  p.aead = suite.aead;
  p.version = record::RecordVersion::tls12;
  // RFC 5288 §3 (AES-GCM): a 4-byte salt and an explicit nonce; RFC 7905 §2 (ChaCha20): a
  // 12-byte IV XORed with the sequence number.
  p.nonce = suite.aead == crypto::AeadAlg::chacha20_poly1305 ? record::NonceRule::xor_sequence
                                                             : record::NonceRule::explicit_sequence;
  p.key = Secret(key);
  p.iv = Secret(iv);
  return p;
}

}  // namespace

void prf(const crypto::Provider& provider, crypto::HashAlg hash, crypto::Bytes secret,
         std::string_view label, std::span<const crypto::Bytes> seed, crypto::MutableBytes out) {
  // RFC 5246 §5: P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed)
  // + ..., A(0) = seed, A(i) = HMAC(secret, A(i-1)); here seed = label + seed.
  const auto hmac = provider.new_hmac(hash, secret);
  const size_t n = crypto::hash_length(hash);
  std::array<uint8_t, 64> a{};
  std::array<uint8_t, 64> block{};
  std::vector<crypto::Bytes> parts;
  parts.reserve(seed.size() + 2);
  // A(1) = HMAC(secret, label + seed).
  parts.push_back(bytes_of(label));
  parts.insert(parts.end(), seed.begin(), seed.end());
  hmac->mac(parts, std::span(a).first(n));
  parts.insert(parts.begin(), crypto::Bytes(a.data(), n));
  size_t done = 0;
  while (done < out.size()) {
    hmac->mac(parts, std::span(block).first(n));
    const size_t take = std::min(n, out.size() - done);
    std::copy_n(block.begin(), take, out.begin() + static_cast<std::ptrdiff_t>(done));
    done += take;
    if (done < out.size()) {
      // A(i+1) = HMAC(secret, A(i)), through `block` (already copied out) to avoid aliasing.
      const crypto::Bytes previous(a.data(), n);
      hmac->mac(std::span(&previous, 1), std::span(block).first(n));
      std::copy_n(block.begin(), n, a.begin());
    }
  }
  secure_wipe(a.data(), a.size());
  secure_wipe(block.data(), block.size());
}

Secret master_secret(const crypto::Provider& provider, crypto::HashAlg hash,
                     crypto::Bytes pre_master, crypto::Bytes client_random,
                     crypto::Bytes server_random) {
  Secret out(kMasterSecretLength);
  const std::array<crypto::Bytes, 2> seed{client_random, server_random};
  prf(provider, hash, pre_master, "master secret", seed, out.mutable_span());
  return out;
}

Secret extended_master_secret(const crypto::Provider& provider, crypto::HashAlg hash,
                              crypto::Bytes pre_master, crypto::Bytes session_hash) {
  Secret out(kMasterSecretLength);
  const std::array<crypto::Bytes, 1> seed{session_hash};
  prf(provider, hash, pre_master, "extended master secret", seed, out.mutable_span());
  return out;
}

KeyBlock key_block(const crypto::Provider& provider, const CipherSuiteInfo& suite,
                   const Secret& master, crypto::Bytes client_random, crypto::Bytes server_random) {
  const size_t key = crypto::aead_key_length(suite.aead);
  const size_t iv = suite.aead == crypto::AeadAlg::chacha20_poly1305 ? 12 : 4;
  std::array<uint8_t, 2 * 32 + 2 * 12> block{};
  const auto used = std::span(block).first(2 * key + 2 * iv);
  const std::array<crypto::Bytes, 2> seed{server_random, client_random};
  prf(provider, suite.hash, master.span(), "key expansion", seed, used);
  // RFC 5246 §6.3: client_write_key, server_write_key, client_write_IV, server_write_IV.
  KeyBlock keys{protection(suite, used.subspan(0, key), used.subspan(2 * key, iv)),
                protection(suite, used.subspan(key, key), used.subspan(2 * key + iv, iv))};
  secure_wipe(block.data(), block.size());
  return keys;
}

Secret verify_data12(const crypto::Provider& provider, crypto::HashAlg hash, const Secret& master,
                     FinishedBy sender, crypto::Bytes transcript_hash) {
  Secret out(kVerifyDataLength12);
  const std::array<crypto::Bytes, 1> seed{transcript_hash};
  prf(provider, hash, master.span(),
      sender == FinishedBy::client ? "client finished" : "server finished", seed,
      out.mutable_span());
  return out;
}

Result<FinishedVerified> verify_finished12(const crypto::Provider& provider, crypto::HashAlg hash,
                                           const Secret& master, bool from_client,
                                           crypto::Bytes transcript_hash, crypto::Bytes received) {
  const Secret expected =
      verify_data12(provider, hash, master, from_client ? FinishedBy::client : FinishedBy::server,
                    transcript_hash);
  if (!constant_time_equal(expected.span(), received)) {
    return Error{ErrorCode::bad_finished,
                 std::string(from_client ? "client" : "server") + " Finished does not verify"};
  }
  return FinishedVerified{};
}

Result<void> export_keying_material12(const crypto::Provider& provider, crypto::HashAlg hash,
                                      const Secret& master, std::string_view label,
                                      crypto::Bytes client_random, crypto::Bytes server_random,
                                      const crypto::Bytes* context, crypto::MutableBytes out) {
  // RFC 5705 §4: labels the PRF already uses would give away handshake secrets.
  for (std::string_view reserved : {"client finished", "server finished", "master secret",
                                    "key expansion", "extended master secret"}) {
    if (label == reserved) return Error{ErrorCode::illegal_parameter, "reserved exporter label"};
  }
  std::array<uint8_t, 2> length{};
  std::vector<crypto::Bytes> seed{client_random, server_random};
  if (context) {
    // RFC 5705 §4: the context is at most 2^16 - 1 bytes, prefixed with its length.
    if (context->size() > 0xffff) {
      return Error{ErrorCode::illegal_parameter, "exporter context longer than 65535 bytes"};
    }
    length = {static_cast<uint8_t>(context->size() >> 8), static_cast<uint8_t>(context->size())};
    seed.push_back(length);
    seed.push_back(*context);
  }
  prf(provider, hash, master.span(), label, seed, out);
  return {};
}

}  // namespace bastion::handshake
