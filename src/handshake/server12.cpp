#include "handshake/server12.hpp"

#include "handshake/server12_choice.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <vector>

#include "handshake/certificate_verify.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/key_log.hpp"
#include "handshake/message_order.hpp"
#include "handshake/peer_authentication.hpp"
#include "handshake/prf.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/tls12_common.hpp"
#include "msgs/msgs.hpp"
#include "session/session_cache.hpp"
#include "session/ticket_keys.hpp"

namespace bastion::handshake {
namespace {

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// How the session of this handshake can be resumed: the session ID it got (empty: not cached)
// and whether a ticket is owed before our change_cipher_spec (RFC 5077 §3.3).
struct Resumable {
  std::vector<uint8_t> session_id;
  bool ticket = false;
  std::chrono::system_clock::time_point auth_time;
};

// The handshake so far, once the server's first flight is out.
struct Negotiated {
  const CipherSuiteInfo* suite = nullptr;
  Transcript transcript;
  std::array<uint8_t, 32> client_random{};
  std::array<uint8_t, 32> server_random{};
  bool extended_master_secret = false;
  std::unique_ptr<crypto::KeyShare> share;  // our ECDHE share, for the ClientKeyExchange
  Resumable resumable;
  uint16_t client_version = 0;  // ClientHello.client_version, in an RSA pre-master secret
  std::shared_ptr<const CertifiedKey> certificate;  // its key decrypts that secret
};

// After the ClientKeyExchange: the master secret and the keys of both directions.
struct Keys {
  const CipherSuiteInfo* suite = nullptr;
  Transcript transcript;
  std::array<uint8_t, 32> client_random{};
  std::array<uint8_t, 32> server_random{};
  Secret master;
  record::Protection client_write;
  record::Protection server_write;
  bool extended_master_secret = false;
  Resumable resumable;
  bool abbreviated = false;  // our Finished went out first: the client's ends the handshake
  ResumedBy resumed_by = ResumedBy::none;  // shown once the client's Finished verified
  // The client identity a session of this handshake carries: the resumed session's, or the
  // one this handshake verified (set once the client's Finished did).
  std::vector<Der> peer_certificates;
  bool peer_verified = false;
};

// A session the client offered and this server accepts, and how it was found.
struct Resumption {
  session::TicketContents session;
  ResumedBy by = ResumedBy::none;
};

// A client certificate, verified, waiting for its CertificateVerify.
struct ClientIdentity {
  std::vector<Der> chain;
  std::unique_ptr<crypto::PublicKey> key;
};

struct ExpectCertificate {
  static constexpr std::string_view kName = "ExpectCertificate";
  Negotiated n;
};
struct ExpectClientKeyExchange {
  static constexpr std::string_view kName = "ExpectClientKeyExchange";
  Negotiated n;
  std::optional<ClientIdentity> client;
};
struct ExpectCertificateVerify {
  static constexpr std::string_view kName = "ExpectCertificateVerify";
  Keys keys;
  ClientIdentity client;
};
struct ExpectChangeCipherSpec {
  static constexpr std::string_view kName = "ExpectChangeCipherSpec";
  Keys keys;
  PeerAuthentication client;
};
struct ExpectFinished {
  static constexpr std::string_view kName = "ExpectFinished";
  Keys keys;
  PeerAuthentication client;
};
struct Connected {
  static constexpr std::string_view kName = "Connected";
};

using State = std::variant<ExpectCertificate, ExpectClientKeyExchange, ExpectCertificateVerify,
                           ExpectChangeCipherSpec, ExpectFinished, Connected>;
static_assert(states_match_table<State>(kServer12States));

class Server12 final : public Handshake {
 public:
  explicit Server12(std::shared_ptr<const ServerConfig> config)
      : config_(std::move(config)), provider_(config_->provider()) {}

  Result<void> on_client_hello(const msgs::ClientHello& ch, const msgs::HandshakeMessage& m,
                               RecordSink& sink);

