// The key schedule and transcript against RFC 8448, byte for byte: §3 (1-RTT), §4 (resumption,
// PSK binder, early secrets) and §5 (HelloRetryRequest transcript); then §3 replayed from the
// wire as a client would, with the deframer, the record protection, the transcript and the key
// schedule together.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "handshake/cipher_suite.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/traffic_secret.hpp"
#include "handshake/transcript.hpp"
#include "record/deframer.hpp"
#include "record/protector.hpp"
#include "vectors/rfc8448.hpp"

namespace bastion::handshake {
namespace {

using test::Rfc8448;

std::vector<uint8_t> v(crypto::Bytes b) {
  return {b.begin(), b.end()};
}
std::vector<uint8_t> v(const Secret& s) {
  return v(s.span());
}
std::vector<uint8_t> v(const Digest& d) {
  return v(d.span());
}

std::vector<uint8_t> get(std::string_view section, std::string_view step, std::string_view field,
                         int n = 0) {
  return Rfc8448::instance().get(section, step, field, n);
}
std::vector<uint8_t> simple(std::string_view step, std::string_view field, int n = 0) {
  return get(Rfc8448::kSimple, step, field, n);
}

constexpr auto kSha256 = crypto::HashAlg::sha256;

class KeyScheduleRfc8448 : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Rfc8448::instance().loaded()); }
  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
};

TEST_F(KeyScheduleRfc8448, SharedSecretFromTheKeyShares) {
  const auto ikm = simple(R"({server}  extract secret "handshake")", "IKM");
  const auto client_private =
      simple("{client}  create an ephemeral x25519 key pair", "private key");
  const auto client_public = simple("{client}  create an ephemeral x25519 key pair", "public key");
  const auto server_private =
      simple("{server}  create an ephemeral x25519 key pair", "private key");
  const auto server_public = simple("{server}  create an ephemeral x25519 key pair", "public key");

  auto client = provider_->key_share_from_private(NamedGroup::x25519, client_private);
  ASSERT_TRUE(client) << client.error().message();
  EXPECT_EQ(v((*client)->public_key()), client_public);
  auto shared = (*client)->derive(server_public);
  ASSERT_TRUE(shared) << shared.error().message();
  EXPECT_EQ(v(shared->span()), ikm);

  auto server = provider_->key_share_from_private(NamedGroup::x25519, server_private);
  ASSERT_TRUE(server);
  auto shared2 = (*server)->derive(client_public);
  ASSERT_TRUE(shared2);
  EXPECT_EQ(v(shared2->span()), ikm);
}

