// Our server against a scripted hostile client: for each misbehaviour, the exact error, the
// alert the server queues, and a dead connection afterwards.
#include <gtest/gtest.h>

#include "unit/conn/hostile_peer.hpp"

namespace bastion::test::hostile {
namespace {

using msgs::ClientHello;

class HostileClient : public ::testing::Test {
 protected:
  void SetUp() override { start(server_options_with(kEcdsaCertPem, kEcdsaKeyPem)); }

  void start(ServerOptions options) {
    auto made = ServerConfig::create(std::move(options));
    ASSERT_TRUE(made.ok());
    config = *made;
    auto s = ServerConnection::create(config);
    ASSERT_TRUE(s.ok());
    server.emplace(std::move(s).value());
  }

  std::shared_ptr<const ServerConfig> config;

  // A valid ClientHello with an x25519 share (or one for `group`).
  ClientHello client_hello(NamedGroup group = NamedGroup::x25519) {
    ClientHello ch;
    ch.random.fill(0x21);
    ch.legacy_session_id.assign(32, 0x33);
    ch.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256, CipherSuite::tls_aes_256_gcm_sha384};
    auto& ext = ch.extensions;
    ext.push_back(msgs::to_extension(msgs::ServerName{"localhost"}).value());
    ext.push_back(
        msgs::to_extension(msgs::SupportedVersionsClientHello{{ProtocolVersion::tls13}}).value());
    ext.push_back(
        msgs::to_extension(msgs::SupportedGroups{{NamedGroup::x25519, NamedGroup::secp256r1}})
            .value());
    ext.push_back(
        msgs::to_extension(msgs::SignatureAlgorithms{
                               {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ed25519}})
            .value());
    msgs::KeyShareClientHello shares;
    shares.client_shares.push_back({group, peer.make_share(group)});
    ext.push_back(msgs::to_extension(shares).value());
    return ch;
  }

  Bytes hello(const ClientHello& ch) {
    return peer.plain_message(msgs::encode_message(ch).value());
  }

  Result<void> deliver(const Bytes& bytes) { return server->receive(bytes); }

  // Reads the server's flight: the peer derives the handshake and application keys from it.
  void read_flight() {
    peer.take(*server);
    ASSERT_TRUE(peer.server_hello().has_value());
    ASSERT_TRUE(peer.has_writer());
  }

  Bytes finished(bool good = true) {
    Bytes body = peer.finished_body();
    if (!good) body[0] ^= 1;
    return peer.seal_message(framed(HandshakeType::finished, body));
  }

  void complete() {
    ASSERT_OK(deliver(hello(client_hello())));
    read_flight();
    ASSERT_OK(deliver(finished()));
    ASSERT_TRUE(server->handshake_complete());
    peer.write_with_application_keys();
  }

  void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert) {
    hostile::expect_fatal(result, code, alert, *server, peer);
  }

  // Delivers a ClientHello changed by `edit` and expects the server to refuse it.
  template <class Edit>
  void expect_hello_refused(Edit edit, ErrorCode code, Alert alert) {
    auto ch = client_hello();
    edit(ch);
    expect_fatal(deliver(hello(ch)), code, alert);
  }

  Peer peer{Plays::client};
  std::optional<ServerConnection> server;
};

TEST_F(HostileClient, ScriptedClientCompletesAHandshake) {
  complete();
  ASSERT_OK(deliver(peer.seal(ContentType::application_data, bytes_of("ping"))));
  EXPECT_EQ(read_all(*server), "ping");
}

// --- ClientHello ------------------------------------------------------------------------------

TEST_F(HostileClient, SslV2ClientHello) {
  // An SSLv2-compatible CLIENT-HELLO (RFC 6101 §E.2): a 2-byte header with the top bit set.
  const Bytes v2{0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10,
                 0x00, 0x00, 0x2f, 0x00, 0x00, 0x35, 0x00, 0x00, 0x0a, 0x00, 0x00,
                 0x05, 0x00, 0x00, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
  // RFC 8446 §D.5: servers MAY refuse it; an unknown record type is unexpected_message (§5).
  expect_fatal(deliver(v2), ErrorCode::bad_content_type, Alert::unexpected_message);
}

TEST_F(HostileClient, Tls12OnlyClientHello) {
  // RFC 8446 §4.2.1: no supported_versions means TLS 1.2 or below: protocol_version from a
  // server that takes TLS 1.3 only.
  auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  options.min_version = ProtocolVersion::tls13;
  start(std::move(options));
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions.erase(ch.extensions.begin() + 1);
        ch.cipher_suites = {static_cast<CipherSuite>(0xc02f)};
      },
      ErrorCode::protocol_version, Alert::protocol_version);
}

