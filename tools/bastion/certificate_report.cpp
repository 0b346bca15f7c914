#include "certificate_report.hpp"

namespace bastion::cli {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr size_t kPemLineLength = 64;

std::string base64(std::span<const uint8_t> data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    const size_t left = data.size() - i;
    uint32_t group = uint32_t{data[i]} << 16;
    if (left > 1) group |= uint32_t{data[i + 1]} << 8;
    if (left > 2) group |= data[i + 2];
    out += kBase64Alphabet[(group >> 18) & 0x3f];
    out += kBase64Alphabet[(group >> 12) & 0x3f];
    out += left > 1 ? kBase64Alphabet[(group >> 6) & 0x3f] : '=';
    out += left > 2 ? kBase64Alphabet[group & 0x3f] : '=';
  }
  return out;
}

}  // namespace

std::string pem_certificate(std::span<const uint8_t> der) {
  const std::string encoded = base64(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (size_t at = 0; at < encoded.size(); at += kPemLineLength) {
    out += encoded.substr(at, kPemLineLength) + "\n";
  }
  return out + "-----END CERTIFICATE-----\n";
}

std::string certificate_names(const CertificateSummary& summary) {
  std::string out;
  for (const auto& name : summary.dns_names) out += (out.empty() ? "DNS:" : ", DNS:") + name;
  for (const auto& ip : summary.ip_addresses) out += (out.empty() ? "IP:" : ", IP:") + ip;
  return out.empty() ? "none" : out;
}

void print_certificate(std::FILE* out, size_t index, std::span<const uint8_t> der, bool with_pem) {
  std::fprintf(out, "certificate %zu:\n", index);
  if (auto summary = describe_certificate(der)) {
    std::fprintf(out, "  subject:    %s\n", summary->subject.c_str());
    std::fprintf(out, "  issuer:     %s\n", summary->issuer.c_str());
    std::fprintf(out, "  names:      %s\n", certificate_names(*summary).c_str());
    std::fprintf(out, "  not_before: %s\n", summary->not_before.c_str());
    std::fprintf(out, "  not_after:  %s\n", summary->not_after.c_str());
  } else {
    std::fprintf(out, "  (unreadable: %s)\n", summary.error().message().c_str());
  }
  if (with_pem) std::fputs(pem_certificate(der).c_str(), out);
}

void print_chain(std::FILE* out, std::string_view heading, std::span<const Der> chain) {
  std::fprintf(out, "--- %.*s ---\n", static_cast<int>(heading.size()), heading.data());
  for (size_t i = 0; i < chain.size(); ++i) print_certificate(out, i, chain[i], true);
  std::fprintf(out, "---\n");
}

void write_chain_json(JsonWriter& json, std::span<const Der> chain, bool with_pem) {
  json.begin_array();
  for (const auto& der : chain) {
    json.begin_object();
    if (auto summary = describe_certificate(der)) {
      json.key("subject").string(summary->subject);
      json.key("issuer").string(summary->issuer);
      json.key("not_before").string(summary->not_before);
      json.key("not_after").string(summary->not_after);
      json.key("dns_names").strings(summary->dns_names);
      json.key("ip_addresses").strings(summary->ip_addresses);
    } else {
      json.key("error").string(summary.error().message());
    }
    if (with_pem) json.key("pem").string(pem_certificate(der));
    json.end_object();
  }
  json.end_array();
}

std::string explain_error(const Error& error, std::span<const Der> chain) {
  std::string out = error.message();
  if (error.code != ErrorCode::certificate_name_mismatch || chain.empty()) return out;
  auto leaf = describe_certificate(chain.front());
  if (!leaf) return out;
  if (leaf->dns_names.empty() && leaf->ip_addresses.empty()) {
    return out + " (the certificate names no host: it has no DNS or IP subjectAltName)";
  }
  return out + " (the certificate is for " + certificate_names(*leaf) + ")";
}

}  // namespace bastion::cli
