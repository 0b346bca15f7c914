// A client and a server C connection against each other in memory: handshake, data both
// ways, what was negotiated, close_notify, truncation, and input taken in part.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bastion/x509.hpp"
#include "unit/capi/capi_support.hpp"

namespace bastion::test {
namespace {

class CapiConnection : public ::testing::Test {
 protected:
  PemFiles pki;
};

TEST_F(CapiConnection, HandshakeDataBothWaysAndCloseNotify) {
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  ASSERT_EQ(bastion_client_config_builder_add_alpn(cb.get(), bytes("h2"), 2), BASTION_OK);
  ASSERT_EQ(bastion_client_config_builder_add_alpn(cb.get(), bytes("http/1.1"), 8), BASTION_OK);
  ASSERT_EQ(bastion_server_config_builder_add_alpn(sb.get(), bytes("http/1.1"), 8), BASTION_OK);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());

  EXPECT_TRUE(bastion_connection_has_output(p.client.get()));  // the ClientHello
  EXPECT_FALSE(bastion_connection_is_handshake_complete(p.client.get()));
  EXPECT_STREQ(bastion_connection_cipher_suite_name(p.client.get()), "");  // not yet
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_TRUE(bastion_connection_is_handshake_complete(p.client.get()));
  EXPECT_TRUE(bastion_connection_is_handshake_complete(p.server.get()));
  EXPECT_TRUE(bastion_connection_wants_read(p.client.get()));

  EXPECT_EQ(bastion_connection_protocol_version(p.client.get()), BASTION_TLS13);
  EXPECT_STREQ(bastion_connection_protocol_version_name(p.client.get()), "TLSv1.3");
  EXPECT_EQ(bastion_connection_cipher_suite(p.client.get()), 0x1301);
  EXPECT_STREQ(bastion_connection_cipher_suite_name(p.server.get()), "TLS_AES_128_GCM_SHA256");
  EXPECT_STREQ(bastion_connection_alpn(p.client.get()), "http/1.1");
  EXPECT_STREQ(bastion_connection_alpn(p.server.get()), "http/1.1");
  EXPECT_STREQ(bastion_connection_server_name(p.server.get()), "localhost");
  EXPECT_TRUE(bastion_connection_peer_verified(p.client.get()));
  EXPECT_FALSE(bastion_connection_is_resumed(p.client.get()));
  ASSERT_EQ(bastion_connection_peer_certificate_count(p.client.get()), 1u);
  size_t len = 0;
  const uint8_t* der = bastion_connection_peer_certificate(p.client.get(), 0, &len);
  ASSERT_NE(der, nullptr);
  auto expected = parse_pem_certificates(kEcdsaCertPem);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(std::vector<uint8_t>(der, der + len), expected->front());
  EXPECT_EQ(bastion_connection_peer_certificate(p.client.get(), 1, &len), nullptr);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(bastion_connection_peer_certificate_count(p.server.get()), 0u);

  const std::string request = "GET / HTTP/1.0\r\n\r\n";
  ASSERT_EQ(bastion_connection_write(p.client.get(), bytes(request), request.size()), BASTION_OK);
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_EQ(bastion_connection_readable(p.server.get()), request.size());
  EXPECT_EQ(read_all(p.server.get()), request);
  const std::string response(30000, 'r');  // two records
  ASSERT_EQ(bastion_connection_write(p.server.get(), bytes(response), response.size()), BASTION_OK);
  ASSERT_EQ(bastion_connection_close(p.server.get()), BASTION_OK);
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_TRUE(read_all(p.client.get()) == response);
  EXPECT_TRUE(bastion_connection_peer_closed(p.client.get()));
  EXPECT_FALSE(bastion_connection_wants_read(p.client.get()));
  // A clean end: EOF after close_notify is fine, and reads say 0 bytes.
  EXPECT_EQ(bastion_connection_receive_eof(p.client.get()), BASTION_OK);
  uint8_t buf[16];
  size_t n = 99;
  EXPECT_EQ(bastion_connection_read(p.client.get(), buf, sizeof buf, &n), BASTION_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_FALSE(bastion_connection_failed(p.client.get()));
  EXPECT_EQ(bastion_connection_error(p.client.get()), BASTION_OK);
  EXPECT_EQ(error_message(p.client.get()), "");

  // Writing after one's own close is refused.
  EXPECT_EQ(bastion_connection_write(p.server.get(), bytes("x"), 1), BASTION_CLOSED);
  EXPECT_NE(error_message(p.server.get()).find("write after close"), std::string::npos);
}

TEST_F(CapiConnection, Tls12WithRsaCertificateFromPem) {
  auto cb = client_builder(pki);
  ServerBuilder sb(bastion_server_config_builder_new());
  const std::string chain = kRsaCertPem;
  const std::string key = kRsaKeyPem;
  ASSERT_EQ(bastion_server_config_builder_add_certificate_pem(sb.get(), bytes(chain), chain.size(),
                                                              bytes(key), key.size()),
            BASTION_OK)
      << error_message(sb.get());
  ASSERT_EQ(bastion_client_config_builder_set_versions(cb.get(), BASTION_TLS12, BASTION_TLS12),
            BASTION_OK);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get(), "127.0.0.1");
  ASSERT_EQ(pump(p), BASTION_OK) << error_message(p.client.get());
  EXPECT_EQ(bastion_connection_protocol_version(p.server.get()), BASTION_TLS12);
  EXPECT_STREQ(bastion_connection_cipher_suite_name(p.client.get()),
               "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_STREQ(bastion_connection_server_name(p.server.get()), "");  // no SNI for an address
  ASSERT_EQ(bastion_connection_write(p.client.get(), bytes("ping"), 4), BASTION_OK);
  ASSERT_EQ(pump(p), BASTION_OK);
  EXPECT_EQ(read_all(p.server.get()), "ping");
}

TEST_F(CapiConnection, TruncationIsToldFromACleanClose) {
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK);
  ASSERT_EQ(bastion_connection_write(p.server.get(), bytes("partial"), 7), BASTION_OK);
  ASSERT_EQ(pump(p), BASTION_OK);
  // The transport ends without close_notify.
  EXPECT_EQ(bastion_connection_receive_eof(p.client.get()), BASTION_TRUNCATED);
  EXPECT_TRUE(bastion_connection_failed(p.client.get()));
  EXPECT_EQ(bastion_connection_error(p.client.get()), BASTION_TRUNCATED);
  EXPECT_NE(error_message(p.client.get()).find("truncated: "), std::string::npos);
  // What came before is still read, then the failure is returned.
  uint8_t buf[16];
  size_t n = 0;
  ASSERT_EQ(bastion_connection_read(p.client.get(), buf, sizeof buf, &n), BASTION_OK);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), n), "partial");
  EXPECT_EQ(bastion_connection_read(p.client.get(), buf, sizeof buf, &n), BASTION_TRUNCATED);
  EXPECT_EQ(n, 0u);
  EXPECT_FALSE(bastion_connection_has_output(p.client.get()));  // no one to send an alert to
}