TEST_F(KeyScheduleRfc8448, SimpleHandshakeEverySecret) {
  const CipherSuiteInfo* suite = find_cipher_suite(CipherSuite::tls_aes_128_gcm_sha256);
  ASSERT_NE(suite, nullptr);

  const auto client_hello = simple("{client}  construct a ClientHello", "ClientHello");
  const auto server_hello = simple("{server}  construct a ServerHello", "ServerHello");
  const auto encrypted_extensions =
      simple("{server}  construct an EncryptedExtensions", "EncryptedExtensions");
  const auto certificate = simple("{server}  construct a Certificate handshake", "Certificate");
  const auto certificate_verify =
      simple("{server}  construct a CertificateVerify", "CertificateVerify");
  const auto server_finished = simple("{server}  construct a Finished", "Finished");
  const auto client_finished = simple("{client}  construct a Finished", "Finished");
  ASSERT_EQ(server_finished.size(), 36u);
  ASSERT_EQ(client_finished.size(), 36u);

  // The client hashes nothing until the ServerHello names the suite.
  Transcript transcript(*provider_);
  transcript.add(client_hello);
  EXPECT_FALSE(transcript.has_hash());
  ASSERT_TRUE(transcript.set_hash(suite->hash));
  transcript.add(server_hello);
  const Digest hello_hash = transcript.current_hash();
  EXPECT_EQ(v(hello_hash), simple(R"({server}  derive secret "tls13 c hs traffic")", "hash"));

  EarlySecret early = EarlySecret::create(*provider_, suite->hash);
  EXPECT_EQ(v(early.secret()), simple(R"({server}  extract secret "early")", "secret"));
  const Hkdf& hkdf = early.hkdf();
  EXPECT_EQ(v(hkdf.derive_secret(early.secret(), "derived", hkdf.hash({}).span())),
            simple(R"({server}  derive secret for handshake "tls13 derived")", "expanded"));

  const auto ecdhe = simple(R"({server}  extract secret "handshake")", "IKM");
  HandshakeSecret handshake = std::move(early).into_handshake_secret(ecdhe);
  EXPECT_EQ(v(handshake.secret()), simple(R"({server}  extract secret "handshake")", "secret"));
  const Secret client_hs = handshake.client_handshake_traffic_secret(hello_hash.span());
  const Secret server_hs = handshake.server_handshake_traffic_secret(hello_hash.span());
  EXPECT_EQ(v(client_hs), simple(R"({server}  derive secret "tls13 c hs traffic")", "expanded"));
  EXPECT_EQ(v(server_hs), simple(R"({server}  derive secret "tls13 s hs traffic")", "expanded"));

  const auto server_keys = traffic_protection(hkdf, suite->aead, server_hs);
  EXPECT_EQ(v(server_keys.key),
            simple("{server}  derive write traffic keys for handshake data", "key expanded"));
  EXPECT_EQ(v(server_keys.iv),
            simple("{server}  derive write traffic keys for handshake data", "iv expanded"));
  const auto client_keys = traffic_protection(hkdf, suite->aead, client_hs);
  EXPECT_EQ(v(client_keys.key),
            simple("{server}  derive read traffic keys for handshake data", "key expanded"));
  EXPECT_EQ(v(client_keys.iv),
            simple("{server}  derive read traffic keys for handshake data", "iv expanded"));

  // Server Finished over ClientHello..CertificateVerify (RFC 8446 §4.4.4).
  transcript.add(encrypted_extensions);
  transcript.add(certificate);
  transcript.add(certificate_verify);
  const Digest before_server_finished = transcript.current_hash();
  const auto server_calc = R"({server}  calculate finished "tls13 finished")";
  EXPECT_EQ(v(finished_key(hkdf, server_hs)), simple(server_calc, "expanded"));
  const Secret server_verify_data =
      compute_verify_data(hkdf, server_hs, before_server_finished.span());
  EXPECT_EQ(v(server_verify_data), simple(server_calc, "finished"));
  const crypto::Bytes server_fin_body = crypto::Bytes(server_finished).subspan(4);
  EXPECT_EQ(v(server_verify_data), v(server_fin_body));
  EXPECT_TRUE(verify_finished(hkdf, server_hs, before_server_finished.span(), server_fin_body));
  // The client's key does not verify the server's Finished.
  auto wrong_key = verify_finished(hkdf, client_hs, before_server_finished.span(), server_fin_body);
  ASSERT_FALSE(wrong_key);
  EXPECT_EQ(wrong_key.error().code, ErrorCode::bad_finished);
  EXPECT_EQ(wrong_key.error().alert(), Alert::decrypt_error);

  transcript.add(server_finished);
  const Digest server_finished_hash = transcript.current_hash();
  EXPECT_EQ(v(server_finished_hash),
            simple(R"({server}  derive secret "tls13 c ap traffic")", "hash"));

  MasterSecret master = std::move(handshake).into_master_secret();
  EXPECT_EQ(v(master.secret()), simple(R"({server}  extract secret "master")", "secret"));
  const Secret client_ap = master.client_application_traffic_secret(server_finished_hash.span());
  const Secret server_ap = master.server_application_traffic_secret(server_finished_hash.span());
  EXPECT_EQ(v(client_ap), simple(R"({server}  derive secret "tls13 c ap traffic")", "expanded"));
  EXPECT_EQ(v(server_ap), simple(R"({server}  derive secret "tls13 s ap traffic")", "expanded"));
  EXPECT_EQ(v(master.exporter_master_secret(server_finished_hash.span())),
            simple(R"({server}  derive secret "tls13 exp master")", "expanded"));
  const auto server_ap_keys = traffic_protection(hkdf, suite->aead, server_ap);
  EXPECT_EQ(v(server_ap_keys.key),
            simple("{server}  derive write traffic keys for application data", "key expanded"));
  EXPECT_EQ(v(server_ap_keys.iv),
            simple("{server}  derive write traffic keys for application data", "iv expanded"));
  const auto client_ap_keys = traffic_protection(hkdf, suite->aead, client_ap);
  EXPECT_EQ(v(client_ap_keys.key),
            simple("{client}  derive write traffic keys for application data", "key expanded"));
  EXPECT_EQ(v(client_ap_keys.iv),
            simple("{client}  derive write traffic keys for application data", "iv expanded"));

  // Client Finished over ClientHello..server Finished.
  const auto client_calc = R"({client}  calculate finished "tls13 finished")";
  EXPECT_EQ(v(finished_key(hkdf, client_hs)), simple(client_calc, "expanded"));
  const Secret client_verify_data =
      compute_verify_data(hkdf, client_hs, server_finished_hash.span());
  EXPECT_EQ(v(client_verify_data), simple(client_calc, "finished"));
  const crypto::Bytes client_fin_body = crypto::Bytes(client_finished).subspan(4);
  EXPECT_EQ(v(client_verify_data), v(client_fin_body));
  auto client_finished_verified =
      verify_finished(hkdf, client_hs, server_finished_hash.span(), client_fin_body);
  ASSERT_TRUE(client_finished_verified);

  transcript.add(client_finished);
  const Digest client_finished_hash = transcript.current_hash();
  const auto res_step = R"({client}  derive secret "tls13 res master")";
  EXPECT_EQ(v(client_finished_hash), simple(res_step, "hash"));
  const Secret res_master =
      master.resumption_master_secret(client_finished_hash.span(), *client_finished_verified);
  EXPECT_EQ(v(res_master), simple(res_step, "expanded"));

  const auto resumption_step = R"({server}  generate resumption secret "tls13 resumption")";
  const auto ticket_nonce = simple(resumption_step, "hash");
  ASSERT_EQ(ticket_nonce, (std::vector<uint8_t>{0, 0}));
  auto psk = resumption_psk(hkdf, res_master, ticket_nonce);
  ASSERT_TRUE(psk);
  EXPECT_EQ(v(*psk), simple(resumption_step, "expanded"));
}

