// RFC 7468 textual encoding of certificates.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "bastion/x509.hpp"

namespace bastion {

namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
// A certificate chain or a CA bundle: far below this many certificates.
constexpr size_t kMaxCertificates = 4096;

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with padding; whitespace is skipped (RFC 7468 §3 allows line breaks).
std::optional<std::vector<uint8_t>> decode_base64(std::string_view text) {
  std::vector<uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      ++padding;
      ++symbols;
      continue;
    }
    const int v = base64_value(c);
    if (v < 0 || padding > 0) return std::nullopt;  // data after padding
    ++symbols;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  const size_t data_symbols = symbols - padding;
  if (symbols % 4 != 0 || padding > 2 || (padding == 2) != (data_symbols % 4 == 2) ||
      (padding == 1) != (data_symbols % 4 == 3)) {
    return std::nullopt;
  }
  // Leftover bits must be zero (canonical encoding).
  if (acc != 0) return std::nullopt;
  return out;
}

}  // namespace

Result<std::vector<Der>> parse_pem_certificates(std::string_view pem) {
  std::vector<Der> out;
  size_t pos = 0;
  while (true) {
    const size_t begin = pem.find(kBegin, pos);
    if (begin == std::string_view::npos) break;
    const size_t body = begin + kBegin.size();
    const size_t end = pem.find(kEnd, body);
    if (end == std::string_view::npos) {
      return Error{ErrorCode::bad_certificate, "PEM certificate without an END line"};
    }
    auto der = decode_base64(pem.substr(body, end - body));
    if (!der || der->empty()) {
      return Error{ErrorCode::bad_certificate, "PEM certificate with invalid base64"};
    }
    if (out.size() == kMaxCertificates) {
      return Error{ErrorCode::bad_certificate, "too many certificates in PEM text"};
    }
    out.push_back(std::move(*der));
    pos = end + kEnd.size();
  }
  if (out.empty()) return Error{ErrorCode::bad_certificate, "no PEM certificate found"};
  return out;
}

}  // namespace bastion
