// Resumption against scripted hostile peers: our server given PSK offers that break RFC 8446
// §4.2.9-§4.2.11, and our client given PSK selections it never offered.
#include <gtest/gtest.h>

#include "session/session_data.hpp"
#include "session/ticket_keys.hpp"
#include "unit/conn/hostile_peer.hpp"

namespace bastion::test::hostile {
namespace {

using msgs::ClientHello;
using msgs::PreSharedKeyClientHello;
using std::chrono::system_clock;

// Keeps the newest session whatever the name.
class LastSessionStore final : public SessionStore {
 public:
  void put(std::string_view, std::shared_ptr<const Session> s) override { last = std::move(s); }
  std::shared_ptr<const Session> take(std::string_view) override { return std::move(last); }
  std::shared_ptr<const Session> last;
};

// binder = HMAC(finished_key(binder_key), Transcript-Hash(ClientHello up to the binders)).
Bytes binder_for(const Peer& peer, const Secret& psk, crypto::HashAlg hash,
                 std::span<const uint8_t> partial_hello) {
  auto early = handshake::EarlySecret::create(peer.provider(), hash, psk.span());
  handshake::Transcript transcript(peer.provider());
  auto digest = transcript.hash_with(hash, partial_hello);
  auto binder = handshake::compute_verify_data(
      early.hkdf(), early.binder_key(handshake::PskKind::resumption), digest.span());
  return Bytes(binder.span().begin(), binder.span().end());
}

// --- our server, a scripted client ----------------------------------------------------------

class HostileResumingClient : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sc = ServerConfig::create(server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
    ASSERT_TRUE(sc.ok());
    config = *sc;
    // A real ticket from a real handshake with this server.
    auto store = std::make_shared<LastSessionStore>();
    ClientOptions co = client_options_trusting(kEcdsaCertPem);
    co.session_store = store;
    auto cc = ClientConfig::create(std::move(co));
    ASSERT_TRUE(cc.ok());
    auto client = ClientConnection::create(*cc, "localhost");
    auto first = ServerConnection::create(config);
    ASSERT_TRUE(client.ok() && first.ok());
    ASSERT_OK(pump(*client, *first));
    ASSERT_NE(store->last, nullptr);
    session = store->last;
    auto s = ServerConnection::create(config);
    ASSERT_TRUE(s.ok());
    server.emplace(std::move(s).value());
  }

  const Session::Data& ticket() const { return session->data(); }

  ClientHello client_hello(std::vector<CipherSuite> suites = {
                               CipherSuite::tls_aes_128_gcm_sha256}) {
    ClientHello ch;
    ch.random.fill(0x21);
    ch.legacy_session_id.assign(32, 0x33);
    ch.cipher_suites = std::move(suites);
    auto& ext = ch.extensions;
    ext.push_back(msgs::to_extension(msgs::ServerName{"localhost"}).value());
    ext.push_back(
        msgs::to_extension(msgs::SupportedVersionsClientHello{{ProtocolVersion::tls13}}).value());
    ext.push_back(msgs::to_extension(msgs::SupportedGroups{{NamedGroup::x25519}}).value());
    ext.push_back(
        msgs::to_extension(msgs::SignatureAlgorithms{{SignatureScheme::ecdsa_secp256r1_sha256}})
            .value());
    msgs::KeyShareClientHello shares;
    shares.client_shares.push_back({NamedGroup::x25519, peer.make_share(NamedGroup::x25519)});
    ext.push_back(msgs::to_extension(shares).value());
    ext.push_back(
        msgs::to_extension(msgs::PskKeyExchangeModes{{msgs::PskKeyExchangeMode::psk_dhe_ke}})
            .value());
    return ch;
  }

  uint32_t obfuscated_age(std::chrono::milliseconds extra = {}) const {
    auto age = std::chrono::duration_cast<std::chrono::milliseconds>(system_clock::now() -
                                                                     ticket().received);
    return static_cast<uint32_t>((age + extra).count()) + ticket().age_add;
  }