TEST_F(KeyScheduleRfc8448, FinishedVerificationRejectsAnyChange) {
  const Hkdf hkdf(*provider_, kSha256);
  const Secret base(simple(R"({server}  derive secret "tls13 s hs traffic")", "expanded"));
  const Digest hash{};
  const Secret good = compute_verify_data(hkdf, base, hash.span());
  std::vector<uint8_t> data = v(good);
  ASSERT_TRUE(verify_finished(hkdf, base, hash.span(), data));
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] ^= 0x80;
    EXPECT_FALSE(verify_finished(hkdf, base, hash.span(), data)) << i;
    data[i] ^= 0x80;
  }
  EXPECT_FALSE(verify_finished(hkdf, base, hash.span(), crypto::Bytes(data).first(31)));
  data.push_back(0);
  EXPECT_FALSE(verify_finished(hkdf, base, hash.span(), data));
  EXPECT_FALSE(verify_finished(hkdf, base, hash.span(), {}));
}

TEST_F(KeyScheduleRfc8448, ResumedHandshakeBinderAndEarlySecrets) {
  const auto section = Rfc8448::kResumed;
  // The PSK is the resumption secret of §3.
  const Secret psk(
      simple(R"({server}  generate resumption secret "tls13 resumption")", "expanded"));
  EarlySecret early = EarlySecret::create(*provider_, kSha256, psk.span());
  EXPECT_EQ(v(early.secret()), get(section, R"({client}  extract secret "early")", "secret"));
  const Hkdf& hkdf = early.hkdf();

  // RFC 8446 §4.2.11.2: the binder over the ClientHello truncated before the binders.
  const auto binder_step = "{client}  calculate PSK binder";
  const auto prefix = get(section, binder_step, "ClientHello prefix");
  const Secret binder_key = early.binder_key(PskKind::resumption);
  EXPECT_EQ(v(binder_key), get(section, binder_step, "PRK"));
  Transcript transcript(*provider_);
  const Digest binder_hash = transcript.hash_with(kSha256, prefix);
  EXPECT_EQ(v(binder_hash), get(section, binder_step, "binder hash"));
  EXPECT_EQ(transcript.message_count(), 0u);
  const Secret binder = compute_verify_data(hkdf, binder_key, binder_hash.span());
  EXPECT_EQ(v(binder), get(section, binder_step, "finished"));
  EXPECT_TRUE(verify_binder(hkdf, binder_key, binder_hash.span(), binder.span()));
  EXPECT_FALSE(
      verify_binder(hkdf, early.binder_key(PskKind::external), binder_hash.span(), binder.span()));

  // The whole ClientHello ends with the binders list: 00 21 20 <binder>.
  const auto client_hello = get(section, "{client}  send handshake record", "payload");
  ASSERT_EQ(client_hello.size(), prefix.size() + 35);
  EXPECT_EQ(std::vector<uint8_t>(client_hello.end() - 32, client_hello.end()), v(binder));
  transcript.add(client_hello);
  ASSERT_TRUE(transcript.set_hash(kSha256));
  const Digest hello_hash = transcript.current_hash();
  const auto cet_step = R"({client}  derive secret "tls13 c e traffic")";
  EXPECT_EQ(v(hello_hash), get(section, cet_step, "hash"));
  EXPECT_EQ(v(early.client_early_traffic_secret(hello_hash.span())),
            get(section, cet_step, "expanded"));
  EXPECT_EQ(v(early.early_exporter_master_secret(hello_hash.span())),
            get(section, R"({client}  derive secret "tls13 e exp master")", "expanded"));

  // The rest of the schedule with the PSK's early secret.
  const auto server_hello = get(section, "{server}  construct a ServerHello", "ServerHello");
  transcript.add(server_hello);
  HandshakeSecret handshake = std::move(early).into_handshake_secret(
      get(section, R"({server}  extract secret "handshake")", "IKM"));
  EXPECT_EQ(v(handshake.secret()),
            get(section, R"({server}  extract secret "handshake")", "secret"));
  const auto chs_step = R"({server}  derive secret "tls13 c hs traffic")";
  EXPECT_EQ(v(transcript.current_hash()), get(section, chs_step, "hash"));
  EXPECT_EQ(v(handshake.client_handshake_traffic_secret(transcript.current_hash().span())),
            get(section, chs_step, "expanded"));
  MasterSecret master = std::move(handshake).into_master_secret();
  EXPECT_EQ(v(master.secret()), get(section, R"({server}  extract secret "master")", "secret"));
}