TEST_F(CapiConnection, InputIsTakenInPartWhenPlaintextIsNotRead) {
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK);
  const std::string data(200000, 'd');
  ASSERT_EQ(bastion_connection_write(p.server.get(), bytes(data), data.size()), BASTION_OK);
  std::vector<uint8_t> wire(100000);
  std::vector<uint8_t> all;
  size_t got = 0;
  do {
    ASSERT_EQ(bastion_connection_take_output(p.server.get(), wire.data(), wire.size(), &got),
              BASTION_OK);
    all.insert(all.end(), wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(got));
  } while (got > 0);
  EXPECT_FALSE(bastion_connection_has_output(p.server.get()));

  // The caller reads only when the connection stops taking input.
  std::string received;
  size_t offset = 0;
  bool stopped_once = false;
  while (offset < all.size()) {
    size_t taken = 0;
    ASSERT_EQ(bastion_connection_receive(p.client.get(), all.data() + offset, all.size() - offset,
                                         &taken),
              BASTION_OK);
    offset += taken;
    if (offset < all.size()) {
      stopped_once = true;
      received += read_all(p.client.get());
    }
  }
  received += read_all(p.client.get());
  EXPECT_TRUE(stopped_once);
  EXPECT_TRUE(received == data) << received.size() << " bytes received of " << data.size();
}

TEST_F(CapiConnection, BytesAfterCloseNotifyAreTakenAndIgnored) {
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK);
  ASSERT_EQ(bastion_connection_close(p.server.get()), BASTION_OK);
  ASSERT_EQ(pump(p), BASTION_OK);
  ASSERT_TRUE(bastion_connection_peer_closed(p.client.get()));
  const uint8_t junk[] = {1, 2, 3, 4, 5};
  size_t taken = 0;
  EXPECT_EQ(bastion_connection_receive(p.client.get(), junk, sizeof junk, &taken), BASTION_OK);
  EXPECT_EQ(taken, sizeof junk);
}

TEST_F(CapiConnection, AFatalErrorQueuesTheAlertAndSticks) {
  auto cb = client_builder(pki);
  auto sb = server_builder(pki);
  auto cc = build(cb.get());
  auto sc = build(sb.get());
  auto p = connect(cc.get(), sc.get());
  ASSERT_EQ(pump(p), BASTION_OK);
  // An application data record whose tag does not verify.
  const uint8_t record[] = {23, 3, 3, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0,
                            0,  0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0};
  size_t taken = 0;
  EXPECT_EQ(bastion_connection_receive(p.client.get(), record, sizeof record, &taken),
            BASTION_BAD_RECORD_MAC);
  EXPECT_EQ(taken, sizeof record);
  EXPECT_TRUE(bastion_connection_has_output(p.client.get()));  // the alert
  EXPECT_EQ(bastion_connection_error(p.client.get()), BASTION_BAD_RECORD_MAC);
  EXPECT_EQ(bastion_connection_write(p.client.get(), bytes("x"), 1), BASTION_BAD_RECORD_MAC);
  EXPECT_EQ(transfer(p.client.get(), p.server.get()), BASTION_PEER_ALERT);
  EXPECT_NE(error_message(p.server.get()).find("bad_record_mac"), std::string::npos);
}

}  // namespace
}  // namespace bastion::test
