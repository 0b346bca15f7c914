#include "handshake/client12.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <vector>

#include "handshake/alpn.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/key_log.hpp"
#include "handshake/message_order.hpp"
#include "handshake/peer_authentication.hpp"
#include "handshake/prf.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/tls12_common.hpp"
#include "msgs/msgs.hpp"
#include "session/session_data.hpp"
#include "x509/certificate.hpp"

namespace bastion::handshake {
namespace {

// A ticket is offered back in a later ClientHello, whose extensions must all fit 2^16 - 1
// bytes: larger ones are not kept.
constexpr size_t kMaxTicketSize = 16 * 1024;

using std::chrono::system_clock;

// How long a session without a ticket lifetime hint is kept (RFC 5077 §3.3: 0 is no hint).
constexpr std::chrono::seconds kDefaultSessionLifetime = std::chrono::hours(2);

// What the ServerHello fixed.
struct Negotiated {
  const CipherSuiteInfo* suite = nullptr;
  Transcript transcript;
  std::array<uint8_t, 32> client_random{};
  std::array<uint8_t, 32> server_random{};
  bool extended_master_secret = false;
  std::vector<uint8_t> session_id;         // the server's
  bool ticket_coming = false;              // RFC 5077 §3.2: the server answered session_ticket
  std::shared_ptr<const Session> resumed;  // the session the server resumed, if any
  std::vector<NamedGroup> groups;          // the supported_groups we sent
};

// The server's certificate, verified, and its key.
struct ServerIdentity {
  std::vector<Der> chain;
  bool chain_verified = false;
  std::unique_ptr<crypto::PublicKey> key;
};

// The key exchange done: our ECDHE share's public value and the pre-master secret.
// The key exchange done: what our ClientKeyExchange carries (an ECDHE public value, or the
// RSA-encrypted pre-master secret) and the pre-master secret.
struct Exchange {
  std::vector<uint8_t> client_public;
  SecretVector pre_master;
  KeyExchange kx = KeyExchange::ecdhe;
};

struct ExpectCertificate {
  static constexpr std::string_view kName = "ExpectCertificate";
  Negotiated n;
};
struct ExpectServerKeyExchange {
  static constexpr std::string_view kName = "ExpectServerKeyExchange";
  Negotiated n;
  ServerIdentity server;
};
struct ExpectCertificateRequestOrDone {
  static constexpr std::string_view kName = "ExpectCertificateRequestOrDone";
  Negotiated n;
  Exchange exchange;
  PeerAuthentication server;
};
struct ExpectServerHelloDone {
  static constexpr std::string_view kName = "ExpectServerHelloDone";
  Negotiated n;
  Exchange exchange;
  PeerAuthentication server;
  msgs::CertificateRequest12 request;
};
// Waiting for the server's change_cipher_spec and Finished: after our Finished in a full
// handshake, before it in an abbreviated one (RFC 5246 §7.3), which still owes our flight.
struct Finishing {
  Negotiated n;
  Secret master;
  record::Protection server_write;
  PeerAuthentication server;
  std::optional<record::Protection> client_write;  // abbreviated: ours, sent after
  msgs::NewSessionTicket12 ticket;                 // the server's, when it sent one
  ResumedBy resumed_by = ResumedBy::none;          // shown once the server's Finished verified
};
struct ExpectNewSessionTicket {
  static constexpr std::string_view kName = "ExpectNewSessionTicket";
  Finishing f;
};
struct ExpectChangeCipherSpec {
  static constexpr std::string_view kName = "ExpectChangeCipherSpec";
  Finishing f;
};
struct ExpectFinished {
  static constexpr std::string_view kName = "ExpectFinished";
  Finishing f;
};
struct Connected {
  static constexpr std::string_view kName = "Connected";
};

using State =
    std::variant<ExpectCertificate, ExpectServerKeyExchange, ExpectCertificateRequestOrDone,
                 ExpectServerHelloDone, ExpectNewSessionTicket, ExpectChangeCipherSpec,
                 ExpectFinished, Connected>;
static_assert(states_match_table<State>(kClient12States));

class Client12 final : public Handshake {
 public:
  Client12(std::shared_ptr<const ClientConfig> config, std::string server_name)
      : config_(std::move(config)),
        provider_(config_->provider()),
        server_name_(std::move(server_name)) {
    if (msgs::ServerName::is_valid_host_name(server_name_)) info_.server_name = server_name_;
  }