  // The offer of the stored ticket, with placeholder binders.
  PreSharedKeyClientHello offer() const {
    PreSharedKeyClientHello psk;
    psk.identities.push_back({ticket().ticket, obfuscated_age()});
    psk.binders.push_back(Bytes(32, 0));
    return psk;
  }

  // Appends `psk` as the last extension, with binder `index` computed for the ticket's PSK.
  void attach(ClientHello& ch, PreSharedKeyClientHello psk, size_t index = 0) {
    ch.extensions.push_back(msgs::to_extension(psk).value());
    auto encoded = msgs::encode_message(ch).value();
    auto partial = std::span(encoded).first(encoded.size() - psk.binders_size());
    psk.binders[index] = binder_for(peer, ticket().psk, crypto::HashAlg::sha256, partial);
    ch.extensions.back() = msgs::to_extension(psk).value();
  }

  Result<void> deliver(const Bytes& bytes) { return server->receive(bytes); }
  Bytes hello(const ClientHello& ch) {
    return peer.plain_message(msgs::encode_message(ch).value());
  }

  std::vector<HandshakeType> flight_types() {
    std::vector<HandshakeType> types;
    for (const auto& m : peer.received()) types.push_back(m.type);
    return types;
  }

  void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert) {
    hostile::expect_fatal(result, code, alert, *server, peer);
  }

  std::optional<msgs::PreSharedKeyServerHello> selected() {
    auto psk = msgs::find_as<msgs::PreSharedKeyServerHello>(peer.server_hello()->extensions);
    EXPECT_TRUE(psk.ok());
    return psk.ok() ? *psk : std::nullopt;
  }

  std::shared_ptr<const ServerConfig> config;
  std::shared_ptr<const Session> session;
  Peer peer{Plays::client};
  std::optional<ServerConnection> server;
};

TEST_F(HostileResumingClient, ValidBinderResumesWithoutCertificate) {
  auto ch = client_hello();
  attach(ch, offer());
  ASSERT_OK(deliver(hello(ch)));
  peer.use_psk(ticket().psk.span());
  peer.take(*server);
  ASSERT_TRUE(selected().has_value());
  EXPECT_EQ(selected()->selected_identity, 0);
  // RFC 8446 §2.2, §4.3.2: no CertificateRequest, Certificate or CertificateVerify.
  EXPECT_EQ(flight_types(), (std::vector<HandshakeType>{HandshakeType::server_hello,
                                                        HandshakeType::encrypted_extensions,
                                                        HandshakeType::finished}));
  Bytes body = peer.finished_body();
  ASSERT_OK(deliver(peer.seal_message(framed(HandshakeType::finished, body))));
  EXPECT_TRUE(server->handshake_complete());
  EXPECT_TRUE(server->info().resumed);
}

TEST_F(HostileResumingClient, SecondIdentityIsSelectedWhenTheFirstIsUnknown) {
  auto ch = client_hello();
  auto psk = offer();
  psk.identities.insert(psk.identities.begin(), {Bytes(80, 0xee), 1234});
  psk.binders.push_back(Bytes(32, 0xbb));
  attach(ch, psk, 1);
  ASSERT_OK(deliver(hello(ch)));
  peer.use_psk(ticket().psk.span());
  peer.take(*server);
  ASSERT_TRUE(selected().has_value());
  EXPECT_EQ(selected()->selected_identity, 1);
}

TEST_F(HostileResumingClient, BadBinderIsDecryptError) {
  auto ch = client_hello();
  attach(ch, offer());
  auto psk = *msgs::find_as<PreSharedKeyClientHello>(ch.extensions);
  psk->binders[0][5] ^= 1;
  ch.extensions.back() = msgs::to_extension(*psk).value();
  // RFC 8446 §4.2.11: a binder that does not validate MUST abort the handshake.
  expect_fatal(deliver(hello(ch)), ErrorCode::bad_binder, Alert::decrypt_error);
}