TEST_F(HostileClient, SupportedVersionsWithoutTls13) {
  auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  options.min_version = ProtocolVersion::tls13;
  start(std::move(options));
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions[1] =
            msgs::to_extension(msgs::SupportedVersionsClientHello{
                                   {ProtocolVersion::tls12, static_cast<ProtocolVersion>(0x0302)}})
                .value();
      },
      ErrorCode::protocol_version, Alert::protocol_version);
}

TEST_F(HostileClient, LegacyVersionIsIgnoredWhenSupportedVersionsIsThere) {
  // RFC 8446 §4.2.1: servers MUST NOT use legacy_version when supported_versions is present.
  auto ch = client_hello();
  ch.legacy_version = static_cast<ProtocolVersion>(0x0301);
  ASSERT_OK(deliver(hello(ch)));
  read_flight();
  ASSERT_OK(deliver(finished()));
  EXPECT_TRUE(server->handshake_complete());
}

TEST_F(HostileClient, LegacyVersionOfSsl3OrBelowIsProtocolVersion) {
  // RFC 8446 Appendix D.5: a ClientHello.legacy_version of 0x0300 or less MUST be refused
  // with protocol_version, even when supported_versions offers TLS 1.3.
  for (uint16_t version : {0x0300, 0x0200, 0x0103, 0x0002, 0x0000}) {
    SCOPED_TRACE(version);
    peer = Peer(Plays::client);
    SetUp();
    expect_hello_refused(
        [&](ClientHello& ch) { ch.legacy_version = static_cast<ProtocolVersion>(version); },
        ErrorCode::protocol_version, Alert::protocol_version);
  }
}

TEST_F(HostileClient, LegacyRecordVersionIsIgnored) {
  // RFC 8446 §5.1: legacy_record_version MUST be ignored.
  auto message = msgs::encode_message(client_hello()).value();
  peer.transcript().add(message);
  ASSERT_OK(deliver(raw_record(ContentType::handshake, message, 0x0300)));
  read_flight();
}

TEST_F(HostileClient, CompressionMethodsOtherThanNull) {
  // RFC 8446 §4.1.2: exactly one null compression method, else illegal_parameter.
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.legacy_compression_methods = {1, 0};
      },
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, DuplicateExtension) {
  expect_hello_refused([](ClientHello& ch) { ch.extensions.push_back(ch.extensions[2]); },
                       ErrorCode::duplicate_extension, Alert::illegal_parameter);
}

TEST_F(HostileClient, UnknownExtensionsAreIgnored) {
  // RFC 8446 §4.2 and RFC 8701: unknown (GREASE) extensions are ignored.
  auto ch = client_hello();
  ch.extensions.insert(ch.extensions.begin(), {static_cast<ExtensionType>(0x3a3a), {}});
  ch.extensions.push_back({static_cast<ExtensionType>(0xfe00), {1, 2, 3}});
  ASSERT_OK(deliver(hello(ch)));
  read_flight();
}

