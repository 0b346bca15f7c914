// Handshake message framing (RFC 8446 §4): the 4-byte header, and reassembly of messages from
// handshake record fragments (RFC 8446 §5.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

inline constexpr size_t kHandshakeHeaderSize = 4;  // msg_type(1) + length(3)

// The full handshake message: header then body (internal_error for a body over 2^24 - 1).
Result<std::vector<uint8_t>> encode_handshake(HandshakeType type, Bytes body);

// Frames any message struct M that has `static constexpr HandshakeType kType` and `encode()`.
// Fails with internal_error when a field is too long for its length prefix.
template <class M>
Result<std::vector<uint8_t>> encode_message(const M& message) {
  auto body = message.encode();
  if (!body) return std::move(body).error();
  return encode_handshake(M::kType, *body);
}

// One complete handshake message. `raw` holds header and body, as the transcript needs them.
struct HandshakeMessage {
  HandshakeType type = HandshakeType::hello_request;
  std::vector<uint8_t> raw;

  // A view into `raw`: valid while `raw` is neither changed nor destroyed.
  Bytes body() const { return Bytes(raw).subspan(kHandshakeHeaderSize); }
};

// Parses one whole framed message (header + body, nothing after it).
Result<HandshakeMessage> decode_handshake(Bytes framed,
                                          size_t max_body = limits::kMaxHandshakeMessage);

// Collects handshake record fragments and yields whole messages: a message may span records and
// a record may hold several messages. Every announced length is checked against the bound as
// soon as its header is complete (message_too_large); a ClientHello has its own bound (a server
// reads one as large as the RFC allows, limits::kMaxClientHello).
class HandshakeReassembler {
 public:
  explicit HandshakeReassembler(size_t max_body = limits::kMaxHandshakeMessage,
                                size_t max_client_hello = limits::kMaxHandshakeMessage)
      : max_body_(max_body), max_client_hello_(max_client_hello) {}

  // Appends the plaintext of one handshake record. RFC 8446 §5.1: zero-length handshake
  // fragments are not allowed (empty_record). After an error the reassembler stays failed.
  [[nodiscard]] Result<void> push(Bytes fragment);

  // The next complete message, in order, or nullopt if none is complete yet.
  std::optional<HandshakeMessage> next();

  // Bytes of an incomplete message are buffered (header or body not all received).
  // RFC 8446 §5.1: a key change with this true is an unexpected_message.
  bool has_partial() const;
  // Anything at all is buffered (complete messages not yet taken, or a partial one). Check this
  // after the last message before a key change: those messages must end on a record boundary.
  bool has_buffered() const { return pos_ < buf_.size(); }
  size_t buffered_size() const { return buf_.size() - pos_; }

 private:
  size_t max_body_;
  size_t max_client_hello_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;      // start of the first message not yet handed out
  size_t checked_ = 0;  // end of the complete messages found so far (all length-checked)
  std::optional<Error> failed_;
};

}  // namespace bastion::msgs