TEST_F(HostileResumingClient, BinderOfTheWrongLengthIsDecryptError) {
  auto ch = client_hello();
  auto psk = offer();
  psk.binders[0] = Bytes(48, 1);
  ch.extensions.push_back(msgs::to_extension(psk).value());
  expect_fatal(deliver(hello(ch)), ErrorCode::bad_binder, Alert::decrypt_error);
}

TEST_F(HostileResumingClient, BinderCountMismatchIsIllegalParameter) {
  auto ch = client_hello();
  auto psk = offer();
  psk.binders.push_back(Bytes(32, 2));
  ch.extensions.push_back(msgs::to_extension(psk).value());
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileResumingClient, ValidOfferNotLastIsIllegalParameter) {
  auto ch = client_hello();
  attach(ch, offer());
  std::rotate(ch.extensions.rbegin(), ch.extensions.rbegin() + 1, ch.extensions.rend());
  expect_fatal(deliver(hello(ch)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileResumingClient, MissingPskKeyExchangeModesIsMissingExtension) {
  auto ch = client_hello();
  ch.extensions.pop_back();
  attach(ch, offer());
  // RFC 8446 §4.2.9: a client offering pre_shared_key MUST send psk_key_exchange_modes.
  expect_fatal(deliver(hello(ch)), ErrorCode::missing_extension, Alert::missing_extension);
}

TEST_F(HostileResumingClient, PskKeOnlyGetsAFullHandshake) {
  auto ch = client_hello();
  ch.extensions.back() =
      msgs::to_extension(msgs::PskKeyExchangeModes{{msgs::PskKeyExchangeMode::psk_ke}}).value();
  attach(ch, offer());
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_FALSE(selected().has_value());
  EXPECT_EQ(flight_types()[2], HandshakeType::certificate);
}

TEST_F(HostileResumingClient, TicketAgeFarOffGetsAFullHandshake) {
  auto ch = client_hello();
  auto psk = offer();
  psk.identities[0].obfuscated_ticket_age = obfuscated_age(std::chrono::minutes(5));
  attach(ch, psk);
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_FALSE(selected().has_value());
}

TEST_F(HostileResumingClient, SuiteOfAnotherHashGetsAFullHandshake) {
  auto ch = client_hello({CipherSuite::tls_aes_256_gcm_sha384});
  attach(ch, offer());
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_EQ(peer.server_hello()->cipher_suite, CipherSuite::tls_aes_256_gcm_sha384);
  EXPECT_FALSE(selected().has_value());
}

TEST_F(HostileResumingClient, TamperedTicketGetsAFullHandshake) {
  auto ch = client_hello();
  auto psk = offer();
  psk.identities[0].identity[20] ^= 1;
  attach(ch, psk);
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_FALSE(selected().has_value());
}

TEST_F(HostileResumingClient, BadBinderAfterAHelloRetryRequestIsDecryptError) {
  // No key share: the server asks for one with a HelloRetryRequest before looking at the PSK.
  auto first = client_hello();
  auto& shares = first.extensions[4];
  ASSERT_EQ(shares.type, ExtensionType::key_share);
  shares = msgs::to_extension(msgs::KeyShareClientHello{}).value();
  attach(first, offer());
  ASSERT_OK(deliver(hello(first)));
  peer.take(*server);
  ASSERT_TRUE(peer.server_hello().has_value() && peer.server_hello()->is_hello_retry_request());
  // RFC 8446 §4.1.2, §4.2.11: the retried ClientHello's binder is checked like the first's.
  auto second = client_hello();
  second.random = first.random;
  echo_cookie(second, *peer.server_hello());
  second.extensions.push_back(msgs::to_extension(offer()).value());  // binders left as zeros
  expect_fatal(deliver(hello(second)), ErrorCode::bad_binder, Alert::decrypt_error);
}

// A ticket this server sealed, with the stored session's PSK but chosen issue and
// authentication times; the age offered is the true one, so only the times decide.
PreSharedKeyClientHello sealed_offer(const ServerConfig& config, const Session::Data& session,
                                     std::chrono::seconds issued_ago,
                                     std::chrono::seconds authenticated_ago) {
  const auto now = system_clock::now();
  session::TicketContents contents;
  contents.suite = session.suite;
  contents.psk = session.psk.clone();
  contents.issued = now - issued_ago;
  contents.lifetime = std::chrono::hours(2);
  contents.auth_time = now - authenticated_ago;
  contents.age_add = 0x01020304;
  contents.server_name = "localhost";
  auto sealed = config.ticket_keys().seal(contents, now);
  EXPECT_TRUE(sealed.ok());
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(issued_ago);
  PreSharedKeyClientHello psk;
  psk.identities.push_back({*sealed, static_cast<uint32_t>(age.count()) + contents.age_add});
  psk.binders.push_back(Bytes(32, 0));
  return psk;
}

TEST_F(HostileResumingClient, TicketWithinItsLifetimeResumes) {
  auto ch = client_hello();
  attach(ch, sealed_offer(*config, ticket(), std::chrono::hours(1), std::chrono::hours(1)));
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_TRUE(selected().has_value());
}

TEST_F(HostileResumingClient, TicketPastItsLifetimeGetsAFullHandshake) {
  auto ch = client_hello();
  attach(ch, sealed_offer(*config, ticket(), std::chrono::hours(3), std::chrono::hours(3)));
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_FALSE(selected().has_value());
  EXPECT_EQ(flight_types()[2], HandshakeType::certificate);
}

TEST_F(HostileResumingClient, RenewedTicketSevenDaysAfterTheAuthenticationGetsAFullHandshake) {
  // RFC 8446 §4.6.1: a ticket issued a minute ago by a resumption still carries the
  // authentication of the original handshake, whose 7 days are over.
  auto ch = client_hello();
  attach(ch, sealed_offer(*config, ticket(), std::chrono::minutes(1),
                          kMaxSessionAge + std::chrono::seconds(1)));
  ASSERT_OK(deliver(hello(ch)));
  peer.take(*server);
  EXPECT_FALSE(selected().has_value());
}

TEST_F(HostileResumingClient, AcceptedPskNeedsNoSignatureAlgorithms) {
  // RFC 8446 §9.2: signature_algorithms is required only without a pre_shared_key.
  auto ch = client_hello();
  ASSERT_EQ(ch.extensions[3].type, ExtensionType::signature_algorithms);
  ch.extensions.erase(ch.extensions.begin() + 3);
  attach(ch, offer());
  ASSERT_OK(deliver(hello(ch)));
  peer.use_psk(ticket().psk.span());
  peer.take(*server);
  ASSERT_TRUE(selected().has_value());
  Bytes body = peer.finished_body();
  ASSERT_OK(deliver(peer.seal_message(framed(HandshakeType::finished, body))));
  EXPECT_TRUE(server->info().resumed);
}

TEST_F(HostileResumingClient, DeclinedPskWithoutSignatureAlgorithmsIsMissingExtension) {
  auto ch = client_hello();
  ch.extensions.erase(ch.extensions.begin() + 3);
  auto psk = offer();
  psk.identities[0].identity[20] ^= 1;
  attach(ch, psk);
  // RFC 8446 §9.2: a full handshake needs signature_algorithms.
  expect_fatal(deliver(hello(ch)), ErrorCode::missing_extension, Alert::missing_extension);
}

// --- our client, a scripted server ----------------------------------------------------------

class HostileResumingServer : public ::testing::Test {
 protected:
  void SetUp() override {
    store = memory_session_store(16);  // room for more than a connection may store
    ClientOptions co = client_options_trusting(kEcdsaCertPem);
    auto data = std::make_unique<Session::Data>();
    data->server_name = "localhost";
    data->suite = CipherSuite::tls_aes_128_gcm_sha256;
    data->psk = Secret(Bytes(32, 0x77));
    data->ticket = Bytes(40, 0x71);
    data->age_add = 5;
    data->received = system_clock::now();
    data->lifetime = std::chrono::hours(1);
    data->auth_time = auth_time;
    data->peer_certificates = {first_der(kEcdsaCertPem)};
    data->peer_verified = true;
    data->verifier = co.verifier;  // verified with the config's own verifier
    psk = data->psk.clone();
    store->put("localhost", std::make_shared<const Session>(std::move(data)));
    co.session_store = store;
    auto config = ClientConfig::create(std::move(co));
    ASSERT_TRUE(config.ok());
    auto c = ClientConnection::create(*config, "localhost");
    ASSERT_TRUE(c.ok());
    client.emplace(std::move(c).value());
    peer.take(*client);
    auto decoded = ClientHello::decode(peer.received().back().body());
    ASSERT_TRUE(decoded.ok());
    ch = *decoded;
  }

  Bytes client_share() {
    auto shares = msgs::find_as<msgs::KeyShareClientHello>(ch.extensions);
    EXPECT_TRUE(shares.ok() && shares->has_value());
    return (*shares)->client_shares.front().key_exchange;
  }

  // A ServerHello selecting `identity` (none: no pre_shared_key) with `suite`.
  Bytes hello(std::optional<uint16_t> identity,
              CipherSuite suite = CipherSuite::tls_aes_128_gcm_sha256, bool key_share = true) {
    msgs::ServerHello sh;
    sh.random.fill(0x42);
    sh.legacy_session_id_echo = ch.legacy_session_id;
    sh.cipher_suite = suite;
    sh.extensions.push_back(
        msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13}).value());
    if (key_share) {
      sh.extensions.push_back(
          msgs::to_extension(
              msgs::KeyShareServerHello{{NamedGroup::x25519, peer.make_share(NamedGroup::x25519)}})
              .value());
    }
    if (identity) {
      sh.extensions.push_back(msgs::to_extension(msgs::PreSharedKeyServerHello{*identity}).value());
    }
    peer.set_suite(suite);
    return peer.plain_message(msgs::encode_message(sh).value());
  }

  Bytes resumed_hello() {
    Bytes bytes = hello(0);
    peer.use_psk(psk.span());
    peer.derive_handshake_keys(client_share());
    return bytes;
  }

  Bytes encrypted_extensions() {
    return peer.seal_message(msgs::encode_message(msgs::EncryptedExtensions{}).value());
  }

  Result<void> deliver(const Bytes& bytes) { return client->receive(bytes); }

  // Completes the resumed handshake; the peer then writes with its application keys.
  void complete_resumed() {
    ASSERT_OK(deliver(concat({resumed_hello(), encrypted_extensions()})));
    Bytes body = peer.finished_body();
    Bytes finished = peer.seal_message(framed(HandshakeType::finished, body));
    peer.derive_application_secrets();
    ASSERT_OK(deliver(finished));
    peer.take(*client);
    peer.write_with_application_keys();
  }
  void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert) {
    hostile::expect_fatal(result, code, alert, *client, peer);
  }

  std::shared_ptr<SessionStore> store;
  Secret psk;
  const system_clock::time_point auth_time = system_clock::now() - std::chrono::hours(1);
  Peer peer{Plays::server};
  std::optional<ClientConnection> client;
  ClientHello ch;
};

