// How the CLI shows certificates (tools/bastion/certificate_report.cpp): PEM, names, chains
// as text and JSON, and name-mismatch errors that list the certificate's names.
#include "certificate_report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bastion/ca.hpp"

namespace bastion::cli {
namespace {

namespace fs = std::filesystem;

Der bytes(std::string_view text) {
  return Der(text.begin(), text.end());
}

// A local CA and a leaf for localhost and 127.0.0.1, made once (in a temporary directory,
// removed at once: only the DER is kept).
struct TestPki {
  Der ca;
  Der leaf;
};

const TestPki& pki() {
  static const TestPki made = [] {
    const fs::path dir =
        fs::temp_directory_path() / ("bastion-cli-report-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    auto ca = LocalCa::create(dir, CertKeyType::ecdsa_p256, nullptr);
    if (!ca) throw std::runtime_error(ca.error().message());
    auto leaf = ca->issue({"localhost", "127.0.0.1"}, dir);
    fs::remove_all(dir);
    if (!leaf) throw std::runtime_error(leaf.error().message());
    return TestPki{ca->certificate(), leaf->certificate};
  }();
  return made;
}

// What a print_* call wrote.
template <class Print>
std::string printed(Print print) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  print(out);
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(PemCertificate, Rfc4648Base64) {
  // RFC 4648 §10 test vectors.
  const std::pair<const char*, const char*> vectors[] = {
      {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(pem_certificate(bytes(plain)), std::string("-----BEGIN CERTIFICATE-----\n") +
                                                 encoded + "\n-----END CERTIFICATE-----\n");
  }
}

TEST(PemCertificate, SixtyFourColumnsAndRoundTrips) {
  for (size_t length : {1u, 2u, 3u, 47u, 48u, 49u, 96u, 1000u}) {
    Der data(length);
    for (size_t i = 0; i < length; ++i) data[i] = static_cast<uint8_t>(i * 37 + 11);
    const std::string pem = pem_certificate(data);
    size_t start = pem.find('\n') + 1;
    while (pem.compare(start, 5, "-----") != 0) {
      const size_t end = pem.find('\n', start);
      EXPECT_LE(end - start, 64u);
      start = end + 1;
    }
    auto decoded = parse_pem_certificates(pem);
    ASSERT_TRUE(decoded) << length << ": " << decoded.error().message();
    ASSERT_EQ(decoded->size(), 1u);
    EXPECT_EQ(decoded->front(), data) << length;
  }
}

TEST(CertificateNames, DnsThenIp) {
  CertificateSummary summary;
  EXPECT_EQ(certificate_names(summary), "none");
  summary.dns_names = {"example.com", "*.example.com"};
  summary.ip_addresses = {"192.0.2.1", "::1"};
  EXPECT_EQ(certificate_names(summary), "DNS:example.com, DNS:*.example.com, IP:192.0.2.1, IP:::1");
  summary.dns_names.clear();
  EXPECT_EQ(certificate_names(summary), "IP:192.0.2.1, IP:::1");
}

TEST(IssuedChain, PemOfARealCertificateReadsBack) {
  auto decoded = parse_pem_certificates(pem_certificate(pki().leaf));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->front(), pki().leaf);
}

TEST(IssuedChain, NameMismatchListsTheCertificatesNames) {
  const Error mismatch{ErrorCode::certificate_name_mismatch, "no dNSName matches example.com"};
  const std::vector<Der> chain = {pki().leaf, pki().ca};
  EXPECT_EQ(explain_error(mismatch, chain),
            "certificate_name_mismatch: no dNSName matches example.com (the certificate is for "
            "DNS:localhost, IP:127.0.0.1)");
  // The CA has no subjectAltName at all.
  EXPECT_EQ(explain_error(mismatch, std::vector<Der>{pki().ca}),
            "certificate_name_mismatch: no dNSName matches example.com (the certificate names no "
            "host: it has no DNS or IP subjectAltName)");
  // Without a chain, or for another error, the message alone.
  EXPECT_EQ(explain_error(mismatch, {}), mismatch.message());
  const Error other{ErrorCode::unknown_issuer, "no issuer"};
  EXPECT_EQ(explain_error(other, chain), "unknown_issuer: no issuer");
  EXPECT_EQ(explain_error(mismatch, std::vector<Der>{bytes("junk")}), mismatch.message());
}

TEST(IssuedChain, PrintedCertificateHasEveryField) {
  const std::string text =
      printed([&](std::FILE* out) { print_certificate(out, 0, pki().leaf, true); });
  EXPECT_NE(
      text.find("certificate 0:\n  subject:    O=Bastion development certificate, CN=localhost\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("  issuer:     O=Bastion development CA, CN=Bastion CA "), std::string::npos);
  EXPECT_NE(text.find("  names:      DNS:localhost, IP:127.0.0.1\n"), std::string::npos);
  EXPECT_NE(text.find("  not_before: 20"), std::string::npos);
  EXPECT_NE(text.find("  not_after:  20"), std::string::npos);
  EXPECT_NE(text.find(pem_certificate(pki().leaf)), std::string::npos);
  const std::string junk =
      printed([&](std::FILE* out) { print_certificate(out, 3, bytes("junk"), false); });
  EXPECT_EQ(junk.rfind("certificate 3:\n  (unreadable: bad_certificate", 0), 0u) << junk;
}

TEST(IssuedChain, ChainUnderItsHeading) {
  const std::vector<Der> chain = {pki().leaf, pki().ca};
  const std::string text = printed([&](std::FILE* out) { print_chain(out, "UNVERIFIED", chain); });
  EXPECT_EQ(text.rfind("--- UNVERIFIED ---\ncertificate 0:\n", 0), 0u) << text;
  EXPECT_NE(text.find("certificate 1:\n  subject:    O=Bastion development CA"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "---\n");
}

TEST(IssuedChain, ChainAsJson) {
  const std::vector<Der> chain = {pki().leaf, bytes("junk")};
  JsonWriter json;
  write_chain_json(json, chain, false);
  const std::string text = json.finish();
  EXPECT_NE(text.find("\"subject\": \"O=Bastion development certificate, CN=localhost\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"dns_names\": [\n      \"localhost\"\n    ]"), std::string::npos);
  EXPECT_NE(text.find("\"ip_addresses\": [\n      \"127.0.0.1\"\n    ]"), std::string::npos);
  EXPECT_NE(text.find("\"error\": \"bad_certificate"), std::string::npos);
  EXPECT_EQ(text.find("\"pem\""), std::string::npos);
  JsonWriter with_pem;
  write_chain_json(with_pem, chain, true);
  EXPECT_NE(with_pem.finish().find("\"pem\": \"-----BEGIN CERTIFICATE-----\\n"), std::string::npos);
}

}  // namespace
}  // namespace bastion::cli