TEST_F(HostileClient, ExtensionNotAllowedInClientHello) {
  // RFC 8446 §4.2: oid_filters belongs in CertificateRequest only.
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions.push_back({ExtensionType::oid_filters, {0, 0}});
      },
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, PreSharedKeyNotLast) {
  // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension (illegal_parameter).
  Bytes psk{0, 11, 0, 5, 'a', 'b', 'c', 'd', 'e', 0, 0, 0, 1, 0, 33, 32};
  psk.resize(psk.size() + 32, 0xb1);
  expect_hello_refused(
      [&](ClientHello& ch) {
        ch.extensions.insert(ch.extensions.begin(), {ExtensionType::pre_shared_key, psk});
      },
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, EmptyCipherSuiteList) {
  expect_hello_refused([](ClientHello& ch) { ch.cipher_suites.clear(); }, ErrorCode::decode_error,
                       Alert::decode_error);
}

TEST_F(HostileClient, SessionIdLongerThan32Bytes) {
  expect_hello_refused([](ClientHello& ch) { ch.legacy_session_id.assign(33, 1); },
                       ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileClient, TooManyExtensions) {
  expect_hello_refused(
      [](ClientHello& ch) {
        for (uint16_t i = 0; i < limits::kMaxExtensions; ++i) {
          ch.extensions.push_back({static_cast<ExtensionType>(0x7000 + i), {}});
        }
      },
      ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileClient, UnknownPreSharedKeyIsDeclined) {
  // A ticket the server cannot open (last, as §4.2.11 requires) is declined: a full handshake.
  Bytes psk{0, 11, 0, 5, 'a', 'b', 'c', 'd', 'e', 0, 0, 0, 1, 0, 33, 32};
  psk.resize(psk.size() + 32, 0xb1);
  auto ch = client_hello();
  ch.extensions.push_back(
      msgs::to_extension(msgs::PskKeyExchangeModes{{msgs::PskKeyExchangeMode::psk_dhe_ke}})
          .value());
  ch.extensions.push_back({ExtensionType::pre_shared_key, psk});
  ASSERT_OK(deliver(hello(ch)));
  read_flight();
  auto sh = *peer.server_hello();
  EXPECT_FALSE(msgs::contains(sh.extensions, ExtensionType::pre_shared_key));
}

TEST_F(HostileClient, ServerNameWithATrailingDot) {
  // RFC 6066 §3: a HostName has no trailing dot.
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions[0] = {ExtensionType::server_name,
                            {0, 13, 0, 0, 10, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', '.'}};
      },
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, AlpnWithAnEmptyProtocolName) {
  // RFC 7301 §3.1: ProtocolName is opaque<1..2^8-1>.
  expect_hello_refused(
      [](ClientHello& ch) {
        ch.extensions.push_back(
            {ExtensionType::application_layer_protocol_negotiation, {0, 4, 2, 'h', '2', 0}});
      },
      ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileClient, KeyShareForAGroupNotInSupportedGroups) {
  // RFC 8446 §4.2.8: each share must be for a group in supported_groups.
  auto ch = client_hello(NamedGroup::secp384r1);
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, MissingKeyShare) {
  // RFC 8446 §9.2: without PSK, key_share is mandatory (missing_extension).
  expect_hello_refused([](ClientHello& ch) { ch.extensions.pop_back(); },
                       ErrorCode::missing_extension, Alert::missing_extension);
}

TEST_F(HostileClient, MissingSignatureAlgorithms) {
  expect_hello_refused([](ClientHello& ch) { ch.extensions.erase(ch.extensions.begin() + 3); },
                       ErrorCode::missing_extension, Alert::missing_extension);
}

TEST_F(HostileClient, NoCommonCipherSuite) {
  expect_hello_refused(
      [](ClientHello& ch) { ch.cipher_suites = {static_cast<CipherSuite>(0x1304)}; },
      ErrorCode::no_common_cipher_suite, Alert::handshake_failure);
}

TEST_F(HostileClient, NoCommonGroup) {
  expect_hello_refused(
      [](ClientHello& ch) {
        const auto brainpool = static_cast<NamedGroup>(0x001a);  // brainpoolP256r1: not ours
        ch.extensions[2] = msgs::to_extension(msgs::SupportedGroups{{brainpool}}).value();
        msgs::KeyShareClientHello shares;
        shares.client_shares.push_back({brainpool, Bytes(65, 4)});
        ch.extensions[4] = msgs::to_extension(shares).value();
      },
      ErrorCode::no_common_group, Alert::handshake_failure);
}

TEST_F(HostileClient, InvalidKeyShare) {
  expect_hello_refused(
      [](ClientHello& ch) {
        msgs::KeyShareClientHello shares;
        shares.client_shares.push_back({NamedGroup::secp256r1, Bytes(65, 4)});
        ch.extensions[4] = msgs::to_extension(shares).value();
      },
      ErrorCode::bad_key_share, Alert::illegal_parameter);
}

TEST_F(HostileClient, InvalidKeySharesAreIllegalParameter) {
  for (const auto& item : invalid_key_shares()) {
    const std::string& what = item.first;
    const msgs::KeyShareEntry& entry = item.second;  // a lambda below captures it
    SCOPED_TRACE(what);
    peer = Peer(Plays::client);
    SetUp();
    expect_hello_refused(
        [&](ClientHello& ch) {
          ch.extensions[2] = msgs::to_extension(msgs::SupportedGroups{{entry.group}}).value();
          msgs::KeyShareClientHello shares;
          shares.client_shares.push_back(entry);
          ch.extensions[4] = msgs::to_extension(shares).value();
        },
        ErrorCode::bad_key_share, Alert::illegal_parameter);
  }
}

TEST_F(HostileClient, TruncatedClientHello) {
  Bytes body = client_hello().encode().value();
  body.resize(body.size() - 3);
  expect_fatal(deliver(peer.plain_message(framed(HandshakeType::client_hello, body))),
               ErrorCode::decode_error, Alert::decode_error);
}

TEST_F(HostileClient, LongestSignatureAlgorithmsListsAreAccepted) {
  // RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>, filled up to
  // what the extensions block holds: duplicates and unknown values, ours last.
  for (auto type :
       {ExtensionType::signature_algorithms, ExtensionType::signature_algorithms_cert}) {
    SCOPED_TRACE(static_cast<int>(type));
    peer = Peer(Plays::client);
    SetUp();
    auto ch = client_hello();
    size_t others = 0;
    for (const auto& e : ch.extensions) {
      if (e.type != ExtensionType::signature_algorithms) others += 4 + e.data.size();
    }
    if (type == ExtensionType::signature_algorithms_cert)
      others += 4 + ch.extensions[3].data.size();
    const size_t count = (0xffff - others - 4 - 2) / 2;
    std::vector<SignatureScheme> schemes;
    for (size_t i = 0; i + 1 < count; ++i) {
      schemes.push_back(static_cast<SignatureScheme>(i % 3 == 0 ? 0x0403 : 0xfe00 + i % 200));
    }
    schemes.push_back(SignatureScheme::ecdsa_secp256r1_sha256);
    auto list = msgs::to_extension(msgs::SignatureAlgorithms{schemes}).value();
    list.type = type;
    if (type == ExtensionType::signature_algorithms) {
      ch.extensions[3] = list;
    } else {
      ch.extensions.push_back(list);
    }
    const auto message = msgs::encode_message(ch).value();
    ASSERT_GT(message.size(), limits::kMaxHandshakeMessage);
    peer.transcript().add(message);
    Bytes records;
    record::append_plaintext_records(ContentType::handshake, message, records);
    ASSERT_OK(deliver(records));
    read_flight();
    ASSERT_OK(deliver(finished()));
    EXPECT_TRUE(server->handshake_complete());
  }
}

TEST_F(HostileClient, ClientHelloOverTheSizeCap) {
  const size_t length = limits::kMaxClientHello + 1;
  Bytes header{static_cast<uint8_t>(HandshakeType::client_hello),
               static_cast<uint8_t>(length >> 16), static_cast<uint8_t>(length >> 8),
               static_cast<uint8_t>(length)};
  expect_fatal(deliver(raw_record(ContentType::handshake, header)), ErrorCode::message_too_large,
               Alert::decode_error);
}

TEST_F(HostileClient, ClientHelloInOneByteRecords) {
  // Legal (RFC 8446 §5.1), and the server must still answer.
  auto message = msgs::encode_message(client_hello()).value();
  peer.transcript().add(message);
  Bytes records;
  record::append_plaintext_records(ContentType::handshake, message, records, 0x0301, 1);
  ASSERT_OK(deliver(records));
  read_flight();
}

TEST_F(HostileClient, EndlessFragmentsStopAtTheMessageBound) {
  // A ClientHello announced at the size bound and sent one byte per record: the server buffers
  // at most the bound, then judges the whole message (here garbage: decode_error).
  Bytes message{static_cast<uint8_t>(HandshakeType::client_hello)};
  const size_t body = limits::kMaxHandshakeMessage;
  message.push_back(static_cast<uint8_t>(body >> 16));
  message.push_back(static_cast<uint8_t>(body >> 8));
  message.push_back(static_cast<uint8_t>(body));
  message.resize(message.size() + body, 0x41);
  Bytes records;
  record::append_plaintext_records(ContentType::handshake, message, records, 0x0301, 1);
  Bytes all_but_last(records.begin(), records.end() - 6);
  ASSERT_OK(deliver(all_but_last));
  EXPECT_FALSE(server->failed());
  expect_fatal(deliver(Bytes(records.end() - 6, records.end())), ErrorCode::decode_error,
               Alert::decode_error);
}

TEST_F(HostileClient, TwoSharesForTheSameGroup) {
  auto ch = client_hello();
  auto first = msgs::find_as<msgs::KeyShareClientHello>(ch.extensions);
  ASSERT_TRUE(first.ok() && first->has_value());
  msgs::KeyShareClientHello shares = **first;
  shares.client_shares.push_back(shares.client_shares.front());
  ch.extensions[4] = msgs::to_extension(shares).value();
  // RFC 8446 §4.2.8: clients MUST NOT offer two shares for one group; servers MAY abort with
  // illegal_parameter, and ours does.
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, ClientThatTricklesOneByteAtATimeStillCompletes) {
  Bytes ch = hello(client_hello());
  for (uint8_t b : ch) ASSERT_OK(server->receive(std::span(&b, 1)));
  read_flight();
  Bytes fin = concat({raw_record(ContentType::change_cipher_spec, Bytes{1}), finished()});
  for (uint8_t b : fin) ASSERT_OK(server->receive(std::span(&b, 1)));
  EXPECT_TRUE(server->handshake_complete());
}

// --- HelloRetryRequest ------------------------------------------------------------------------

class HostileClientAfterRetry : public HostileClient {
 protected:
  void SetUp() override { retry_with(true); }

  void retry_with(bool stateless) {
    auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    options.groups = {NamedGroup::secp256r1};
    options.stateless_retry = stateless;
    start(std::move(options));
    ASSERT_OK(deliver(hello(client_hello())));
    peer.take(*server);
    ASSERT_TRUE(peer.server_hello() && peer.server_hello()->is_hello_retry_request());
  }

  // The second ClientHello: the first's, with a share for `group` and the cookie echoed.
  ClientHello retried(NamedGroup group = NamedGroup::secp256r1) {
    auto ch = client_hello(group);
    echo_cookie(ch, *peer.server_hello());
    return ch;
  }
};

TEST_F(HostileClientAfterRetry, RetriedHelloCompletes) {
  ASSERT_OK(deliver(hello(retried())));
  read_flight();
  ASSERT_OK(deliver(finished()));
  EXPECT_TRUE(server->handshake_complete());
}

TEST_F(HostileClientAfterRetry, SecondHelloWithoutTheRequestedShare) {
  // RFC 8446 §4.1.2: the new ClientHello carries a share for the selected group.
  auto ch = retried(NamedGroup::x25519);
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAfterRetry, SecondHelloDropsTheSelectedSuite) {
  auto ch = retried();
  ch.cipher_suites = {CipherSuite::tls_aes_256_gcm_sha384};
  // RFC 8446 §4.1.4: the cipher suite of the HelloRetryRequest is kept.
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

const msgs::Extension* cookie_of(const msgs::ServerHello& hrr) {
  return msgs::find(hrr.extensions, ExtensionType::cookie);
}

TEST_F(HostileClientAfterRetry, ServerKeepsNoStateAndAnyConnectionTakesTheCookie) {
  // RFC 8446 §4.2.2: the cookie holds what the server needs, so a connection that never saw
  // the first ClientHello completes the handshake from the second.
  ASSERT_NE(cookie_of(*peer.server_hello()), nullptr);
  auto fresh = ServerConnection::create(config);
  ASSERT_TRUE(fresh.ok());
  server.emplace(std::move(fresh).value());
  ASSERT_OK(deliver(hello(retried())));
  read_flight();
  ASSERT_OK(deliver(finished()));
  EXPECT_TRUE(server->handshake_complete());
  EXPECT_TRUE(server->info().hello_retry);
}

TEST_F(HostileClientAfterRetry, SecondHelloWithoutTheCookie) {
  expect_fatal(deliver(hello(client_hello(NamedGroup::secp256r1))), ErrorCode::missing_extension,
               Alert::missing_extension);
}

TEST_F(HostileClientAfterRetry, ChangedCookie) {
  auto ch = retried();
  ch.extensions.back().data[10] ^= 1;
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAfterRetry, CookieFromAnotherServer) {
  auto other = ServerConfig::create(server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_TRUE(other.ok());
  auto fresh = ServerConnection::create(*other);
  ASSERT_TRUE(fresh.ok());
  server.emplace(std::move(fresh).value());
  expect_fatal(deliver(hello(retried())), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAfterRetry, SecondHelloWithExtensionsInAnotherOrderCompletes) {
  // RFC 8446 §4.1.2 lists what may change, not where each extension stands.
  auto ch = retried();
  std::reverse(ch.extensions.begin(), ch.extensions.end());
  ASSERT_OK(deliver(hello(ch)));
  read_flight();
  ASSERT_OK(deliver(finished()));
  EXPECT_TRUE(server->handshake_complete());
}

TEST_F(HostileClientAfterRetry, SecondHelloThatChangesMoreIsIllegal) {
  auto with_alpn = retried();
  with_alpn.extensions.insert(with_alpn.extensions.begin(),
                              msgs::to_extension(msgs::Alpn{{"h2"}}).value());
  expect_fatal(deliver(hello(with_alpn)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAfterRetry, SecondHelloWithAnotherRandomIsIllegal) {
  auto ch = retried();
  ch.random[0] ^= 1;
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAfterRetry, StatefulRetryWhenCookiesAreOff) {
  peer = Peer(Plays::client);
  retry_with(false);
  EXPECT_EQ(cookie_of(*peer.server_hello()), nullptr);
  auto reordered = client_hello(NamedGroup::secp256r1);
  std::swap(reordered.extensions[0], reordered.extensions[1]);
  ASSERT_OK(deliver(hello(reordered)));
  read_flight();
  ASSERT_OK(deliver(finished()));
  EXPECT_TRUE(server->handshake_complete());
}

TEST_F(HostileClientAfterRetry, CookieTheStatefulServerDidNotSend) {
  peer = Peer(Plays::client);
  retry_with(false);
  auto ch = client_hello(NamedGroup::secp256r1);
  ch.extensions.push_back(msgs::to_extension(msgs::Cookie{Bytes(40, 7)}).value());
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, CookieInAFirstClientHello) {
  auto ch = client_hello();
  ch.extensions.push_back(msgs::to_extension(msgs::Cookie{Bytes(90, 7)}).value());
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientAfterRetry, SomethingElseThanAClientHello) {
  expect_fatal(
      deliver(raw_record(ContentType::handshake, framed(HandshakeType::finished, Bytes(32, 0)))),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

// --- out of order, records --------------------------------------------------------------------

TEST_F(HostileClient, FinishedFirst) {
  expect_fatal(
      deliver(raw_record(ContentType::handshake, framed(HandshakeType::finished, Bytes(32, 0)))),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, ClientHelloTwiceInOneRecord) {
  auto message = msgs::encode_message(client_hello()).value();
  peer.transcript().add(message);
  // RFC 8446 §5.1: the ClientHello precedes a key change and MUST end its record.
  expect_fatal(deliver(raw_record(ContentType::handshake, concat({message, message}))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, ClientHelloAgainInPlaintext) {
  auto ch = client_hello();
  ASSERT_OK(deliver(hello(ch)));
  expect_fatal(deliver(raw_record(ContentType::handshake, msgs::encode_message(ch).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, ClientHelloAgainEncrypted) {
  ASSERT_OK(deliver(hello(client_hello())));
  read_flight();
  expect_fatal(
      deliver(peer.seal(ContentType::handshake, msgs::encode_message(client_hello()).value())),
      ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, ChangeCipherSpecBeforeClientHello) {
  // RFC 8446 §5: change_cipher_spec before the first ClientHello is an unexpected record.
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, ChangeCipherSpecAfterFinished) {
  complete();
  expect_fatal(deliver(raw_record(ContentType::change_cipher_spec, Bytes{1})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, PlaintextApplicationDataBeforeKeys) {
  expect_fatal(deliver(raw_record(ContentType::application_data, bytes_of("GET /"))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, ApplicationDataBeforeFinished) {
  ASSERT_OK(deliver(hello(client_hello())));
  read_flight();
  // No early data was accepted: application data before the client Finished is unexpected.
  expect_fatal(deliver(peer.seal(ContentType::application_data, bytes_of("early"))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, BadFinished) {
  ASSERT_OK(deliver(hello(client_hello())));
  read_flight();
  // RFC 8446 §4.4.4: decrypt_error. The alert goes out under the server's application keys.
  expect_fatal(deliver(finished(false)), ErrorCode::bad_finished, Alert::decrypt_error);
}

TEST_F(HostileClient, BadAeadTagOnFinished) {
  ASSERT_OK(deliver(hello(client_hello())));
  read_flight();
  Bytes record = finished();
  record[record.size() - 3] ^= 4;
  expect_fatal(deliver(record), ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

TEST_F(HostileClient, UnsolicitedCertificate) {
  ASSERT_OK(deliver(hello(client_hello())));
  read_flight();
  msgs::Certificate cert;
  cert.certificate_list.push_back({first_der(kEcdsaCertPem), {}});
  // No CertificateRequest was sent, so a client Certificate is out of order.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cert).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, EndOfEarlyDataWithoutEarlyData) {
  ASSERT_OK(deliver(hello(client_hello())));
  read_flight();
  expect_fatal(deliver(peer.seal_message(framed(HandshakeType::end_of_early_data, {}))),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, AlertOfTheWrongLength) {
  expect_fatal(deliver(raw_record(ContentType::alert, Bytes{2})), ErrorCode::decode_error,
               Alert::decode_error);
}

TEST_F(HostileClient, ZeroLengthAlertRecord) {
  expect_fatal(deliver(raw_record(ContentType::alert, Bytes{})), ErrorCode::empty_record,
               Alert::unexpected_message);
}

// --- client authentication --------------------------------------------------------------------

class HostileClientUnderClientAuth : public HostileClient {
 protected:
  void SetUp() override {
    auto options = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    options.client_auth = ClientAuth::require;
    options.client_verifier = exact_certificate_verifier({first_der(kEd25519CertPem)});
    start(std::move(options));
    ASSERT_OK(deliver(hello(client_hello())));
    read_flight();
  }

  Bytes certificate(const std::vector<Der>& ders) {
    msgs::Certificate cert;
    for (const auto& der : ders) cert.certificate_list.push_back({der, {}});
    return peer.seal_message(msgs::encode_message(cert).value());
  }

  msgs::CertificateVerify signed_transcript() {
    auto key = peer.provider().load_private_key_pem(kEd25519KeyPem, {});
    EXPECT_TRUE(key.ok());
    auto cv = handshake::sign_certificate_verify(**key, SignatureScheme::ed25519,
                                                 handshake::Signer::client,
                                                 peer.transcript().current_hash().span());
    EXPECT_TRUE(cv.ok());
    return *cv;
  }
};

TEST_F(HostileClientUnderClientAuth, ValidCertificateCompletes) {
  ASSERT_OK(deliver(certificate({first_der(kEd25519CertPem)})));
  ASSERT_OK(deliver(peer.seal_message(msgs::encode_message(signed_transcript()).value())));
  // Proved its key, but not yet its Finished: not a verified peer yet.
  EXPECT_FALSE(server->info().peer_verified);
  EXPECT_TRUE(server->info().peer_certificates.empty());
  ASSERT_OK(deliver(finished()));
  EXPECT_TRUE(server->handshake_complete());
  EXPECT_TRUE(server->info().peer_verified);
  EXPECT_EQ(server->info().peer_certificates, std::vector<Der>{first_der(kEd25519CertPem)});
  EXPECT_EQ(server->info().peer_signature_scheme, SignatureScheme::ed25519);
}

TEST_F(HostileClientUnderClientAuth, BadFinishedAfterAValidCertificateIsNoVerifiedPeer) {
  ASSERT_OK(deliver(certificate({first_der(kEd25519CertPem)})));
  ASSERT_OK(deliver(peer.seal_message(msgs::encode_message(signed_transcript()).value())));
  expect_fatal(deliver(finished(false)), ErrorCode::bad_finished, Alert::decrypt_error);
  EXPECT_FALSE(server->info().peer_verified);
  EXPECT_TRUE(server->info().peer_certificates.empty());
}

TEST_F(HostileClientUnderClientAuth, EmptyCertificateWhenRequired) {
  // RFC 8446 §4.4.2.4: the server MAY abort with certificate_required.
  expect_fatal(deliver(certificate({})), ErrorCode::certificate_required,
               Alert::certificate_required);
}

TEST_F(HostileClientUnderClientAuth, CertificateWithAContext) {
  msgs::Certificate cert;
  cert.certificate_request_context = {9};
  cert.certificate_list.push_back({first_der(kEd25519CertPem), {}});
  // RFC 8446 §4.4.2: the context echoes the CertificateRequest's, which was empty.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cert).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientUnderClientAuth, CertificateVerifyWithoutCertificate) {
  auto cv = signed_transcript();
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cv).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClientUnderClientAuth, FinishedWithoutCertificate) {
  expect_fatal(deliver(finished()), ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClientUnderClientAuth, BadCertificateVerifySignature) {
  ASSERT_OK(deliver(certificate({first_der(kEd25519CertPem)})));
  auto cv = signed_transcript();
  cv.signature[5] ^= 1;
  // RFC 8446 §4.4.3: decrypt_error.
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cv).value())),
               ErrorCode::bad_signature, Alert::decrypt_error);
  EXPECT_FALSE(server->info().peer_verified);
  EXPECT_TRUE(server->info().peer_certificates.empty());
}

TEST_F(HostileClientUnderClientAuth, CertificateVerifyWithTheWrongKeyType) {
  ASSERT_OK(deliver(certificate({first_der(kEd25519CertPem)})));
  auto cv = signed_transcript();
  cv.algorithm = SignatureScheme::ecdsa_secp256r1_sha256;  // the key is Ed25519
  expect_fatal(deliver(peer.seal_message(msgs::encode_message(cv).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClientUnderClientAuth, UntrustedClientCertificate) {
  expect_fatal(deliver(certificate({first_der(kEcdsaCertPem)})), ErrorCode::certificate_untrusted,
               Alert::certificate_unknown);
}

// --- after the handshake ----------------------------------------------------------------------

TEST_F(HostileClient, KeyUpdateFlood) {
  complete();
  auto ku = msgs::encode_message(msgs::KeyUpdate{}).value();
  Result<void> result;
  for (unsigned i = 0; i <= limits::kMaxKeyUpdatesInARow && result.ok(); ++i) {
    result = deliver(peer.seal(ContentType::handshake, ku));
    ASSERT_TRUE(peer.update_write_keys());
  }
  expect_fatal(result, ErrorCode::too_many_key_updates, Alert::unexpected_message);
}

TEST_F(HostileClient, KeyUpdatesBetweenDataAreFine) {
  complete();
  auto ku = msgs::encode_message(msgs::KeyUpdate{}).value();
  for (unsigned i = 0; i < 3 * limits::kMaxKeyUpdatesInARow; ++i) {
    ASSERT_OK(deliver(peer.seal(ContentType::handshake, ku)));
    ASSERT_TRUE(peer.update_write_keys());
    ASSERT_OK(deliver(peer.seal(ContentType::application_data, bytes_of("d"))));
  }
  EXPECT_EQ(read_all(*server).size(), 3 * limits::kMaxKeyUpdatesInARow);
}

TEST_F(HostileClient, KeyUpdateWithABadValue) {
  complete();
  expect_fatal(
      deliver(peer.seal(ContentType::handshake, framed(HandshakeType::key_update, Bytes{7}))),
      ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileClient, KeyUpdateWithTrailingBytes) {
  complete();
  expect_fatal(
      deliver(peer.seal(ContentType::handshake, framed(HandshakeType::key_update, Bytes{0, 0}))),
      ErrorCode::trailing_data, Alert::decode_error);
}

TEST_F(HostileClient, NewSessionTicketFromAClient) {
  complete();
  msgs::NewSessionTicket ticket;
  ticket.ticket = Bytes(8, 1);
  expect_fatal(deliver(peer.seal(ContentType::handshake, msgs::encode_message(ticket).value())),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileClient, OversizedRecordAfterTheHandshake) {
  complete();
  expect_fatal(deliver(raw_record(23, Bytes{}, 0x0303, limits::kMaxCiphertext13 + 1)),
               ErrorCode::record_overflow, Alert::record_overflow);
}

TEST_F(HostileClient, UserCanceledThenCloseIsAnOrderlyEnd) {
  complete();
  ASSERT_OK(deliver(peer.seal(ContentType::alert, Bytes{1, 90})));
  ASSERT_OK(deliver(peer.seal(ContentType::alert, Bytes{1, 0})));
  EXPECT_TRUE(server->peer_closed());
  EXPECT_FALSE(server->failed());
}

}  // namespace
}  // namespace bastion::test::hostile
