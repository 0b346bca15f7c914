#include "handshake/hello_retry.hpp"

#include <algorithm>

#include "core/writer.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {
namespace {

// What a retried ClientHello may change (RFC 8446 §4.1.2).
bool may_change(ExtensionType type) {
  return type == ExtensionType::key_share || type == ExtensionType::early_data ||
         type == ExtensionType::cookie || type == ExtensionType::pre_shared_key ||
         type == ExtensionType::padding;
}

}  // namespace

std::array<uint8_t, 32> client_hello_invariants(const crypto::Provider& provider,
                                                const msgs::ClientHello& hello) {
  std::vector<const msgs::Extension*> kept;
  for (const auto& e : hello.extensions) {
    if (!may_change(e.type)) kept.push_back(&e);
  }
  // Types are unique in a block (duplicate_extension otherwise), so the order is total.
  std::sort(kept.begin(), kept.end(),
            [](const msgs::Extension* a, const msgs::Extension* b) { return a->type < b->type; });
  auto hash = provider.new_hash(crypto::HashAlg::sha256);
  std::vector<uint8_t> fields;
  Writer w(fields);
  w.u16(static_cast<uint16_t>(hello.legacy_version));
  w.bytes(hello.random);
  w.vec(1, hello.legacy_session_id);
  w.vec(2, [&] {
    for (CipherSuite s : hello.cipher_suites) w.u16(static_cast<uint16_t>(s));
  });
  w.vec(1, hello.legacy_compression_methods);
  w.u16(static_cast<uint16_t>(kept.size()));
  hash->update(fields);
  for (const msgs::Extension* e : kept) {
    // Type and length frame each one, so that no two blocks digest alike.
    const uint8_t head[] = {
        static_cast<uint8_t>(static_cast<uint16_t>(e->type) >> 8), static_cast<uint8_t>(e->type),
        static_cast<uint8_t>(e->data.size() >> 8), static_cast<uint8_t>(e->data.size())};
    hash->update(head);
    hash->update(e->data);
  }
  std::array<uint8_t, 32> digest{};
  hash->digest(digest);
  return digest;
}

Result<std::vector<uint8_t>> encode_hello_retry_request(const std::vector<uint8_t>& session_id,
                                                        CipherSuite suite, NamedGroup group,
                                                        const std::vector<uint8_t>& cookie) {
  msgs::ServerHello hrr;
  hrr.random = msgs::kHelloRetryRequestRandom;
  hrr.legacy_session_id_echo = session_id;
  hrr.cipher_suite = suite;
  msgs::ExtensionAppender add(hrr.extensions);
  add.add(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13});
  add.add(msgs::KeyShareHelloRetryRequest{group});
  if (!cookie.empty()) add.add(msgs::Cookie{cookie});
  if (auto ok = add.status(); !ok) return std::move(ok).error();
  return msgs::encode_message(hrr);
}

Result<Transcript> retry_transcript(const crypto::Provider& provider, crypto::HashAlg hash,
                                    crypto::Bytes client_hello1_hash,
                                    crypto::Bytes hello_retry_request) {
  Transcript transcript(provider, hash);
  if (auto ok = transcript.start_with_client_hello_hash(client_hello1_hash); !ok) {
    return std::move(ok).error();
  }
  transcript.add(hello_retry_request);
  return transcript;
}

}  // namespace bastion::handshake
