#include "x509/der.hpp"

#include <cstdio>

namespace bastion::x509::der {

bool Reader::read_any(uint8_t& tag, Bytes& contents, Bytes* whole) {
  if (data_.size() < 2) return false;
  const uint8_t t = data_[0];
  // X.690 §8.1.2.4: high tag numbers (0x1f) never occur in X.509; refuse them.
  if ((t & 0x1f) == 0x1f) return false;
  size_t pos = 1;
  const uint8_t first = data_[pos++];
  size_t len = 0;
  if (first < 0x80) {
    len = first;
  } else {
    // X.690 §10.1: definite form only (0x80 is the indefinite form), in the fewest octets.
    const size_t n = first & 0x7f;
    if (n == 0 || n > 4 || data_.size() - pos < n) return false;
    if (data_[pos] == 0) return false;  // leading zero octet: not minimal
    for (size_t i = 0; i < n; ++i) len = (len << 8) | data_[pos + i];
    pos += n;
    if (len < 0x80) return false;  // should have used the short form
  }
  if (len > data_.size() - pos) return false;
  tag = t;
  contents = data_.subspan(pos, len);
  if (whole) *whole = data_.first(pos + len);
  data_ = data_.subspan(pos + len);
  return true;
}

bool Reader::read(uint8_t tag, Bytes& contents) {
  if (!peek(tag)) return false;
  uint8_t t = 0;
  return read_any(t, contents);
}

bool Reader::read_tlv(uint8_t tag, Bytes& whole) {
  if (!peek(tag)) return false;
  uint8_t t = 0;
  Bytes contents;
  return read_any(t, contents, &whole);
}

bool Reader::read_optional(uint8_t tag, std::optional<Bytes>& contents) {
  contents.reset();
  if (!peek(tag)) return true;
  Bytes c;
  if (!read(tag, c)) return false;
  contents = c;
  return true;
}

bool Reader::enter(uint8_t tag, Reader& inner) {
  if (depth_ + 1 > kMaxDepth) return false;
  Bytes contents;
  if (!read(tag, contents)) return false;
  inner = Reader(contents, depth_ + 1);
  return true;
}

std::optional<bool> decode_boolean(Bytes contents) {
  // X.690 §11.1: TRUE is encoded as 0xff in DER.
  if (contents.size() != 1) return std::nullopt;
  if (contents[0] == 0x00) return false;
  if (contents[0] == 0xff) return true;
  return std::nullopt;
}

bool is_valid_integer(Bytes contents) {
  if (contents.empty()) return false;
  if (contents.size() >= 2) {
    // X.690 §8.3.2: the first nine bits must not be all zeros or all ones.
    if (contents[0] == 0x00 && (contents[1] & 0x80) == 0) return false;
    if (contents[0] == 0xff && (contents[1] & 0x80) != 0) return false;
  }
  return true;
}

std::optional<uint64_t> decode_uint(Bytes contents) {
  if (!is_valid_integer(contents) || (contents[0] & 0x80) != 0) return std::nullopt;
  if (contents[0] == 0) contents = contents.subspan(1);
  if (contents.size() > 8) return std::nullopt;
  uint64_t v = 0;
  for (uint8_t b : contents) v = (v << 8) | b;
  return v;
}

std::optional<BitString> decode_bit_string(Bytes contents) {
  if (contents.empty()) return std::nullopt;
  const uint8_t unused = contents[0];
  if (unused > 7) return std::nullopt;
  Bytes bytes = contents.subspan(1);
  if (bytes.empty() && unused != 0) return std::nullopt;
  // X.690 §11.2.1: the unused bits are zero in DER.
  if (!bytes.empty() && (bytes.back() & ((1u << unused) - 1)) != 0) return std::nullopt;
  return BitString{bytes, unused};
}

bool is_valid_oid(Bytes contents) {
  if (contents.empty() || (contents.back() & 0x80) != 0) return false;
  bool arc_start = true;
  for (uint8_t b : contents) {
    if (arc_start && b == 0x80) return false;  // X.690 §8.19.2: no leading 0x80 in an arc
    arc_start = (b & 0x80) == 0;
  }
  return true;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // The proleptic Gregorian calendar, counted in 400-year eras.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

bool digits(Bytes s, size_t pos, size_t n, unsigned& out) {
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool is_leap(unsigned y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

std::optional<int64_t> decode_time(uint8_t tag, Bytes s) {
  unsigned year = 0;
  size_t pos = 0;
  if (tag == kUtcTime) {
    // RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ; YY >= 50 means 19YY, else 20YY.
    if (s.size() != 13 || !digits(s, 0, 2, year)) return std::nullopt;
    year += year >= 50 ? 1900 : 2000;
    pos = 2;
  } else if (tag == kGeneralizedTime) {
    // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds.
    if (s.size() != 15 || !digits(s, 0, 4, year)) return std::nullopt;
    pos = 4;
  } else {
    return std::nullopt;
  }
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, pos, 2, month) || !digits(s, pos + 2, 2, day) || !digits(s, pos + 4, 2, hour) ||
      !digits(s, pos + 6, 2, minute) || !digits(s, pos + 8, 2, second) || s[pos + 10] != 'Z') {
    return std::nullopt;
  }
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const unsigned max_day = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  // Seconds may be 60 only for a leap second; X.509 times never need it.
  if (day > max_day || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::string format_time(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Inverse of days_from_civil.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m,
                d, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

}  // namespace bastion::x509::der
