#include "bastion/x509.hpp"
#include "x509/certificate.hpp"
#include "x509/der.hpp"
#include "x509/names.hpp"

namespace bastion {

Result<CertificateSummary> describe_certificate(std::span<const uint8_t> der) {
  auto parsed = x509::Certificate::parse(std::vector<uint8_t>(der.begin(), der.end()));
  if (!parsed) return std::move(parsed).error();
  const x509::Certificate& cert = **parsed;
  CertificateSummary s;
  s.subject = x509::name_to_string(cert.subject());
  s.issuer = x509::name_to_string(cert.issuer());
  s.not_before = x509::der::format_time(cert.not_before());
  s.not_after = x509::der::format_time(cert.not_after());
  if (const auto& sans = cert.subject_alt_names()) {
    for (const auto& san : *sans) {
      if (san.kind == x509::GeneralName::Kind::dns) {
        s.dns_names.emplace_back(san.value.begin(), san.value.end());
      } else if (san.kind == x509::GeneralName::Kind::ip) {
        s.ip_addresses.push_back(x509::format_ip_address(san.value));
      }
    }
  }
  return s;
}

}  // namespace bastion
