#include "x509/der_writer.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>

namespace bastion::x509::der {

namespace {

// Appends one OID subidentifier in base 128, most significant group first, every octet but
// the last with its high bit set (X.690 §8.19.2), in the fewest octets.
void append_subidentifier(std::vector<uint8_t>& out, uint64_t value) {
  uint8_t groups[10];
  size_t n = 0;
  do {
    groups[n++] = static_cast<uint8_t>(value & 0x7f);
    value >>= 7;
  } while (value != 0);
  while (n > 1) out.push_back(groups[--n] | 0x80);
  out.push_back(groups[0]);
}

struct CivilTime {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// The calendar date and time of a moment, when its year is within 0000-9999.
std::optional<CivilTime> civil_time(int64_t seconds) {
  const int64_t earliest = days_from_civil(0, 1, 1) * 86400;
  const int64_t end = days_from_civil(10000, 1, 1) * 86400;
  if (seconds < earliest || seconds >= end) return std::nullopt;
  using namespace std::chrono;
  const sys_seconds moment{std::chrono::seconds{seconds}};
  const sys_days date = floor<days>(moment);
  const year_month_day ymd{date};
  const hh_mm_ss time_of_day{moment - date};
  return CivilTime{static_cast<int>(ymd.year()),
                   static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day()),
                   static_cast<unsigned>(time_of_day.hours().count()),
                   static_cast<unsigned>(time_of_day.minutes().count()),
                   static_cast<unsigned>(time_of_day.seconds().count())};
}

bool is_printable_char(char c) {
  // X.680 §41.4 Table 10: the PrintableString character set.
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos;
}

std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::vector<uint8_t> encode_length(size_t length) {
  if (length < 0x80) return {static_cast<uint8_t>(length)};
  std::vector<uint8_t> octets;
  for (size_t rest = length; rest != 0; rest >>= 8) {
    octets.insert(octets.begin(), static_cast<uint8_t>(rest & 0xff));
  }
  octets.insert(octets.begin(), static_cast<uint8_t>(0x80 | octets.size()));
  return octets;
}

std::optional<std::vector<uint8_t>> encode_oid(std::span<const uint64_t> arcs) {
  // X.660 §A.3: the first arc is 0, 1 or 2; under 0 and 1 the second is at most 39.
  if (arcs.size() < 2 || arcs[0] > 2) return std::nullopt;
  if (arcs[0] < 2 && arcs[1] > 39) return std::nullopt;
  if (arcs[1] > std::numeric_limits<uint64_t>::max() - 80) return std::nullopt;
  std::vector<uint8_t> out;
  // X.690 §8.19.4: the first two arcs share one subidentifier, 40 * first + second.
  append_subidentifier(out, arcs[0] * 40 + arcs[1]);
  for (size_t i = 2; i < arcs.size(); ++i) append_subidentifier(out, arcs[i]);
  return out;
}

std::optional<std::vector<uint8_t>> encode_oid(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  while (true) {
    const size_t dot = dotted.find('.');
    const std::string_view part = dotted.substr(0, dot);
    uint64_t arc = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), arc);
    // Each arc is decimal digits without a leading zero ("0" itself excepted).
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() ||
        (part.size() > 1 && part[0] == '0')) {
      return std::nullopt;
    }
    arcs.push_back(arc);
    if (dot == std::string_view::npos) break;
    dotted.remove_prefix(dot + 1);
  }
  return encode_oid(arcs);
}

void Writer::tlv(uint8_t tag, std::span<const uint8_t> contents) {
  out_.push_back(tag);
  const auto length = encode_length(contents.size());
  out_.insert(out_.end(), length.begin(), length.end());
  out_.insert(out_.end(), contents.begin(), contents.end());
}

void Writer::close(uint8_t tag, size_t start) {
  std::vector<uint8_t> header{tag};
  const auto length = encode_length(out_.size() - start);
  header.insert(header.end(), length.begin(), length.end());
  out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(start), header.begin(), header.end());
}

