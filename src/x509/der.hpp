// A strict DER reader (X.690 §10): definite lengths in their shortest form, low tag numbers
// only, bounded nesting. A failed read leaves the reader unchanged and returns false.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace bastion::x509::der {

using Bytes = std::span<const uint8_t>;

inline constexpr uint8_t kBoolean = 0x01;
inline constexpr uint8_t kInteger = 0x02;
inline constexpr uint8_t kBitString = 0x03;
inline constexpr uint8_t kOctetString = 0x04;
inline constexpr uint8_t kNull = 0x05;
inline constexpr uint8_t kOid = 0x06;
inline constexpr uint8_t kUtf8String = 0x0c;
inline constexpr uint8_t kPrintableString = 0x13;
inline constexpr uint8_t kTeletexString = 0x14;
inline constexpr uint8_t kIa5String = 0x16;
inline constexpr uint8_t kUtcTime = 0x17;
inline constexpr uint8_t kGeneralizedTime = 0x18;
inline constexpr uint8_t kUniversalString = 0x1c;
inline constexpr uint8_t kBmpString = 0x1e;
inline constexpr uint8_t kSequence = 0x30;
inline constexpr uint8_t kSet = 0x31;

constexpr uint8_t context_specific(uint8_t number) {
  return 0x80 | number;
}
constexpr uint8_t context_constructed(uint8_t number) {
  return 0xa0 | number;
}

// Nesting deeper than this is refused: X.509 needs far less, and hostile input cannot make
// a recursive consumer overflow its stack.
inline constexpr int kMaxDepth = 24;

class Reader {
 public:
  explicit Reader(Bytes data, int depth = 0) : data_(data), depth_(depth) {}

  bool empty() const { return data_.empty(); }
  int depth() const { return depth_; }
  // True when the next element has this tag (without reading it).
  bool peek(uint8_t tag) const { return !data_.empty() && data_[0] == tag; }

  // Reads the next element of any tag: its contents and, optionally, the whole TLV.
  [[nodiscard]] bool read_any(uint8_t& tag, Bytes& contents, Bytes* whole = nullptr);
  // Reads the next element, which must have `tag`.
  [[nodiscard]] bool read(uint8_t tag, Bytes& contents);
  [[nodiscard]] bool read_tlv(uint8_t tag, Bytes& whole);
  // Reads an element with `tag` when it is next; succeeds with nullopt when it is not.
  [[nodiscard]] bool read_optional(uint8_t tag, std::optional<Bytes>& contents);
  // Enters a constructed element with `tag`: `inner` reads its contents one level deeper.
  [[nodiscard]] bool enter(uint8_t tag, Reader& inner);

 private:
  Bytes data_;
  int depth_ = 0;
};

// Contents decoders. Each refuses non-DER forms.
std::optional<bool> decode_boolean(Bytes contents);  // 0x00 or 0xff only
// A non-negative INTEGER that fits in 64 bits, minimally encoded.
std::optional<uint64_t> decode_uint(Bytes contents);
// Any INTEGER, checked for minimal encoding only.
bool is_valid_integer(Bytes contents);
// A BIT STRING: the bits (unused bits must be zero, as DER requires).
struct BitString {
  Bytes bytes;
  uint8_t unused_bits = 0;
};
std::optional<BitString> decode_bit_string(Bytes contents);
// OID contents: non-empty, each arc minimally encoded, last byte ends an arc.
bool is_valid_oid(Bytes contents);
// RFC 5280 §4.1.2.5.1 UTCTime (YYMMDDHHMMSSZ) and §4.1.2.5.2 GeneralizedTime
// (YYYYMMDDHHMMSSZ), in seconds since the Unix epoch.
std::optional<int64_t> decode_time(uint8_t tag, Bytes contents);

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
// "2026-11-23T18:00:00Z"
std::string format_time(int64_t seconds);

}  // namespace bastion::x509::der
