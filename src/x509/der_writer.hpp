// A DER writer (X.690 §10): definite lengths in their shortest form, minimal INTEGERs,
// BOOLEAN TRUE as 0xff, BIT STRINGs with zero unused bits, times in the forms RFC 5280
// §4.1.2.5 requires. The counterpart of der.hpp's Reader, for the certificates we issue.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "x509/der.hpp"
#include "x509/oids.hpp"

namespace bastion::x509::der {

// The length octets of a TLV (X.690 §10.1: short form below 128, else the fewest octets).
std::vector<uint8_t> encode_length(size_t length);

// OID contents octets (X.690 §8.19) from its arcs, e.g. {2, 5, 4, 3}; nullopt when there are
// fewer than two arcs, the first is above 2, or the second is above 39 under a first of 0 or 1.
std::optional<std::vector<uint8_t>> encode_oid(std::span<const uint64_t> arcs);
// The same from the dotted form ("2.5.4.3"); nullopt when it is not one.
std::optional<std::vector<uint8_t>> encode_oid(std::string_view dotted);

// Appends DER elements to a byte vector. Nested elements take a callable that writes their
// contents; the length is filled in when it returns.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}

  // An element with the given contents octets.
  void tlv(uint8_t tag, std::span<const uint8_t> contents);
  // Bytes that already are one or more whole DER elements.
  void raw(std::span<const uint8_t> elements) {
    out_.insert(out_.end(), elements.begin(), elements.end());
  }

  // An element whose contents are what `body` writes: a constructed type, or an OCTET STRING
  // that wraps DER (an extension's extnValue).
  template <std::invocable Body>
  void element(uint8_t tag, Body&& body) {
    const size_t start = out_.size();
    body();
    close(tag, start);
  }
  template <std::invocable Body>
  void sequence(Body&& body) {
    element(kSequence, std::forward<Body>(body));
  }
  template <std::invocable Body>
  void set(Body&& body) {
    element(kSet, std::forward<Body>(body));
  }
  // [n] EXPLICIT: a constructed context-specific element around what `body` writes.
  template <std::invocable Body>
  void explicit_tag(uint8_t number, Body&& body) {
    element(context_constructed(number), std::forward<Body>(body));
  }
  // [n] IMPLICIT on a primitive type: the contents under a context-specific tag. (An implicit
  // tag on a constructed type is element(context_constructed(n), ...).)
  void implicit_tag(uint8_t number, std::span<const uint8_t> contents) {
    tlv(context_specific(number), contents);
  }

  void boolean(bool value);
  void null();
  void integer(uint64_t value);
  // A non-negative INTEGER from its big-endian magnitude (leading zero octets allowed on
  // input): the fewest octets, with a 0x00 prefix when the high bit is set (X.690 §8.3.2).
  void unsigned_integer(std::span<const uint8_t> magnitude);
  void oid(std::span<const uint8_t> contents) { tlv(kOid, contents); }
  template <size_t N>
  void oid(const x509::oid::Oid<N>& known) {
    tlv(kOid, known.bytes);
  }
  // A BIT STRING of whole octets (no unused bits), as keys and signatures are.
  void bit_string(std::span<const uint8_t> bytes);
  // A named-bit BIT STRING (bit 0 is the first, most significant bit): trailing zero bits
  // are dropped, as X.690 §11.2.2 requires of DER.
  void named_bits(uint32_t mask);
  void octet_string(std::span<const uint8_t> bytes) { tlv(kOctetString, bytes); }
  void utf8_string(std::string_view text);
  // False (and nothing written) when `text` has a character outside the PrintableString set.
  [[nodiscard]] bool printable_string(std::string_view text);
  [[nodiscard]] bool ia5_string(std::string_view text);
  // UTCTime (YYMMDDHHMMSSZ) and GeneralizedTime (YYYYMMDDHHMMSSZ), from seconds since the Unix
  // epoch. False when the year is outside what the type can hold (1950-2049, 0000-9999).
  [[nodiscard]] bool utc_time(int64_t seconds);
  [[nodiscard]] bool generalized_time(int64_t seconds);
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 (and before 1950).
  [[nodiscard]] bool time(int64_t seconds);

 private:
  void close(uint8_t tag, size_t start);
  std::vector<uint8_t>& out_;
};

}  // namespace bastion::x509::der