TEST_F(KeyScheduleRfc8448, HelloRetryRequestTranscript) {
  const auto section = Rfc8448::kHelloRetry;
  const auto client_hello1 = get(section, "{client}  construct a ClientHello", "ClientHello", 0);
  const auto retry = get(section, "{server}  construct a ServerHello", "ServerHello", 0);
  const auto client_hello2 = get(section, "{client}  construct a ClientHello", "ClientHello", 1);
  const auto server_hello = get(section, "{server}  construct a ServerHello", "ServerHello", 1);
  const auto chs_step = R"({server}  derive secret "tls13 c hs traffic")";

  // Client: ClientHello1 is buffered; the HelloRetryRequest names the suite.
  Transcript client(*provider_);
  client.add(client_hello1);
  ASSERT_TRUE(client.set_hash(kSha256));
  ASSERT_TRUE(client.replace_client_hello_with_message_hash());
  client.add(retry);
  client.add(client_hello2);
  client.add(server_hello);
  EXPECT_EQ(v(client.current_hash()), get(section, chs_step, "hash"));

  // Server with a cookie: it only has Hash(ClientHello1).
  Transcript server(*provider_, kSha256);
  Secret ch1_hash(32);
  provider_->hash(kSha256, client_hello1, ch1_hash.mutable_span());
  ASSERT_TRUE(server.start_with_client_hello_hash(ch1_hash.span()));
  server.add(retry);
  server.add(client_hello2);
  server.add(server_hello);
  EXPECT_EQ(v(server.current_hash()), get(section, chs_step, "hash"));

  EarlySecret early = EarlySecret::create(*provider_, kSha256);
  HandshakeSecret handshake = std::move(early).into_handshake_secret(
      get(section, R"({server}  extract secret "handshake")", "IKM"));
  EXPECT_EQ(v(handshake.client_handshake_traffic_secret(client.current_hash().span())),
            get(section, chs_step, "expanded"));
}