TEST_F(HostileResumingServer, ClientHelloOffersTheTicketWithAValidBinder) {
  auto offered = msgs::find_as<PreSharedKeyClientHello>(ch.extensions);
  ASSERT_TRUE(offered.ok() && offered->has_value());
  EXPECT_EQ(ch.extensions.back().type, ExtensionType::pre_shared_key);
  ASSERT_EQ((*offered)->identities.size(), 1u);
  EXPECT_EQ((*offered)->identities[0].identity, Bytes(40, 0x71));
  // RFC 8446 §4.2.11.1: age in ms (a few here) plus ticket_age_add.
  EXPECT_LT((*offered)->identities[0].obfuscated_ticket_age - 5, 2000u);
  auto raw = peer.received().back().raw;
  auto partial = std::span(raw).first(raw.size() - (*offered)->binders_size());
  EXPECT_EQ((*offered)->binders[0], binder_for(peer, psk, crypto::HashAlg::sha256, partial));
  auto modes = msgs::find_as<msgs::PskKeyExchangeModes>(ch.extensions);
  ASSERT_TRUE(modes.ok() && modes->has_value());
  EXPECT_EQ((*modes)->ke_modes,
            std::vector<msgs::PskKeyExchangeMode>{msgs::PskKeyExchangeMode::psk_dhe_ke});
}