void Writer::boolean(bool value) {
  // X.690 §11.1: DER encodes TRUE as all ones.
  const uint8_t contents[1] = {static_cast<uint8_t>(value ? 0xff : 0x00)};
  tlv(kBoolean, contents);
}

void Writer::null() {
  tlv(kNull, {});
}

void Writer::integer(uint64_t value) {
  uint8_t magnitude[8];
  for (size_t i = 0; i < 8; ++i) magnitude[i] = static_cast<uint8_t>(value >> (56 - 8 * i));
  unsigned_integer(magnitude);
}

void Writer::unsigned_integer(std::span<const uint8_t> magnitude) {
  // X.690 §8.3.2: no leading octet of zeros unless the next bit is set, which would
  // otherwise make the value read as negative.
  while (magnitude.size() > 1 && magnitude[0] == 0) magnitude = magnitude.subspan(1);
  std::vector<uint8_t> contents;
  if (magnitude.empty() || (magnitude[0] & 0x80) != 0) contents.push_back(0x00);
  contents.insert(contents.end(), magnitude.begin(), magnitude.end());
  tlv(kInteger, contents);
}

void Writer::bit_string(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> contents{0x00};
  contents.insert(contents.end(), bytes.begin(), bytes.end());
  tlv(kBitString, contents);
}

void Writer::named_bits(uint32_t mask) {
  std::vector<uint8_t> contents{0x00};
  if (mask != 0) {
    int highest = 31;
    while (((mask >> highest) & 1) == 0) --highest;
    const size_t octets = static_cast<size_t>(highest) / 8 + 1;
    contents[0] = static_cast<uint8_t>(7 - highest % 8);
    contents.resize(1 + octets, 0);
    for (int bit = 0; bit <= highest; ++bit) {
      if ((mask >> bit) & 1) contents[1 + bit / 8] |= static_cast<uint8_t>(0x80 >> (bit % 8));
    }
  }
  tlv(kBitString, contents);
}

void Writer::utf8_string(std::string_view text) {
  tlv(kUtf8String, as_bytes(text));
}

bool Writer::printable_string(std::string_view text) {
  for (char c : text) {
    if (!is_printable_char(c)) return false;
  }
  tlv(kPrintableString, as_bytes(text));
  return true;
}

bool Writer::ia5_string(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) > 0x7f) return false;
  }
  tlv(kIa5String, as_bytes(text));
  return true;
}

bool Writer::utc_time(int64_t seconds) {
  const auto t = civil_time(seconds);
  // RFC 5280 §4.1.2.5.1: YY of 50 or more is 19YY, less than 50 is 20YY.
  if (!t || t->year < 1950 || t->year > 2049) return false;
  char text[16];
  std::snprintf(text, sizeof text, "%02d%02u%02u%02u%02u%02uZ", t->year % 100, t->month, t->day,
                t->hour, t->minute, t->second);
  tlv(kUtcTime, as_bytes(std::string_view(text, 13)));
  return true;
}

bool Writer::generalized_time(int64_t seconds) {
  const auto t = civil_time(seconds);
  if (!t) return false;
  char text[20];
  // RFC 5280 §4.1.2.5.2: Zulu, seconds present, no fractional seconds.
  std::snprintf(text, sizeof text, "%04d%02u%02u%02u%02u%02uZ", t->year, t->month, t->day, t->hour,
                t->minute, t->second);
  tlv(kGeneralizedTime, as_bytes(std::string_view(text, 15)));
  return true;
}

bool Writer::time(int64_t seconds) {
  // RFC 5280 §4.1.2.5: validity dates through 2049 MUST be UTCTime, from 2050 MUST be
  // GeneralizedTime. UTCTime cannot hold years before 1950 either.
  const auto t = civil_time(seconds);
  if (!t) return false;
  if (t->year >= 1950 && t->year <= 2049) return utc_time(seconds);
  return generalized_time(seconds);
}

}  // namespace bastion::x509::der