  Result<void> on_server_hello(ClientOffer offer, Transcript transcript,
                               const msgs::ServerHello& sh, const msgs::HandshakeMessage& m);

  Result<void> start(RecordSink&) override { return {}; }
  Result<void> handle(const msgs::HandshakeMessage& m, RecordSink& sink) override {
    // RFC 5246 §7.4.1.1: a HelloRequest while negotiating is ignored (and is not part of the
    // transcript); a bound keeps a peer from stalling us on them.
    if (m.type == HandshakeType::hello_request && m.body().empty()) {
      if (++hello_requests_ > limits::kMaxWarningAlerts) {
        return Error{ErrorCode::too_many_messages, "too many HelloRequests"};
      }
      return {};
    }
    return advance(Role::client, ProtocolVersion::tls12, state_, m.type,
                   [&](auto&& st) { return on(std::move(st), m, sink); });
  }
  bool complete() const override { return std::holds_alternative<Connected>(state_); }
  Result<void> on_change_cipher_spec(RecordSink& sink) override;
  Result<void> on_new_session_ticket(const msgs::HandshakeMessage&) override {
    // RFC 5077 §3.3: a TLS 1.2 ticket comes in the handshake only.
    return Error{ErrorCode::unexpected_message, "NewSessionTicket after a TLS 1.2 handshake"};
  }