TEST_F(HostileResumingServer, ResumedHandshakeCompletesWithTheStoredIdentity) {
  ASSERT_OK(deliver(concat({resumed_hello(), encrypted_extensions()})));
  Bytes body = peer.finished_body();
  ASSERT_OK(deliver(peer.seal_message(framed(HandshakeType::finished, body))));
  ASSERT_TRUE(client->handshake_complete());
  auto info = client->info();
  EXPECT_TRUE(info.resumed);
  EXPECT_TRUE(info.peer_verified);
  EXPECT_EQ(info.peer_certificates, std::vector<Der>{first_der(kEcdsaCertPem)});
}

TEST_F(HostileResumingServer, TicketsAreKeptForAtMostSevenDaysAndNotAtAllWithLifetimeZero) {
  complete_resumed();
  EXPECT_EQ(store->take("localhost"), nullptr);  // the offered ticket was used up
  msgs::NewSessionTicket discard;
  discard.ticket = Bytes(16, 1);
  msgs::NewSessionTicket month;
  month.ticket_lifetime = 30 * 86400;
  month.ticket = Bytes(16, 2);
  ASSERT_OK(deliver(peer.seal(ContentType::handshake, msgs::encode_message(discard).value())));
  ASSERT_OK(deliver(peer.seal(ContentType::handshake, msgs::encode_message(month).value())));
  auto kept = store->take("localhost");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->data().ticket, Bytes(16, 2));
  // RFC 8446 §4.6.1: clients MUST NOT cache tickets for longer than 7 days.
  EXPECT_EQ(kept->data().lifetime, std::chrono::hours(24 * 7));
  // The renewed ticket carries the offered session's authentication time, and its 7 days.
  EXPECT_EQ(kept->data().auth_time, auth_time);
  EXPECT_EQ(kept->expires(), auth_time + kMaxSessionAge);
  EXPECT_EQ(store->take("localhost"), nullptr);
}