// Splits a record's content into whole handshake messages (4-byte header each).
std::vector<std::vector<uint8_t>> split_messages(crypto::Bytes content) {
  std::vector<std::vector<uint8_t>> out;
  while (content.size() >= 4) {
    const size_t len = size_t{content[1]} << 16 | size_t{content[2]} << 8 | content[3];
    if (content.size() < 4 + len) break;
    out.emplace_back(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(4 + len));
    content = content.subspan(4 + len);
  }
  EXPECT_TRUE(content.empty());
  return out;
}

TEST_F(KeyScheduleRfc8448, ClientReplaysTheSimpleHandshakeFromTheWire) {
  const auto record_of = [](std::string_view step, int n = 0) {
    return simple(step, "complete record", n);
  };
  // What the server sends, as one byte stream.
  std::vector<uint8_t> from_server;
  for (const auto& r : {record_of("{server}  send handshake record", 0),
                        record_of("{server}  send handshake record", 1),
                        record_of("{server}  send handshake record", 2),
                        record_of("{server}  send application_data record")}) {
    from_server.insert(from_server.end(), r.begin(), r.end());
  }
  const record::Deframer deframer;
  std::span<uint8_t> in(from_server);
  auto next_record = [&]() -> record::RecordView {
    auto r = deframer.next(in);
    EXPECT_TRUE(r && r->record);
    if (!r || !r->record) return {};
    in = in.subspan(r->record->size());
    return *r->record;
  };

  Transcript transcript(*provider_);
  transcript.add(simple("{client}  construct a ClientHello", "ClientHello"));

  // ServerHello, in the clear.
  const record::RecordView sh = next_record();
  ASSERT_EQ(sh.type, ContentType::handshake);
  const std::vector<uint8_t> server_hello(sh.fragment.begin(), sh.fragment.end());
  // cipher_suite follows legacy_version, random and legacy_session_id_echo.
  const size_t at = 4 + 2 + 32 + 1 + server_hello[4 + 2 + 32];
  const auto suite_code = static_cast<CipherSuite>(server_hello[at] << 8 | server_hello[at + 1]);
  const CipherSuiteInfo* suite = find_cipher_suite(suite_code);
  ASSERT_NE(suite, nullptr);
  ASSERT_TRUE(transcript.set_hash(suite->hash));
  transcript.add(server_hello);

  auto share = provider_->key_share_from_private(
      NamedGroup::x25519, simple("{client}  create an ephemeral x25519 key pair", "private key"));
  ASSERT_TRUE(share);
  auto shared =
      (*share)->derive(simple("{server}  create an ephemeral x25519 key pair", "public key"));
  ASSERT_TRUE(shared);
  HandshakeSecret handshake =
      EarlySecret::create(*provider_, suite->hash).into_handshake_secret(shared->span());
  const Digest hello_hash = transcript.current_hash();
  const Secret client_hs = handshake.client_handshake_traffic_secret(hello_hash.span());
  const Secret server_hs = handshake.server_handshake_traffic_secret(hello_hash.span());
  auto reader = record::RecordProtector::create(
      *provider_, record::Direction::open, tls13_keys(*provider_, *suite, server_hs).protection);
  auto writer = record::RecordProtector::create(
      *provider_, record::Direction::seal, tls13_keys(*provider_, *suite, client_hs).protection);
  ASSERT_TRUE(reader && writer);

  // EncryptedExtensions .. Finished in one protected record.
  const record::RecordView flight = next_record();
  auto opened = reader->open(flight.bytes);
  ASSERT_TRUE(opened) << opened.error().message();
  ASSERT_EQ(opened->type, ContentType::handshake);
  const auto messages = split_messages(opened->content);
  ASSERT_EQ(messages.size(), 4u);
  for (size_t i = 0; i < 3; ++i) transcript.add(messages[i]);
  EXPECT_TRUE(verify_finished(handshake.hkdf(), server_hs, transcript.current_hash().span(),
                              crypto::Bytes(messages[3]).subspan(4)));
  transcript.add(messages[3]);
  const Digest server_finished_hash = transcript.current_hash();

  MasterSecret master = std::move(handshake).into_master_secret();
  auto app_reader = record::RecordProtector::create(
      *provider_, record::Direction::open,
      tls13_keys(*provider_, *suite,
                 master.server_application_traffic_secret(server_finished_hash.span()))
          .protection);
  auto app_writer = record::RecordProtector::create(
      *provider_, record::Direction::seal,
      tls13_keys(*provider_, *suite,
                 master.client_application_traffic_secret(server_finished_hash.span()))
          .protection);
  ASSERT_TRUE(app_reader && app_writer);

  // The client's Finished, sealed exactly as in the trace.
  const Secret verify_data =
      compute_verify_data(master.hkdf(), client_hs, server_finished_hash.span());
  std::vector<uint8_t> client_finished = {20, 0, 0, static_cast<uint8_t>(verify_data.size())};
  client_finished.insert(client_finished.end(), verify_data.span().begin(),
                         verify_data.span().end());
  std::vector<uint8_t> to_server;
  ASSERT_TRUE(writer->seal(ContentType::handshake, client_finished, 0, to_server));
  EXPECT_EQ(to_server, record_of("{client}  send handshake record", 1));
  auto proof =
      verify_finished(master.hkdf(), client_hs, server_finished_hash.span(), verify_data.span());
  ASSERT_TRUE(proof);
  transcript.add(client_finished);
  const Secret res_master =
      master.resumption_master_secret(transcript.current_hash().span(), *proof);

  // NewSessionTicket, then application data, under the server's application key.
  auto ticket = app_reader->open(next_record().bytes);
  ASSERT_TRUE(ticket);
  ASSERT_EQ(ticket->type, ContentType::handshake);
  ASSERT_EQ(ticket->content[0], 4);  // new_session_ticket
  // ticket_lifetime(4) ticket_age_add(4) ticket_nonce<0..255>
  const crypto::Bytes nonce = ticket->content.subspan(4 + 4 + 4 + 1, ticket->content[12]);
  auto psk = resumption_psk(master.hkdf(), res_master, nonce);
  ASSERT_TRUE(psk);
  EXPECT_EQ(v(*psk),
            simple(R"({server}  generate resumption secret "tls13 resumption")", "expanded"));
  auto data = app_reader->open(next_record().bytes);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->type, ContentType::application_data);
  EXPECT_EQ(v(data->content), simple("{server}  send application_data record", "payload"));
  EXPECT_TRUE(in.empty());

  to_server.clear();
  ASSERT_TRUE(app_writer->seal(ContentType::application_data,
                               simple("{client}  send application_data record", "payload"), 0,
                               to_server));
  EXPECT_EQ(to_server, record_of("{client}  send application_data record"));
}

}  // namespace
}  // namespace bastion::handshake
