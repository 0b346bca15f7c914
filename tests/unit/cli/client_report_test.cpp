// What `bastion client` prints of a connection (tools/bastion/client_report.cpp): the summary
// lines, the --showcerts headings and the --json object, from made-up connections.
#include "client_report.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bastion::cli {
namespace {

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

ConnectionInfo tls13_info() {
  ConnectionInfo info;
  info.version = ProtocolVersion::tls13;
  info.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
  info.group = NamedGroup::x25519;
  info.peer_signature_scheme = SignatureScheme::ecdsa_secp256r1_sha256;
  info.alpn = "h2";
  info.server_name = "example.com";
  info.peer_verified = true;
  return info;
}

const Der kJunk = {0x30, 0x03, 0x01, 0x01, 0xff};

ClientTarget target() {
  return {"example.com", 443, "example.com", true};
}

TEST(ClientSummary, LinesOfACompletedHandshake) {
  ConnectionReport report;
  report.info = tls13_info();
  report.verified = true;
  report.exported = ExportedKey{"EXPERIMENTAL-x", "00FF"};
  EXPECT_EQ(printed([&](std::FILE* out) { print_summary(out, report); }),
            "version: TLSv1.3\ncipher: TLS_AES_128_GCM_SHA256\ngroup: x25519\nhello_retry: no\n"
            "resumed: no\nalpn: h2\nsignature: ecdsa_secp256r1_sha256\nsubject: none\n"
            "issuer: none\nexpires: none\nverified: yes\nexporter: 00FF\n");
}

TEST(ClientSummary, Tls12ResumedAndUnverified) {
  ConnectionReport report;
  report.info = tls13_info();
  report.info->version = ProtocolVersion::tls12;
  report.info->extended_master_secret = true;
  report.info->resumed = true;
  report.info->resumed_by = ResumedBy::session_id;
  report.chain = {kJunk};
  report.verify_error = "unknown_issuer: no issuer";
  const std::string text = printed([&](std::FILE* out) { print_summary(out, report); });
  EXPECT_NE(text.find("extended_master_secret: yes\nresumed: yes\nresumed_by: session_id\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("subject: (unreadable: bad_certificate"), std::string::npos) << text;
  EXPECT_NE(text.find("verified: no (unknown_issuer: no issuer)\n"), std::string::npos) << text;
  report.verify_error.clear();
  EXPECT_NE(printed([&](std::FILE* out) {
              print_summary(out, report);
            }).find("verified: no (not checked: no trust store)\n"),
            std::string::npos);
}

TEST(ClientSummary, NothingWithoutAHandshake) {
  ConnectionReport failed;
  failed.error = "timed_out: handshake not complete";
  EXPECT_EQ(printed([&](std::FILE* out) { print_summary(out, failed); }), "");
}

TEST(PresentedChain, HeadingSaysWhetherItVerified) {
  ConnectionReport report;
  report.info = tls13_info();
  report.chain = {kJunk, kJunk};
  report.verified = true;
  auto heading = [&] {
    const std::string text = printed([&](std::FILE* out) { print_presented_chain(out, report); });
    return text.substr(0, text.find('\n'));
  };
  EXPECT_EQ(heading(),
            "--- certificate chain presented by the server, 2 certificates, verified ---");
  report.verified = false;
  report.verify_error = "certificate_expired: too old";
  EXPECT_EQ(heading(),
            "--- certificate chain presented by the server, 2 certificates, UNVERIFIED: no "
            "(certificate_expired: too old) ---");
  report.info.reset();
  report.chain = {kJunk};
  report.error = "unknown_issuer: no issuer";
  EXPECT_EQ(heading(),
            "--- certificate chain presented by the server, 1 certificate, UNVERIFIED: the "
            "handshake failed (see the error) ---");
  // A resumption presents no chain; a handshake that failed before one, nothing at all.
  report.chain.clear();
  EXPECT_EQ(printed([&](std::FILE* out) { print_presented_chain(out, report); }), "");
  report.info = tls13_info();
  report.info->resumed = true;
  EXPECT_EQ(heading(), "--- no certificate chain: the session was resumed ---");
}

TEST(ClientJson, CompletedHandshake) {
  ConnectionReport report;
  report.info = tls13_info();
  report.verified = true;
  const std::string json = client_json(target(), report, nullptr, false);
  for (const char* member :
       {"\"host\": \"example.com\"", "\"port\": 443", "\"handshake_complete\": true",
        "\"version\": \"TLSv1.3\"", "\"cipher_suite\": \"TLS_AES_128_GCM_SHA256\"",
        "\"group\": \"x25519\"", "\"signature_scheme\": \"ecdsa_secp256r1_sha256\"",
        "\"alpn\": \"h2\"", "\"sni\": \"example.com\"", "\"hello_retry\": false",
        "\"resumed\": false", "\"resumed_by\": null",
        "\"verification\": {\n    \"verified\": true,\n    \"required\": true,\n    \"error\": "
        "null\n  }",
        "\"certificates_verified\": true", "\"certificates\": []", "\"error\": null"}) {
    EXPECT_NE(json.find(member), std::string::npos) << member << " in\n" << json;
  }
  EXPECT_EQ(json.find("extended_master_secret"), std::string::npos);
  EXPECT_EQ(json.find("exporter"), std::string::npos);
  EXPECT_EQ(json.find("first_connection"), std::string::npos);
  EXPECT_EQ(json.front(), '{');
  EXPECT_EQ(json.substr(json.size() - 2), "}\n");
}

TEST(ClientJson, FailedHandshakeAndReconnect) {
  ConnectionReport failed;
  failed.chain = {kJunk};
  failed.verify_error = "certificate_name_mismatch: \"x\"";
  failed.error = "certificate_name_mismatch: \"x\"";
  ClientTarget insecure = target();
  insecure.verification_required = false;
  const std::string json = client_json(insecure, failed, nullptr, true);
  EXPECT_NE(json.find("\"handshake_complete\": false"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"version\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"required\": false"), std::string::npos) << json;
  EXPECT_NE(json.find("\"error\": \"certificate_name_mismatch: \\\"x\\\"\""), std::string::npos);
  EXPECT_NE(json.find("\"certificates_verified\": false"), std::string::npos);
  EXPECT_NE(json.find("\"pem\": \"-----BEGIN CERTIFICATE-----\\nMAMBAf8=\\n"), std::string::npos)
      << json;

  ConnectionReport second;
  second.info = tls13_info();
  second.info->resumed = true;
  second.info->resumed_by = ResumedBy::ticket;
  ConnectionReport first;
  first.info = tls13_info();
  const std::string both = client_json(target(), second, &first, false);
  EXPECT_NE(both.find("\"resumed_by\": \"ticket\""), std::string::npos) << both;
  const size_t nested = both.find("\"first_connection\": {");
  ASSERT_NE(nested, std::string::npos) << both;
  EXPECT_NE(both.find("\"resumed\": false", nested), std::string::npos) << both;
}

}  // namespace
}  // namespace bastion::cli
