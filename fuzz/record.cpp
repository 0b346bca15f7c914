// The record layer. Input: a mode byte, then a stream of records.
//   mode % 4 == 0: plaintext records; handshake fragments go through the reassembler and
//                  every whole message through decode_handshake.
//   mode % 4 == 1..3: protected records, opened with a fixed traffic secret under the suite
//                  kCipherSuites[mode % 4 - 1]; opened handshake content is reassembled.
#include <array>
#include <vector>

#include "crypto/provider.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/traffic_secret.hpp"
#include "msgs/handshake.hpp"
#include "record/deframer.hpp"
#include "record/protector.hpp"

namespace {

using namespace bastion;

// The traffic secret the corpus generator seals with.
constexpr std::array<uint8_t, 48> kTrafficSecret = {
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f};

const crypto::Provider& provider() {
  static const auto p = crypto::openssl_provider();
  return *p;
}

void drain(msgs::HandshakeReassembler& reassembler) {
  while (auto message = reassembler.next()) {
    auto decoded = msgs::decode_handshake(message->raw);
    if (!decoded) __builtin_trap();  // the reassembler only yields well-framed messages
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const unsigned mode = data[0] % 4;
  std::vector<uint8_t> buffer(data + 1, data + size);
  std::optional<record::RecordProtector> opener;
  if (mode != 0) {
    const auto& suite = handshake::kCipherSuites[mode - 1];
    Secret secret(std::span<const uint8_t>(kTrafficSecret).first(crypto::hash_length(suite.hash)));
    auto p = record::RecordProtector::create(
        provider(), record::Direction::open,
        handshake::tls13_keys(provider(), suite, secret).protection);
    if (!p) __builtin_trap();
    opener.emplace(std::move(p).value());
  }
  record::Deframer deframer;
  msgs::HandshakeReassembler reassembler;
  std::span<uint8_t> rest(buffer);
  while (true) {
    auto next = deframer.next(rest);
    if (!next || !next->record) break;
    record::RecordView rec = *next->record;
    if (rec.size() > rest.size() || rec.fragment.size() + 5 != rec.size()) __builtin_trap();
    rest = rest.subspan(rec.size());
    ContentType type = rec.type;
    std::span<uint8_t> content = rec.fragment;
    if (opener) {
      auto opened = opener->open(rec.bytes);
      if (!opened) continue;
      type = opened->type;
      content = opened->content;
    }
    if (type == ContentType::handshake) {
      if (!reassembler.push(content)) break;
      drain(reassembler);
    }
  }
  return 0;
}
