// The C API's codes: every ErrorCode has its bastion_result, null arguments and calls out of
// order return codes with a message, builders report bad input, and nothing throws.
#include <gtest/gtest.h>

#include <string>

#include "bastion/error.hpp"
#include "bastion/version.hpp"
#include "capi/result_codes.hpp"
#include "unit/capi/capi_support.hpp"

namespace bastion::test {
namespace {

TEST(CapiResults, EveryErrorCodeHasItsResultAndName) {
  size_t known = 0;
  for (int value = 1; value <= 0xffff; ++value) {
    const auto code = static_cast<ErrorCode>(value);
    if (error_code_name(code) == "unknown") continue;
    ++known;
    bool listed = false;
    for (const auto& [result, listed_code] : capi::kResultCodes) {
      listed = listed || (listed_code == code && static_cast<int>(result) == value);
    }
    EXPECT_TRUE(listed) << "no bastion_result for ErrorCode " << value;
    EXPECT_EQ(bastion_error_name(value), error_code_name(code));
  }
  EXPECT_EQ(known, capi::kResultCodes.size());
  EXPECT_STREQ(bastion_error_name(BASTION_OK), "ok");
  EXPECT_STREQ(bastion_error_name(BASTION_UNKNOWN_ISSUER), "unknown_issuer");
  EXPECT_STREQ(bastion_error_name(9999), "unknown");
  EXPECT_STREQ(bastion_error_name(-1), "unknown");
  EXPECT_STREQ(bastion_error_name(0x10000 + 64), "unknown");
  EXPECT_STREQ(bastion_version(), BASTION_VERSION_STRING);
}

TEST(CapiMisuse, NullHandlesAndArgumentsReturnCodes) {
  EXPECT_EQ(bastion_client_config_builder_load_ca_file(nullptr, "x"), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_server_config_builder_add_alpn(nullptr, bytes("h2"), 2),
            BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_client_config_builder_error_message(nullptr, nullptr, 0), 0u);
  bastion_connection* conn = reinterpret_cast<bastion_connection*>(1);
  EXPECT_EQ(bastion_client_connection_new(nullptr, "localhost", &conn), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(conn, nullptr);
  EXPECT_EQ(bastion_server_connection_new(nullptr, nullptr), BASTION_INTERNAL_ERROR);
  size_t n = 7;
  EXPECT_EQ(bastion_connection_receive(nullptr, nullptr, 0, &n), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(bastion_connection_receive_eof(nullptr), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_write(nullptr, nullptr, 0), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_read(nullptr, nullptr, 0, &n), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_close(nullptr), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_consume_output(nullptr, 0), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_error(nullptr), BASTION_INTERNAL_ERROR);
  EXPECT_FALSE(bastion_connection_is_handshake_complete(nullptr));
  EXPECT_FALSE(bastion_connection_has_output(nullptr));
  EXPECT_EQ(bastion_connection_protocol_version(nullptr), 0);
  EXPECT_STREQ(bastion_connection_cipher_suite_name(nullptr), "");
  EXPECT_EQ(bastion_connection_peer_certificate(nullptr, 0, &n), nullptr);
  EXPECT_STREQ(bastion_session_server_name(nullptr), "");
  EXPECT_EQ(bastion_session_expires(nullptr), 0);
  char buf[8] = "garbage";
  EXPECT_EQ(bastion_connection_error_message(nullptr, buf, sizeof buf), 0u);
  EXPECT_STREQ(buf, "");
  // Freeing null is allowed, as free() is.
  bastion_connection_free(nullptr);
  bastion_client_config_free(nullptr);
  bastion_server_config_builder_free(nullptr);
  bastion_session_free(nullptr);
}

TEST(CapiMisuse, NullArgumentsOfAHandleAreNamedInItsMessage) {
  PemFiles pki;
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  EXPECT_EQ(bastion_client_config_builder_load_ca_file(cb.get(), nullptr), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(error_message(cb.get()), "internal_error: null argument: path");
  EXPECT_EQ(bastion_client_config_builder_set_verify_callback(cb.get(), nullptr, nullptr),
            BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_client_config_builder_set_session_store(cb.get(), nullptr, nullptr, nullptr),
            BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_client_config_builder_build(cb.get(), nullptr), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(error_message(cb.get()), "internal_error: null argument: config");
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  EXPECT_EQ(bastion_connection_receive(p.client.get(), nullptr, 5, nullptr),
            BASTION_INTERNAL_ERROR);
  EXPECT_EQ(error_message(p.client.get()), "internal_error: null argument: taken");
  size_t n = 0;
  EXPECT_EQ(bastion_connection_receive(p.client.get(), nullptr, 5, &n), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(error_message(p.client.get()), "internal_error: null argument: data");
  EXPECT_EQ(bastion_connection_pending_output(p.client.get(), nullptr, &n), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_take_output(p.client.get(), nullptr, 10, &n),
            BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_read(p.client.get(), nullptr, 10, &n), BASTION_INTERNAL_ERROR);
  EXPECT_EQ(bastion_connection_write(p.client.get(), nullptr, 10), BASTION_INTERNAL_ERROR);
  bastion_connection* conn = nullptr;
  EXPECT_EQ(bastion_client_connection_new(cc.get(), nullptr, &conn), BASTION_INTERNAL_ERROR);
  // None of it harmed the connection.
  EXPECT_FALSE(bastion_connection_failed(p.client.get()));
  EXPECT_EQ(pump(p), BASTION_OK);
  // Messages are truncated to the buffer, NUL-terminated, and their full length returned.
  EXPECT_EQ(bastion_connection_write(p.client.get(), nullptr, 10), BASTION_INTERNAL_ERROR);
  char small[10];
  EXPECT_EQ(bastion_connection_error_message(p.client.get(), small, sizeof small),
            std::string("internal_error: null argument: data").size());
  EXPECT_STREQ(small, "internal_");
}

TEST(CapiMisuse, CallsOutOfOrderReturnCodes) {
  PemFiles pki;
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  // Before the handshake: no writes, nothing negotiated.
  EXPECT_EQ(bastion_connection_write(p.client.get(), bytes("early"), 5), BASTION_CLOSED);
  EXPECT_NE(error_message(p.client.get()).find("before the handshake"), std::string::npos);
  EXPECT_EQ(bastion_connection_protocol_version(p.client.get()), 0);
  EXPECT_STREQ(bastion_connection_alpn(p.client.get()), "");
  // Consuming more than is pending consumes nothing.
  const uint8_t* data = nullptr;
  size_t len = 0;
  ASSERT_EQ(bastion_connection_pending_output(p.client.get(), &data, &len), BASTION_OK);
  ASSERT_GT(len, 0u);
  EXPECT_EQ(bastion_connection_consume_output(p.client.get(), len + 1), BASTION_INTERNAL_ERROR);
  EXPECT_NE(error_message(p.client.get()).find("are pending"), std::string::npos);
  size_t still = 0;
  ASSERT_EQ(bastion_connection_pending_output(p.client.get(), &data, &still), BASTION_OK);
  EXPECT_EQ(still, len);
  // Reading with nothing there is 0 bytes, not an error.
  uint8_t buf[4];
  size_t n = 1;
  EXPECT_EQ(bastion_connection_read(p.client.get(), buf, sizeof buf, &n), BASTION_OK);
  EXPECT_EQ(n, 0u);
  // A server given garbage fails with a decoding code.
  const uint8_t garbage[] = {99, 3, 3, 0, 1, 0};  // no such content type
  EXPECT_EQ(bastion_connection_receive(p.server.get(), garbage, sizeof garbage, &n),
            BASTION_BAD_CONTENT_TYPE);
  EXPECT_TRUE(bastion_connection_failed(p.server.get()));
  EXPECT_EQ(bastion_connection_close(p.server.get()), bastion_connection_error(p.server.get()));
  // EOF in the middle of the handshake is a truncation.
  EXPECT_EQ(bastion_connection_receive_eof(p.client.get()), BASTION_TRUNCATED);
  EXPECT_NE(error_message(p.client.get()).find("during the handshake"), std::string::npos);
}

TEST(CapiMisuse, BuildersReportBadInput) {
  PemFiles pki;
  ClientBuilder cb(bastion_client_config_builder_new());
  EXPECT_EQ(bastion_client_config_builder_load_ca_file(cb.get(), "/nonexistent/ca.pem"),
            BASTION_INVALID_CONFIG);
  EXPECT_NE(error_message(cb.get()).find("/nonexistent/ca.pem"), std::string::npos);
  EXPECT_NE(bastion_client_config_builder_load_ca_dir(cb.get(), "/nonexistent"), BASTION_OK);
  EXPECT_NE(bastion_client_config_builder_load_ca_pem(cb.get(), bytes("junk"), 4), BASTION_OK);
  EXPECT_EQ(bastion_client_config_builder_add_alpn(cb.get(), bytes(""), 0), BASTION_INVALID_CONFIG);
  EXPECT_EQ(bastion_client_config_builder_add_alpn(cb.get(), bytes(std::string(256, 'a')), 256),
            BASTION_INVALID_CONFIG);
  EXPECT_EQ(bastion_client_config_builder_set_versions(cb.get(), 0x0302, BASTION_TLS13),
            BASTION_INVALID_CONFIG);
  EXPECT_EQ(bastion_client_config_builder_set_versions(cb.get(), BASTION_TLS13, BASTION_TLS12),
            BASTION_INVALID_CONFIG);
  EXPECT_NE(bastion_client_config_builder_set_certificate_files(
                cb.get(), pki.path("ecdsa.pem").c_str(), pki.path("rsa-key.pem").c_str()),
            BASTION_OK);  // the key is not the certificate's
  EXPECT_FALSE(error_message(cb.get()).empty());

  ServerBuilder sb(bastion_server_config_builder_new());
  // A server needs a certificate.
  const bastion_server_config* config = reinterpret_cast<const bastion_server_config*>(1);
  EXPECT_EQ(bastion_server_config_builder_build(sb.get(), &config), BASTION_INVALID_CONFIG);
  EXPECT_EQ(config, nullptr);
  EXPECT_FALSE(error_message(sb.get()).empty());
  EXPECT_EQ(bastion_server_config_builder_add_certificate_files(sb.get(), "/nonexistent.pem",
                                                                "/nonexistent-key.pem"),
            BASTION_INVALID_KEY);
  EXPECT_NE(error_message(sb.get()).find("nonexistent"), std::string::npos);
  EXPECT_EQ(bastion_server_config_builder_set_client_auth(sb.get(), 7), BASTION_INVALID_CONFIG);
  // Client auth without a way to verify clients.
  ASSERT_EQ(bastion_server_config_builder_add_certificate_files(
                sb.get(), pki.path("ecdsa.pem").c_str(), pki.path("ecdsa-key.pem").c_str()),
            BASTION_OK);
  ASSERT_EQ(bastion_server_config_builder_set_client_auth(sb.get(), BASTION_CLIENT_AUTH_REQUIRE),
            BASTION_OK);
  EXPECT_EQ(bastion_server_config_builder_build(sb.get(), &config), BASTION_INVALID_CONFIG);
  // The builder stays usable.
  ASSERT_EQ(bastion_server_config_builder_set_client_auth(sb.get(), BASTION_CLIENT_AUTH_NONE),
            BASTION_OK);
  auto sc = build(sb.get());
  EXPECT_NE(sc, nullptr);
}

}  // namespace
}  // namespace bastion::test