TEST_F(HostileResumingServer, SelectedIdentityOutOfRangeIsIllegalParameter) {
  // RFC 8446 §4.2.11: selected_identity MUST be within the range the client supplied.
  expect_fatal(deliver(hello(1)), ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileResumingServer, PskWithASuiteOfAnotherHashIsIllegalParameter) {
  // RFC 8446 §4.2.11: the suite's hash MUST be the PSK's.
  expect_fatal(deliver(hello(0, CipherSuite::tls_aes_256_gcm_sha384)), ErrorCode::illegal_parameter,
               Alert::illegal_parameter);
}

TEST_F(HostileResumingServer, PskWithoutAKeyShareIsIllegalParameter) {
  // RFC 8446 §4.2.11: a key_share is required by the only mode offered, psk_dhe_ke.
  expect_fatal(deliver(hello(0, CipherSuite::tls_aes_128_gcm_sha256, false)),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileResumingServer, CertificateInAResumedHandshakeIsUnexpected) {
  msgs::Certificate cert;
  cert.certificate_list.push_back({first_der(kEcdsaCertPem), {}});
  expect_fatal(deliver(concat({resumed_hello(), encrypted_extensions(),
                               peer.seal_message(msgs::encode_message(cert).value())})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileResumingServer, WrongPskKeysFailTheFinished) {
  // A server that selects the PSK without knowing it cannot produce a valid Finished.
  Bytes sh = hello(0);
  peer.use_psk(Bytes(32, 0x78));
  peer.derive_handshake_keys(client_share());
  auto result = deliver(concat({sh, encrypted_extensions()}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::bad_record_mac);
}

TEST_F(HostileResumingServer, CertificateRequestInAResumedHandshakeIsUnexpected) {
  // RFC 8446 §4.3.2: servers MUST NOT send a CertificateRequest in a PSK handshake.
  msgs::CertificateRequest request;
  request.extensions.push_back(
      msgs::to_extension(msgs::SignatureAlgorithms{{SignatureScheme::ecdsa_secp256r1_sha256}})
          .value());
  expect_fatal(deliver(concat({resumed_hello(), encrypted_extensions(),
                               peer.seal_message(msgs::encode_message(request).value())})),
               ErrorCode::unexpected_message, Alert::unexpected_message);
}

TEST_F(HostileResumingServer, HelloRetryRequestWithPreSharedKeyIsIllegalParameter) {
  msgs::ServerHello hrr;
  hrr.random = msgs::kHelloRetryRequestRandom;
  hrr.legacy_session_id_echo = ch.legacy_session_id;
  hrr.cipher_suite = CipherSuite::tls_aes_128_gcm_sha256;
  hrr.extensions.push_back(
      msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13}).value());
  hrr.extensions.push_back(
      msgs::to_extension(msgs::KeyShareHelloRetryRequest{NamedGroup::secp256r1}).value());
  hrr.extensions.push_back(msgs::to_extension(msgs::PreSharedKeyServerHello{0}).value());
  // RFC 8446 §4.2: pre_shared_key is not an extension of HelloRetryRequest.
  expect_fatal(deliver(peer.plain_message(msgs::encode_message(hrr).value())),
               ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileResumingServer, TicketTooLargeToOfferAgainIsNotKept) {
  complete_resumed();
  // Offered back, a ticket this size overflows the ClientHello's extensions<8..2^16-1>.
  msgs::NewSessionTicket big;
  big.ticket_lifetime = 3600;
  big.ticket = Bytes(65000, 3);
  const Bytes message = msgs::encode_message(big).value();
  for (size_t at = 0; at < message.size(); at += limits::kMaxPlaintext) {
    const size_t n = std::min(limits::kMaxPlaintext, message.size() - at);
    ASSERT_OK(deliver(peer.seal(ContentType::handshake, std::span(message).subspan(at, n))));
  }
  EXPECT_EQ(store->take("localhost"), nullptr);
  msgs::NewSessionTicket small;
  small.ticket_lifetime = 3600;
  small.ticket = Bytes(16 * 1024, 4);
  const Bytes fits = msgs::encode_message(small).value();
  ASSERT_OK(
      deliver(peer.seal(ContentType::handshake, std::span(fits).first(limits::kMaxPlaintext))));
  ASSERT_OK(
      deliver(peer.seal(ContentType::handshake, std::span(fits).subspan(limits::kMaxPlaintext))));
  EXPECT_NE(store->take("localhost"), nullptr);
}

TEST_F(HostileResumingServer, NoMoreThanEightTicketsAreKeptPerConnection) {
  complete_resumed();
  for (uint8_t i = 0; i < 12; ++i) {
    msgs::NewSessionTicket nst;
    nst.ticket_lifetime = 3600;
    nst.ticket_nonce = {i};
    nst.ticket = Bytes(16, i);
    ASSERT_OK(deliver(peer.seal(ContentType::handshake, msgs::encode_message(nst).value())));
  }
  size_t kept = 0;
  while (store->take("localhost")) ++kept;
  EXPECT_EQ(kept, 8u);
}

// A store that hands out whatever it was given, expired or not, for any name.
class HandsOutAnything final : public SessionStore {
 public:
  void put(std::string_view, std::shared_ptr<const Session> s) override { last = std::move(s); }
  std::shared_ptr<const Session> take(std::string_view) override { return std::move(last); }
  std::shared_ptr<const Session> last;
};

struct StoredSession {
  system_clock::time_point received = system_clock::now();
  std::chrono::seconds lifetime = std::chrono::hours(1);
  system_clock::time_point auth_time = system_clock::now();
  bool verified = true;
};

// Whether a client of `co` offers the session `stored` (made with `verifier`) in its
// ClientHello.
bool offers(ClientOptions co, const StoredSession& stored,
            std::shared_ptr<const CertificateVerifier> verifier) {
  auto data = std::make_unique<Session::Data>();
  data->server_name = "localhost";
  data->suite = CipherSuite::tls_aes_128_gcm_sha256;
  data->psk = Secret(Bytes(32, 0x77));
  data->ticket = Bytes(40, 0x71);
  data->received = stored.received;
  data->lifetime = stored.lifetime;
  data->auth_time = stored.auth_time;
  data->peer_verified = stored.verified;
  if (stored.verified) data->verifier = verifier;
  auto store = std::make_shared<HandsOutAnything>();
  store->last = std::make_shared<const Session>(std::move(data));
  co.session_store = store;
  auto config = ClientConfig::create(std::move(co));
  EXPECT_TRUE(config.ok());
  auto client = ClientConnection::create(*config, "localhost");
  EXPECT_TRUE(client.ok());
  Peer peer{Plays::server};
  peer.take(*client);
  auto hello = ClientHello::decode(peer.received().back().body());
  EXPECT_TRUE(hello.ok());
  return msgs::contains(hello->extensions, ExtensionType::pre_shared_key);
}

TEST(ClientSessionChoice, OffersAFreshVerifiedSessionOfItsOwnVerifier) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  auto verifier = co.verifier;
  EXPECT_TRUE(offers(std::move(co), {}, verifier));
}

TEST(ClientSessionChoice, ExpiredSessionFromACustomStoreIsNotOffered) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  auto verifier = co.verifier;
  StoredSession old;
  old.received = system_clock::now() - std::chrono::hours(2);
  EXPECT_FALSE(offers(std::move(co), old, verifier));
}

TEST(ClientSessionChoice, SessionSevenDaysAfterItsAuthenticationIsNotOffered) {
  // RFC 8446 §4.6.1: renewed tickets do not renew the authentication they carry.
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  auto verifier = co.verifier;
  StoredSession renewed;
  renewed.auth_time = system_clock::now() - kMaxSessionAge - std::chrono::seconds(1);
  EXPECT_FALSE(offers(std::move(co), renewed, verifier));
}

TEST(ClientSessionChoice, UnverifiedSessionIsNotOfferedByAVerifyingConfig) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  StoredSession unverified;
  unverified.verified = false;
  EXPECT_FALSE(offers(std::move(co), unverified, nullptr));
}

TEST(ClientSessionChoice, SessionVerifiedByAnotherVerifierIsNotOffered) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  EXPECT_FALSE(offers(std::move(co), {}, exact_certificate_verifier({first_der(kEcdsaCertPem)})));
}

TEST(ClientSessionChoice, SessionOfAnotherClientCertificateIsNotOffered) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  auto verifier = co.verifier;
  EXPECT_FALSE(offers(std::move(co), {}, verifier));  // the session was made without one
}

}  // namespace
}  // namespace bastion::test::hostile
