#include "msgs/handshake.hpp"

#include "core/writer.hpp"

namespace bastion::msgs {
namespace {

uint32_t read_u24(const std::vector<uint8_t>& buf, size_t at) {
  return (uint32_t{buf[at]} << 16) | (uint32_t{buf[at + 1]} << 8) | uint32_t{buf[at + 2]};
}

}  // namespace

Result<std::vector<uint8_t>> encode_handshake(HandshakeType type, Bytes body) {
  std::vector<uint8_t> out;
  out.reserve(kHandshakeHeaderSize + body.size());
  Writer w(out);
  w.u8(static_cast<uint8_t>(type));
  w.vec(3, body);
  return w.finish();
}

Result<HandshakeMessage> decode_handshake(Bytes framed, size_t max_body) {
  Reader r(framed);
  uint8_t type = 0;
  uint32_t length = 0;
  if (!r.u8(type) || !r.u24(length)) {
    return Error{ErrorCode::decode_error, "truncated handshake header"};
  }
  if (length > max_body) {
    return Error{ErrorCode::message_too_large, "handshake message over the size limit"};
  }
  if (r.remaining() < length) return Error{ErrorCode::decode_error, "truncated handshake message"};
  if (r.remaining() > length) {
    return Error{ErrorCode::trailing_data, "trailing bytes after handshake message"};
  }
  return HandshakeMessage{static_cast<HandshakeType>(type),
                          std::vector<uint8_t>(framed.begin(), framed.end())};
}

Result<void> HandshakeReassembler::push(Bytes fragment) {
  if (failed_) return *failed_;
  if (fragment.empty()) {
    // RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types".
    failed_ = Error{ErrorCode::empty_record, "zero-length handshake fragment"};
    return *failed_;
  }
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
    checked_ = 0;
  } else if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    checked_ -= pos_;
    pos_ = 0;
  }
  buf_.insert(buf_.end(), fragment.begin(), fragment.end());

  // Walk the complete messages, and check the length of the incomplete one as soon as its header
  // is in, so an oversized message is refused before its body is buffered.
  while (checked_ + kHandshakeHeaderSize <= buf_.size()) {
    uint32_t length = read_u24(buf_, checked_ + 1);
    const bool client_hello = buf_[checked_] == static_cast<uint8_t>(HandshakeType::client_hello);
    if (length > (client_hello ? max_client_hello_ : max_body_)) {
      failed_ = Error{ErrorCode::message_too_large, "handshake message over the size limit"};
      return *failed_;
    }
    if (buf_.size() - checked_ - kHandshakeHeaderSize < length) break;
    checked_ += kHandshakeHeaderSize + length;
  }
  return {};
}

std::optional<HandshakeMessage> HandshakeReassembler::next() {
  if (failed_ || pos_ >= checked_) return std::nullopt;
  uint32_t length = read_u24(buf_, pos_ + 1);
  size_t end = pos_ + kHandshakeHeaderSize + length;
  HandshakeMessage message{static_cast<HandshakeType>(buf_[pos_]),
                           std::vector<uint8_t>(buf_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                                buf_.begin() + static_cast<std::ptrdiff_t>(end))};
  pos_ = end;
  return message;
}

bool HandshakeReassembler::has_partial() const {
  return checked_ < buf_.size();
}

}  // namespace bastion::msgs