 private:
  Result<State> on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectServerKeyExchange&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificateRequestOrDone&& st, const msgs::HandshakeMessage& m,
                   RecordSink& sink);
  Result<State> on(ExpectServerHelloDone&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(ExpectNewSessionTicket&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectChangeCipherSpec&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<State> on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(Connected&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<State> send_flight(Negotiated n, Exchange exchange, PeerAuthentication server,
                            const msgs::CertificateRequest12* request, RecordSink& sink);
  Result<void> send_client_auth(Negotiated& n, const msgs::CertificateRequest12& request,
                                std::optional<SignatureScheme>& scheme, RecordSink& sink);
  Result<void> resume(Negotiated n);
  void keep_session(const Finishing& f);

  const KeyLog* key_log() const { return config_->options().key_log.get(); }

  std::shared_ptr<const ClientConfig> config_;
  const crypto::Provider& provider_;
  std::string server_name_;
  State state_{Connected{}};
  unsigned hello_requests_ = 0;
};

Result<void> Client12::on_server_hello(ClientOffer offer, Transcript transcript,
                                       const msgs::ServerHello& sh,
                                       const msgs::HandshakeMessage& m) {
  const ClientOptions& opts = config_->options();
  // RFC 5246 §7.4.1.3: the suite and compression method must be ones the client offered.
  const auto& suites = offer.hello.cipher_suites;
  const CipherSuiteInfo* suite = find_suite(ProtocolVersion::tls12, sh.cipher_suite);
  if (!suite || std::find(suites.begin(), suites.end(), sh.cipher_suite) == suites.end()) {
    return illegal("server chose a cipher suite not offered for TLSv1.2: " +
                   to_string(sh.cipher_suite));
  }
  if (sh.legacy_compression_method != 0) return illegal("ServerHello compression is not null");
  if (auto ok = msgs::check_solicited(sh.extensions, msgs::MessageKind::server_hello_tls12,
                                      offer.extension_types);
      !ok) {
    return ok;
  }
  if (auto ok = check_secure_renegotiation(sh.extensions); !ok) return ok;
  const bool ems = msgs::contains(sh.extensions, ExtensionType::extended_master_secret);
  if (auto ems_ok = msgs::find_as<msgs::ExtendedMasterSecret>(sh.extensions); !ems_ok) {
    return std::move(ems_ok).error();
  }
  // RFC 7627 §5.2: a client that requires the extension aborts without it.
  if (!ems && opts.require_extended_master_secret) {
    return Error{ErrorCode::no_extended_master_secret,
                 "server does not use the extended master secret"};
  }
  // RFC 8422 §5.1.2: a server's point formats must include uncompressed.
  auto formats = msgs::find_as<msgs::EcPointFormats>(sh.extensions);
  if (!formats) return std::move(formats).error();
  if (formats->has_value() && !(*formats)->has_uncompressed()) {
    return illegal("server does not accept uncompressed points");
  }
  if (auto ack = msgs::find_as<msgs::ServerNameAck>(sh.extensions); !ack) {
    return std::move(ack).error();
  }
  auto alpn = client_alpn(opts.alpn, sh.extensions);
  if (!alpn) return std::move(alpn).error();
  info_.alpn = std::move(alpn).value();
  // RFC 5077 §3.2: the server's session_ticket is empty and says a ticket will follow.
  auto ticket = msgs::find_as<msgs::SessionTicket>(sh.extensions);
  if (!ticket) return std::move(ticket).error();
  if (ticket->has_value() && !(*ticket)->ticket.empty()) {
    return illegal("ServerHello session_ticket is not empty");
  }
  // A client certificate signs the messages themselves (RFC 5246 §7.4.8).
  if (opts.client_certificate) transcript.keep_messages();
  if (auto ok = transcript.set_hash(suite->hash); !ok) return ok;
  transcript.add(m.raw);

  info_.version = ProtocolVersion::tls12;
  info_.cipher_suite = suite->suite;
  info_.extended_master_secret = ems;
  Negotiated n{suite,       std::move(transcript),     offer.hello.random,  sh.random,
               ems,         sh.legacy_session_id_echo, ticket->has_value(), nullptr,
               offer.groups};
  // RFC 5246 §7.4.1.3 and RFC 5077 §3.4: the server resumes by echoing the session ID that
  // came with the session offered.
  const bool tls12_session =
      offer.session && offer.session->data().version == ProtocolVersion::tls12;
  if (tls12_session && !sh.legacy_session_id_echo.empty() &&
      sh.legacy_session_id_echo == offer.hello.legacy_session_id) {
    n.resumed = std::move(offer.session);
    return resume(std::move(n));
  }
  state_ = ExpectCertificate{std::move(n)};
  return {};
}

Result<void> Client12::resume(Negotiated n) {
  const Session::Data& session = n.resumed->data();
  // RFC 5246 §7.4.1.3: a resumed session keeps its suite.
  if (session.suite != n.suite->suite) {
    return illegal("server resumed a session with another cipher suite");
  }
  // RFC 7627 §5.3: the extended master secret must be used as in the original session (which
  // had it: no other is kept).
  if (!n.extended_master_secret) {
    return Error{ErrorCode::no_extended_master_secret,
                 "server resumed a session without its extended master secret"};
  }
  Secret master = session.psk.clone();
  KeyBlock keys = key_block(provider_, *n.suite, master, n.client_random, n.server_random);
  auto server = PeerAuthentication::resumed(session.peer_certificates, session.peer_verified);
  const bool ticket = n.ticket_coming;
  const ResumedBy by = session.ticket.empty() ? ResumedBy::session_id : ResumedBy::ticket;
  Finishing f{std::move(n),
              std::move(master),
              std::move(keys.server_write),
              std::move(server),
              std::move(keys.client_write),
              {},
              by};
  if (ticket) {
    state_ = ExpectNewSessionTicket{std::move(f)};
  } else {
    state_ = ExpectChangeCipherSpec{std::move(f)};
  }
  return {};
}

Result<State> Client12::on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&) {
  auto cert = msgs::Certificate12::decode(m.body());
  if (!cert) return std::move(cert).error();
  // A server of these suites always authenticates with a certificate.
  if (cert->certificate_list.empty()) {
    return Error{ErrorCode::decode_error, "server sent an empty Certificate"};
  }
  std::vector<Der> chain = std::move(cert->certificate_list);
  const ClientOptions& opts = config_->options();
  if (!opts.insecure_skip_verify) {
    auto verified =
        opts.verifier->verify_server(chain, server_name_, std::chrono::system_clock::now());
    if (!verified) {
      info_.unverified_peer_certificates = std::move(chain);
      return std::move(verified).error();
    }
  }
  auto key = peer_public_key(provider_, chain.front());
  if (!key) return std::move(key).error();
  // RFC 5246 §7.4.2: the certificate's key must suit the key exchange of the suite.
  if (!st.n.suite->allows_key((*key)->type())) {
    return Error{ErrorCode::unsupported_certificate,
                 "server certificate key does not suit " + to_string(st.n.suite->suite)};
  }
  st.n.transcript.add(m.raw);
  if (st.n.suite->kx == KeyExchange::rsa) {
    // RFC 5246 §7.4.2: the key encrypts the pre-master secret, so keyUsage (when present) must
    // allow keyEncipherment.
    auto leaf = x509::Certificate::parse(chain.front());
    if (!leaf) return std::move(leaf).error();
    if (!(*leaf)->has_key_usage(x509::KeyUsageBit::key_encipherment)) {
      return Error{ErrorCode::bad_key_usage,
                   "the server's certificate does not allow keyEncipherment"};
    }
    // RFC 5246 §7.4.7.1: client_version (0x0303) and 46 random bytes, encrypted to the server's
    // key. No ServerKeyExchange: the server proves its key by its Finished.
    SecretVector pre_master(48);
    provider_.random(pre_master.mutable_span());
    pre_master.mutable_span()[0] = 0x03;
    pre_master.mutable_span()[1] = 0x03;
    auto encrypted = (*key)->encrypt_pkcs1(pre_master.span());
    if (!encrypted) return std::move(encrypted).error();
    const bool verified = !opts.insecure_skip_verify;
    return ExpectCertificateRequestOrDone{
        std::move(st.n),
        Exchange{std::move(encrypted).value(), std::move(pre_master), KeyExchange::rsa},
        PeerAuthentication::key_transport(std::move(chain), verified)};
  }
  return ExpectServerKeyExchange{
      std::move(st.n),
      ServerIdentity{std::move(chain), !opts.insecure_skip_verify, std::move(key).value()}};
}

Result<State> Client12::on(ExpectServerKeyExchange&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto ske = msgs::ServerKeyExchangeEcdhe::decode(m.body());
  if (!ske) return std::move(ske).error();
  const ClientOptions& opts = config_->options();
  // RFC 8422 §5.4: the curve must be one the client listed (and an elliptic one: the ECDHE
  // suites never use the finite-field groups).
  if (!is_ecdhe_group(ske->group) ||
      std::find(st.n.groups.begin(), st.n.groups.end(), ske->group) == st.n.groups.end()) {
    return illegal("ServerKeyExchange names a group not offered: " + to_string(ske->group));
  }
  // RFC 5246 §7.4.3: the signature covers client_random + server_random + ServerECDHParams.
  const std::vector<uint8_t> signed_content =
      server_key_exchange_content(st.n.client_random, st.n.server_random, *ske);
  auto proof = verify_tls12_signature(*st.server.key, opts.signature_schemes, ske->scheme,
                                      signed_content, ske->signature, "ServerKeyExchange");
  if (!proof) return std::move(proof).error();
  auto share = provider_.generate_key_share(ske->group);
  if (!share) return std::move(share).error();
  auto shared = (*share)->derive(ske->public_key);
  if (!shared) return Error{ErrorCode::bad_key_share, shared.error().detail};
  st.n.transcript.add(m.raw);
  info_.group = ske->group;
  auto pub = (*share)->public_key();
  return ExpectCertificateRequestOrDone{
      std::move(st.n),
      Exchange{std::vector<uint8_t>(pub.begin(), pub.end()), std::move(shared).value()},
      PeerAuthentication::certificate(std::move(st.server.chain), st.server.chain_verified,
                                      ske->scheme, *proof)};
}

Result<State> Client12::on(ExpectCertificateRequestOrDone&& st, const msgs::HandshakeMessage& m,
                           RecordSink& sink) {
  if (m.type == HandshakeType::server_hello_done) {
    auto done = msgs::ServerHelloDone::decode(m.body());
    if (!done) return std::move(done).error();
    st.n.transcript.add(m.raw);
    return send_flight(std::move(st.n), std::move(st.exchange), std::move(st.server), nullptr,
                       sink);
  }
  auto request = msgs::CertificateRequest12::decode(m.body());
  if (!request) return std::move(request).error();
  st.n.transcript.add(m.raw);
  return ExpectServerHelloDone{std::move(st.n), std::move(st.exchange), std::move(st.server),
                               std::move(request).value()};
}

Result<State> Client12::on(ExpectServerHelloDone&& st, const msgs::HandshakeMessage& m,
                           RecordSink& sink) {
  auto done = msgs::ServerHelloDone::decode(m.body());
  if (!done) return std::move(done).error();
  st.n.transcript.add(m.raw);
  return send_flight(std::move(st.n), std::move(st.exchange), std::move(st.server), &st.request,
                     sink);
}

Result<void> Client12::send_client_auth(Negotiated& n, const msgs::CertificateRequest12& request,
                                        std::optional<SignatureScheme>& scheme, RecordSink& sink) {
  const auto& cert = config_->options().client_certificate;
  if (cert && accepts_certificate_type(request.certificate_types, cert->key().type())) {
    scheme = choose_tls12_scheme(request.schemes, config_->options().signature_schemes,
                                 cert->key().type());
  }
  // RFC 5246 §7.4.6: with no suitable certificate the client sends an empty Certificate.
  msgs::Certificate12 message;
  if (scheme) message.certificate_list = cert->chain();
  return emit(n.transcript, msgs::encode_message(message), sink);
}

Result<State> Client12::send_flight(Negotiated n, Exchange exchange, PeerAuthentication server,
                                    const msgs::CertificateRequest12* request, RecordSink& sink) {
  std::optional<SignatureScheme> client_scheme;
  if (request) {
    if (auto ok = send_client_auth(n, *request, client_scheme, sink); !ok) {
      return std::move(ok).error();
    }
  }
  auto cke = exchange.kx == KeyExchange::rsa
                 ? msgs::encode_message(msgs::ClientKeyExchangeRsa{exchange.client_public})
                 : msgs::encode_message(msgs::ClientKeyExchangeEcdhe{exchange.client_public});
  if (auto ok = emit(n.transcript, std::move(cke), sink); !ok) return std::move(ok).error();
  // RFC 7627 §4: the session hash covers the messages up to the ClientKeyExchange.
  const crypto::HashAlg hash = n.suite->hash;
  Secret master = n.extended_master_secret
                      ? extended_master_secret(provider_, hash, exchange.pre_master.span(),
                                               n.transcript.current_hash().span())
                      : master_secret(provider_, hash, exchange.pre_master.span(), n.client_random,
                                      n.server_random);
  log_secret(key_log(), "CLIENT_RANDOM", n.client_random, master);
  if (client_scheme) {
    // RFC 5246 §7.4.8: the signature covers every handshake message so far.
    auto signature = sign_tls12(config_->options().client_certificate->key(), *client_scheme,
                                n.transcript.messages());
    if (!signature) return std::move(signature).error();
    msgs::CertificateVerify cv{*client_scheme, std::move(signature).value()};
    if (auto ok = emit(n.transcript, msgs::encode_message(cv), sink); !ok) {
      return std::move(ok).error();
    }
  }
  KeyBlock keys = key_block(provider_, *n.suite, master, n.client_random, n.server_random);
  if (auto ok = send_finished12(provider_, n.suite->hash, master, FinishedBy::client,
                                std::move(keys.client_write), n.transcript, sink);
      !ok) {
    return std::move(ok).error();
  }
  const bool ticket = n.ticket_coming;
  Finishing f{std::move(n),      std::move(master), std::move(keys.server_write),
              std::move(server), std::nullopt,      {}};
  if (ticket) return ExpectNewSessionTicket{std::move(f)};
  return ExpectChangeCipherSpec{std::move(f)};
}

Result<void> Client12::on_change_cipher_spec(RecordSink& sink) {
  if (auto order = check_change_cipher_spec(Role::client, ProtocolVersion::tls12, state_.index());
      !order) {
    return order;
  }
  auto& st = std::get<ExpectChangeCipherSpec>(state_);
  // RFC 5246 §7.1: the server's records are protected from here on.
  if (auto ok = sink.set_read_keys(DirectionKeys{std::move(st.f.server_write), std::nullopt});
      !ok) {
    return ok;
  }
  state_ = ExpectFinished{std::move(st.f)};
  return {};
}

Result<State> Client12::on(ExpectNewSessionTicket&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto nst = msgs::NewSessionTicket12::decode(m.body());
  if (!nst) return std::move(nst).error();
  st.f.n.transcript.add(m.raw);
  st.f.ticket = std::move(nst).value();
  return ExpectChangeCipherSpec{std::move(st.f)};
}

Result<State> Client12::on(ExpectChangeCipherSpec&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message where change_cipher_spec is due"};
}

Result<State> Client12::on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink) {
  Finishing& f = st.f;
  auto finished = msgs::Finished::decode(m.body(), kVerifyDataLength12);
  if (!finished) return std::move(finished).error();
  auto proof = verify_finished12(provider_, f.n.suite->hash, f.master, false,
                                 f.n.transcript.current_hash().span(), finished->verify_data);
  if (!proof) return std::move(proof).error();
  f.n.transcript.add(m.raw);
  // RFC 5246 §7.3: in an abbreviated handshake our change_cipher_spec and Finished follow.
  if (f.client_write) {
    if (auto ok = send_finished12(provider_, f.n.suite->hash, f.master, FinishedBy::client,
                                  std::move(*f.client_write), f.n.transcript, sink);
        !ok) {
      return std::move(ok).error();
    }
  }
  info_.resumed_by = f.resumed_by;
  std::move(f.server).complete(info_, *proof);
  exporter_ = Exporter::tls12(provider_, f.n.suite->hash, f.master.clone(), f.n.client_random,
                              f.n.server_random, f.n.extended_master_secret);
  keep_session(f);
  return Connected{};
}

// A session to resume later: by the ticket the server sent, else by its session ID. Only with
// an extended master secret (RFC 7627 §5.3: others SHOULD NOT be resumed).
void Client12::keep_session(const Finishing& f) {
  SessionStore* store = client_session_store(*config_);
  const auto now = system_clock::now();
  auto data = std::make_unique<Session::Data>();
  if (!f.ticket.ticket.empty()) {
    data->ticket = f.ticket.ticket;
    data->received = now;
    const auto hint = std::chrono::seconds(f.ticket.lifetime_hint);
    data->lifetime = std::min(hint.count() > 0 ? hint : kDefaultSessionLifetime, kMaxSessionAge);
  } else if (f.n.resumed && !f.n.resumed->data().ticket.empty()) {
    // RFC 5077 §3.4: resumed by a ticket and given no new one, the old ticket stays good, with
    // its own age and lifetime.
    const Session::Data& old = f.n.resumed->data();
    data->ticket = old.ticket;
    data->received = old.received;
    data->lifetime = old.lifetime;
  } else {
    data->received = now;
    data->lifetime = kDefaultSessionLifetime;
  }
  if (!store || !f.n.extended_master_secret || (data->ticket.empty() && f.n.session_id.empty())) {
    return;
  }
  // A ticket is offered back in a ClientHello (session_ticket<0..2^16-1>, with the rest).
  if (data->ticket.size() > kMaxTicketSize) return;
  data->server_name = server_name_;
  data->version = ProtocolVersion::tls12;
  data->suite = f.n.suite->suite;
  data->psk = f.master.clone();
  data->session_id = f.n.session_id;
  data->alpn = info_.alpn;
  data->peer_certificates = info_.peer_certificates;
  data->peer_verified = info_.peer_verified;
  if (f.n.resumed) {
    // Resumption does not renew the authentication (the 7-day bound counts from it).
    data->auth_time = f.n.resumed->data().auth_time;
    data->verifier = f.n.resumed->data().verifier;
  } else {
    data->auth_time = now;
    if (info_.peer_verified) data->verifier = config_->options().verifier;
  }
  data->client_identity = config_->client_identity();
  store->put(server_name_, std::make_shared<const Session>(std::move(data)));
}

Result<State> Client12::on(Connected&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message after completion"};
}

}  // namespace

Result<std::unique_ptr<Handshake>> make_client12(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name, ClientOffer offer,
                                                 Transcript transcript,
                                                 const msgs::ServerHello& server_hello,
                                                 const msgs::HandshakeMessage& message) {
  auto client = std::make_unique<Client12>(std::move(config), std::move(server_name));
  if (auto ok =
          client->on_server_hello(std::move(offer), std::move(transcript), server_hello, message);
      !ok) {
    return std::move(ok).error();
  }
  return std::unique_ptr<Handshake>(std::move(client));
}

}  // namespace bastion::handshake
