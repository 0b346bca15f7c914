// The record layer. Input: a mode byte, then a stream of records.
//   mode % 7 == 0: plaintext records; handshake fragments go through the reassembler and
//                  every whole message through decode_handshake.
//   mode % 7 == 1..6: protected records, opened with fixed keys (record_keys.hpp): the TLS 1.3
//                  suites for 1..3, TLS 1.2 ones for 4..6; opened handshake content is
//                  reassembled.
#include <array>
#include <vector>

#include "crypto/provider.hpp"
#include "handshake/cipher_suite.hpp"
#include "msgs/handshake.hpp"
#include "record/deframer.hpp"
#include "record/protector.hpp"
#include "record_keys.hpp"

namespace {

using namespace bastion;

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
  const unsigned mode = data[0] % fuzz::kRecordModes;
  std::vector<uint8_t> buffer(data + 1, data + size);
  std::optional<record::RecordProtector> opener;
  if (auto protection = fuzz::record_protection(provider(), mode)) {
    auto p = record::RecordProtector::create(provider(), record::Direction::open,
                                             std::move(*protection));
    if (!p) __builtin_trap();
    opener.emplace(std::move(p).value());
  }
  // TLS 1.2 protects every type, up to 2^14 + 2048 bytes each.
  record::Deframer deframer = mode >= 4 ? record::Deframer(record::DeframerLimits{
                                              limits::kMaxCiphertext12, limits::kMaxCiphertext12})
                                        : record::Deframer();
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