  Result<void> start(RecordSink&) override { return {}; }
  Result<void> handle(const msgs::HandshakeMessage& m, RecordSink& sink) override {
    return advance(Role::server, ProtocolVersion::tls12, state_, m.type,
                   [&](auto&& st) { return on(std::move(st), m, sink); });
  }
  bool complete() const override { return std::holds_alternative<Connected>(state_); }
  Result<void> on_change_cipher_spec(RecordSink& sink) override;
  Result<void> on_new_session_ticket(const msgs::HandshakeMessage&) override {
    return Error{ErrorCode::unexpected_message, "NewSessionTicket sent by a client"};
  }
  // RFC 5246 §7.2.2: a session whose connection ends in a fatal alert is not resumed. Its
  // tickets cannot be recalled (they are stateless); its cached ID can.
  void on_fatal_error() override {
    if (cached_ && config_->session_cache()) config_->session_cache()->remove(*cached_);
  }

 private:
  Result<State> on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectClientKeyExchange&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectChangeCipherSpec&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<State> on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(Connected&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<void> send_certificate_request(Transcript& transcript, RecordSink& sink) const;
  Result<SecretVector> key_exchange(const Negotiated& n, const msgs::HandshakeMessage& m) const;
  Result<std::optional<Resumption>> find_session(const msgs::ClientHello& ch,
                                                 const Choice& choice) const;
  Result<void> resume(const msgs::ClientHello& ch, const msgs::HandshakeMessage& m,
                      const Choice& choice, Resumption resumption, bool ticket, RecordSink& sink);
  session::TicketContents session_of(const Keys& keys) const;
  Result<void> send_ticket(Keys& keys, RecordSink& sink) const;
  Result<void> send_finished(Keys& keys, RecordSink& sink) const;
  // RFC 8446 §4.1.3: a server that supports TLS 1.3 and negotiates 1.2 says so in the last
  // eight bytes of its random, which 1.3 clients check.
  std::array<uint8_t, 32> server_random() const {
    std::array<uint8_t, 32> random{};
    provider_.random(random);
    if (config_->accepts(ProtocolVersion::tls13)) {
      std::copy(msgs::kDowngradeTls12.begin(), msgs::kDowngradeTls12.end(), random.end() - 8);
    }
    return random;
  }
  // The schemes our CertificateRequest lists: ours that TLS 1.2 can use.
  std::vector<SignatureScheme> client_schemes() const;

  const KeyLog* key_log() const { return config_->options().key_log.get(); }

  std::shared_ptr<const ServerConfig> config_;
  const crypto::Provider& provider_;
  State state_{Connected{}};
  std::optional<session::SessionId> cached_;  // the session this connection put in the cache
};

Result<std::optional<Resumption>> Server12::find_session(const msgs::ClientHello& ch,
                                                         const Choice& choice) const {
  const ServerOptions& opts = config_->options();
  const auto now = std::chrono::system_clock::now();
  std::optional<Resumption> found;
  auto ticket = msgs::find_as<msgs::SessionTicket>(ch.extensions);
  if (!ticket) return std::move(ticket).error();
  // RFC 5077 §3.4: a ticket first; one that does not open means a full handshake.
  if (ticket->has_value() && !(*ticket)->ticket.empty() && opts.session_tickets > 0) {
    if (auto opened = config_->ticket_keys().open((*ticket)->ticket, now)) {
      found = Resumption{std::move(*opened), ResumedBy::ticket};
    }
  }
  session::SessionId id{};
  if (!found && ch.legacy_session_id.size() == id.size() && config_->session_cache()) {
    std::copy(ch.legacy_session_id.begin(), ch.legacy_session_id.end(), id.begin());
    if (auto cached = config_->session_cache()->get(id, now)) {
      found = Resumption{std::move(*cached), ResumedBy::session_id};
    }
  }
  if (!found) return std::optional<Resumption>{};
  const session::TicketContents& s = found->session;
  const CipherSuiteInfo* suite = find_suite(ProtocolVersion::tls12, s.suite);
  // A session resumes with its version and suite (RFC 5246 §7.4.1.3), for the same name and
  // protocol, and only as authenticated as this config requires; otherwise a full handshake.
  if (s.version != ProtocolVersion::tls12 || !suite || !contains(ch.cipher_suites, s.suite) ||
      !contains(opts.cipher_suites, s.suite) || s.expired(now) ||
      s.server_name != choice.server_name || s.alpn != choice.alpn ||
      (opts.client_auth == ClientAuth::require && s.client_certificates.empty())) {
    return std::optional<Resumption>{};
  }
  // RFC 7627 §5.3: a session with an extended master secret (all that are kept) offered in a
  // ClientHello without the extension: the server MUST abort.
  if (s.extended_master_secret && !choice.extended_master_secret) {
    return Error{ErrorCode::no_extended_master_secret,
                 "a session with an extended master secret resumed without one"};
  }
  if (!s.extended_master_secret) return std::optional<Resumption>{};
  return found;
}

// The abbreviated handshake (RFC 5246 §7.3): ServerHello echoing the session ID, a new ticket
// when the client takes them, then our change_cipher_spec and Finished before the client's.
Result<void> Server12::resume(const msgs::ClientHello& ch, const msgs::HandshakeMessage& m,
                              const Choice& choice, Resumption resumption, bool ticket,
                              RecordSink& sink) {
  const session::TicketContents& s = resumption.session;
  const CipherSuiteInfo& suite = *find_suite(ProtocolVersion::tls12, s.suite);
  Transcript transcript(provider_, suite.hash);
  transcript.add(m.raw);
  msgs::ServerHello sh;
  sh.random = server_random();
  // RFC 5077 §3.4: the session ID the client sent is echoed when its ticket is accepted.
  sh.legacy_session_id_echo = ch.legacy_session_id;
  sh.cipher_suite = suite.suite;
  if (auto ok = add_server_hello_extensions(sh, choice, ticket); !ok) return ok;
  if (auto ok = emit(transcript, msgs::encode_message(sh), sink); !ok) return ok;

  Secret master = s.psk.clone();
  KeyBlock block = key_block(provider_, suite, master, ch.random, sh.random);
  // A session found by ticket is not cached by ID; one found by ID stays under it.
  Resumable resumable{
      resumption.by == ResumedBy::session_id ? ch.legacy_session_id : std::vector<uint8_t>{},
      ticket, s.auth_time};
  Keys keys{&suite,
            std::move(transcript),
            ch.random,
            sh.random,
            std::move(master),
            std::move(block.client_write),
            std::move(block.server_write),
            true,
            std::move(resumable),
            true,
            resumption.by,
            s.client_certificates,
            s.client_verified};
  info_.version = ProtocolVersion::tls12;
  info_.cipher_suite = suite.suite;
  info_.alpn = choice.alpn;
  info_.server_name = choice.server_name;
  info_.extended_master_secret = true;
  if (auto ok = send_ticket(keys, sink); !ok) return ok;
  if (auto ok = send_finished(keys, sink); !ok) return ok;
  state_ = ExpectChangeCipherSpec{
      std::move(keys), PeerAuthentication::resumed(s.client_certificates, s.client_verified)};
  return {};
}

session::TicketContents Server12::session_of(const Keys& keys) const {
  session::TicketContents t;
  t.version = ProtocolVersion::tls12;
  t.suite = keys.suite->suite;
  t.psk = keys.master.clone();
  t.issued = std::chrono::system_clock::now();
  t.auth_time = keys.resumable.auth_time;
  // RFC 8446 §4.6.1's bound applies here too: never more than 7 days after the authentication.
  t.lifetime = config_->options().ticket_lifetime;
  t.alpn = info_.alpn;
  t.server_name = info_.server_name;
  t.client_certificates = keys.peer_certificates;
  t.client_verified = keys.peer_verified;
  t.extended_master_secret = keys.extended_master_secret;
  return t;
}

// RFC 5077 §3.3: the NewSessionTicket goes before our change_cipher_spec.
Result<void> Server12::send_ticket(Keys& keys, RecordSink& sink) const {
  if (!keys.resumable.ticket) return {};
  msgs::NewSessionTicket12 nst;
  nst.lifetime_hint = static_cast<uint32_t>(config_->options().ticket_lifetime.count());
  auto sealed = config_->ticket_keys().seal(session_of(keys), std::chrono::system_clock::now());
  // A session too large for a ticket (a long client chain) gets an empty one: RFC 5077 §3.3
  // lets the server send a zero-length ticket when it will not issue one.
  if (sealed) {
    nst.ticket = std::move(sealed).value();
  } else if (sealed.error().code != ErrorCode::message_too_large) {
    return std::move(sealed).error();
  }
  return emit(keys.transcript, msgs::encode_message(nst), sink);
}

// Our change_cipher_spec and Finished.
Result<void> Server12::send_finished(Keys& keys, RecordSink& sink) const {
  return send_finished12(provider_, keys.suite->hash, keys.master, FinishedBy::server,
                         keys.server_write.clone(), keys.transcript, sink);
}

Result<void> Server12::on_client_hello(const msgs::ClientHello& ch, const msgs::HandshakeMessage& m,
                                       RecordSink& sink) {
  const ServerOptions& opts = config_->options();
  // RFC 5246 §7.4.1.2: the list MUST contain null, the only method Bastion takes (CRIME).
  if (!contains(ch.legacy_compression_methods, uint8_t{0})) {
    return illegal("ClientHello compression methods do not include null");
  }
  if (auto ok = msgs::check_extensions(ch.extensions, msgs::MessageKind::client_hello); !ok) {
    return ok;
  }
  // RFC 5746 §3.6: renegotiation_info, empty, or the SCSV.
  const bool scsv = contains(ch.cipher_suites, kEmptyRenegotiationInfoScsv);
  if (auto ok = check_secure_renegotiation(ch.extensions, scsv); !ok) return ok;
  auto choice = choose12(*config_, ch);
  if (!choice) return std::move(choice).error();
  // RFC 5077 §3.2: a client that sends session_ticket takes tickets. Only sessions with an
  // extended master secret are made resumable (RFC 7627 §5.3).
  const bool ticket = choice->extended_master_secret && opts.session_tickets > 0 &&
                      msgs::contains(ch.extensions, ExtensionType::session_ticket);
  auto resumption = find_session(ch, *choice);
  if (!resumption) return std::move(resumption).error();
  if (*resumption) return resume(ch, m, *choice, std::move(**resumption), ticket, sink);
  const CipherSuiteInfo& suite = *choice->suite;
  Resumable resumable{{}, ticket, std::chrono::system_clock::now()};
  if (choice->extended_master_secret && config_->session_cache()) {
    resumable.session_id.resize(32);
    provider_.random(resumable.session_id);
  }

  Transcript transcript(provider_, suite.hash);
  // A client certificate's CertificateVerify signs the messages themselves (RFC 5246 §7.4.8).
  if (opts.client_auth != ClientAuth::none) transcript.keep_messages();
  transcript.add(m.raw);

  msgs::ServerHello sh;
  sh.random = server_random();
  sh.cipher_suite = suite.suite;
  sh.legacy_session_id_echo = resumable.session_id;
  if (auto ok = add_server_hello_extensions(sh, *choice, ticket); !ok) return ok;
  if (auto ok = emit(transcript, msgs::encode_message(sh), sink); !ok) return ok;

  msgs::Certificate12 cert;
  cert.certificate_list = choice->certificate->chain();
  if (auto ok = emit(transcript, msgs::encode_message(cert), sink); !ok) return ok;

  // RFC 5246 §7.4.3: ECDHE only; RSA key transport has no ServerKeyExchange.
  std::unique_ptr<crypto::KeyShare> share;
  if (suite.kx == KeyExchange::ecdhe) {
    auto fresh = provider_.generate_key_share(choice->group);
    if (!fresh) return std::move(fresh).error();
    share = std::move(fresh).value();
    msgs::ServerKeyExchangeEcdhe ske;
    ske.group = choice->group;
    auto pub = share->public_key();
    ske.public_key.assign(pub.begin(), pub.end());
    ske.scheme = choice->scheme;
    auto signature = sign_tls12(choice->certificate->key(), choice->scheme,
                                server_key_exchange_content(ch.random, sh.random, ske));
    if (!signature) return std::move(signature).error();
    ske.signature = std::move(signature).value();
    if (auto ok = emit(transcript, msgs::encode_message(ske), sink); !ok) return ok;
    info_.group = choice->group;
  }
  if (opts.client_auth != ClientAuth::none) {
    if (auto ok = send_certificate_request(transcript, sink); !ok) return ok;
  }
  if (auto ok = emit(transcript, msgs::encode_message(msgs::ServerHelloDone{}), sink); !ok) {
    return ok;
  }

  info_.version = ProtocolVersion::tls12;
  info_.cipher_suite = suite.suite;
  info_.alpn = choice->alpn;
  info_.server_name = choice->server_name;
  info_.extended_master_secret = choice->extended_master_secret;
  Negotiated n{&suite,
               std::move(transcript),
               ch.random,
               sh.random,
               choice->extended_master_secret,
               std::move(share),
               std::move(resumable),
               static_cast<uint16_t>(ch.legacy_version),
               choice->certificate};
  if (opts.client_auth != ClientAuth::none) {
    state_ = ExpectCertificate{std::move(n)};
  } else {
    state_ = ExpectClientKeyExchange{std::move(n), std::nullopt};
  }
  return {};
}

std::vector<SignatureScheme> Server12::client_schemes() const {
  std::vector<SignatureScheme> schemes;
  for (SignatureScheme s : config_->options().signature_schemes) {
    if (tls12_scheme(s)) schemes.push_back(s);
  }
  return schemes;
}

Result<void> Server12::send_certificate_request(Transcript& transcript, RecordSink& sink) const {
  msgs::CertificateRequest12 request;
  request.certificate_types = {msgs::CertificateRequest12::kRsaSign,
                               msgs::CertificateRequest12::kEcdsaSign};
  request.schemes = client_schemes();
  for (const Der& name : config_->options().client_verifier->client_ca_names()) {
    request.authorities.push_back(name);
  }
  return emit(transcript, msgs::encode_message(request), sink);
}

Result<State> Server12::on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&) {
  auto cert = msgs::Certificate12::decode(m.body());
  if (!cert) return std::move(cert).error();
  st.n.transcript.add(m.raw);
  if (cert->certificate_list.empty()) {
    // RFC 5246 §7.4.6: the server may answer a client without a certificate with a fatal
    // handshake_failure.
    if (config_->options().client_auth == ClientAuth::require) {
      return Error{ErrorCode::no_client_certificate, "client sent no certificate"};
    }
    return ExpectClientKeyExchange{std::move(st.n), std::nullopt};
  }
  std::vector<Der> chain = std::move(cert->certificate_list);
  auto verified =
      config_->options().client_verifier->verify_client(chain, std::chrono::system_clock::now());
  if (!verified) {
    info_.unverified_peer_certificates = std::move(chain);
    return std::move(verified).error();
  }
  auto key = peer_public_key(provider_, chain.front());
  if (!key) return std::move(key).error();
  return ExpectClientKeyExchange{std::move(st.n),
                                 ClientIdentity{std::move(chain), std::move(key).value()}};
}

// The pre-master secret from the ClientKeyExchange.
Result<SecretVector> Server12::key_exchange(const Negotiated& n,
                                            const msgs::HandshakeMessage& m) const {
  if (n.suite->kx == KeyExchange::rsa) {
    auto cke = msgs::ClientKeyExchangeRsa::decode(m.body());
    if (!cke) return std::move(cke).error();
    // RFC 5246 §7.4.7.1: whatever is wrong with it (padding, version, length), the handshake
    // goes on with a random pre-master secret and fails at the Finished, like any other.
    SecretVector pre_master(48);
    if (!n.certificate->key().decrypt_pre_master(cke->encrypted_pre_master, n.client_version,
                                                 pre_master.mutable_span())) {
      return Error{ErrorCode::internal_error, "the certificate's key cannot decrypt"};
    }
    return pre_master;
  }
  auto cke = msgs::ClientKeyExchangeEcdhe::decode(m.body());
  if (!cke) return std::move(cke).error();
  // RFC 8422 §5.7: an invalid point gets illegal_parameter.
  auto pre_master = n.share->derive(cke->public_key);
  if (!pre_master) return Error{ErrorCode::bad_key_share, pre_master.error().detail};
  return std::move(pre_master).value();
}

Result<State> Server12::on(ExpectClientKeyExchange&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto pre_master = key_exchange(st.n, m);
  if (!pre_master) return std::move(pre_master).error();
  st.n.transcript.add(m.raw);
  const crypto::HashAlg hash = st.n.suite->hash;
  // RFC 7627 §4: the session hash covers the messages up to the ClientKeyExchange.
  Secret master = st.n.extended_master_secret
                      ? extended_master_secret(provider_, hash, pre_master->span(),
                                               st.n.transcript.current_hash().span())
                      : master_secret(provider_, hash, pre_master->span(), st.n.client_random,
                                      st.n.server_random);
  log_secret(key_log(), "CLIENT_RANDOM", st.n.client_random, master);
  KeyBlock block =
      key_block(provider_, *st.n.suite, master, st.n.client_random, st.n.server_random);
  Keys keys{st.n.suite,
            std::move(st.n.transcript),
            st.n.client_random,
            st.n.server_random,
            std::move(master),
            std::move(block.client_write),
            std::move(block.server_write),
            st.n.extended_master_secret,
            std::move(st.n.resumable),
            false,
            ResumedBy::none,
            {},
            false};
  if (st.client) return ExpectCertificateVerify{std::move(keys), std::move(*st.client)};
  return ExpectChangeCipherSpec{std::move(keys), PeerAuthentication::none()};
}

Result<State> Server12::on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto cv = msgs::CertificateVerify::decode(m.body());
  if (!cv) return std::move(cv).error();
  // RFC 5246 §7.4.8: over every handshake message before this one, with a scheme our
  // CertificateRequest listed.
  auto proof =
      verify_tls12_signature(*st.client.key, client_schemes(), cv->algorithm,
                             st.keys.transcript.messages(), cv->signature, "CertificateVerify");
  if (!proof) return std::move(proof).error();
  st.keys.transcript.add(m.raw);
  return ExpectChangeCipherSpec{
      std::move(st.keys),
      PeerAuthentication::certificate(std::move(st.client.chain), true, cv->algorithm, *proof)};
}

Result<void> Server12::on_change_cipher_spec(RecordSink& sink) {
  if (auto order = check_change_cipher_spec(Role::server, ProtocolVersion::tls12, state_.index());
      !order) {
    return order;
  }
  auto& st = std::get<ExpectChangeCipherSpec>(state_);
  // RFC 5246 §7.1: the client's records are protected from here on.
  if (auto ok = sink.set_read_keys(DirectionKeys{std::move(st.keys.client_write), std::nullopt});
      !ok) {
    return ok;
  }
  state_ = ExpectFinished{std::move(st.keys), std::move(st.client)};
  return {};
}

Result<State> Server12::on(ExpectChangeCipherSpec&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message where change_cipher_spec is due"};
}

Result<State> Server12::on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink) {
  Keys& keys = st.keys;
  const crypto::HashAlg hash = keys.suite->hash;
  auto finished = msgs::Finished::decode(m.body(), kVerifyDataLength12);
  if (!finished) return std::move(finished).error();
  auto proof = verify_finished12(provider_, hash, keys.master, true,
                                 keys.transcript.current_hash().span(), finished->verify_data);
  if (!proof) return std::move(proof).error();
  keys.transcript.add(m.raw);
  info_.resumed_by = keys.resumed_by;
  std::move(st.client).complete(info_, *proof);
  keys.peer_certificates = info_.peer_certificates;
  keys.peer_verified = info_.peer_verified;
  exporter_ = Exporter::tls12(provider_, keys.suite->hash, keys.master.clone(), keys.client_random,
                              keys.server_random, keys.extended_master_secret);
  // Only an authenticated session is kept: the client's Finished verified.
  if (!keys.resumable.session_id.empty() && config_->session_cache()) {
    session::SessionId id{};
    std::copy(keys.resumable.session_id.begin(), keys.resumable.session_id.end(), id.begin());
    config_->session_cache()->put(id, session_of(keys));
    cached_ = id;
  }
  if (keys.abbreviated) return Connected{};
  if (auto ok = send_ticket(keys, sink); !ok) return std::move(ok).error();
  if (auto ok = send_finished(keys, sink); !ok) return std::move(ok).error();
  return Connected{};
}

Result<State> Server12::on(Connected&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message after completion"};
}

}  // namespace

Result<std::unique_ptr<Handshake>> make_server12(std::shared_ptr<const ServerConfig> config,
                                                 const msgs::ClientHello& client_hello,
                                                 const msgs::HandshakeMessage& message,
                                                 RecordSink& sink) {
  auto server = std::make_unique<Server12>(std::move(config));
  if (auto ok = server->on_client_hello(client_hello, message, sink); !ok) {
    return std::move(ok).error();
  }
  return std::unique_ptr<Handshake>(std::move(server));
}

}  // namespace bastion::handshake
