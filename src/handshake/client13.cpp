#include "handshake/client13.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <vector>

#include "crypto/provider.hpp"
#include "handshake/alpn.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/client_hello.hpp"
#include "handshake/key_log.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/message_order.hpp"
#include "handshake/peer_authentication.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/transcript.hpp"
#include "msgs/msgs.hpp"
#include "session/session_data.hpp"

namespace bastion::handshake {
namespace {

using std::chrono::system_clock;

// A server may send any number of NewSessionTickets (RFC 8446 §4.6.1); past this many in one
// connection they are ignored, neither derived nor stored, so that a server cannot make the
// client spend CPU and store space without bound.
constexpr size_t kMaxTicketsPerConnection = 8;
// A ticket is offered as a PskIdentity in a later ClientHello, whose extensions must all fit in
// 2^16 - 1 bytes: larger tickets are not kept. Bastion's own are at most about 8 KiB.
constexpr size_t kMaxTicketSize = 16 * 1024;

// The secrets and transcript once the ServerHello fixed the suite.
struct Keys {
  const CipherSuiteInfo* suite = nullptr;
  std::vector<ExtensionType> offered;  // the extension types of the last ClientHello
  Transcript transcript;
  HandshakeSecret secret;
  Secret client_traffic;
  Secret server_traffic;
  std::shared_ptr<const Session> resumed;  // the session the server accepted, if any
};

struct ExpectServerHello {
  static constexpr std::string_view kName = "ExpectServerHello";
  ClientOffer offer;
  Transcript transcript;
  // Set after a HelloRetryRequest: the suite it chose (RFC 8446 §4.1.4).
  std::optional<CipherSuite> retry_suite;
};
struct ExpectEncryptedExtensions {
  static constexpr std::string_view kName = "ExpectEncryptedExtensions";
  Keys keys;
};
struct ExpectCertificateOrRequest {
  static constexpr std::string_view kName = "ExpectCertificateOrRequest";
  Keys keys;
};
struct ExpectCertificate {
  static constexpr std::string_view kName = "ExpectCertificate";
  Keys keys;
  msgs::CertificateRequest request;
};
struct ExpectCertificateVerify {
  static constexpr std::string_view kName = "ExpectCertificateVerify";
  Keys keys;
  std::optional<msgs::CertificateRequest> request;
  std::vector<Der> chain;
  bool chain_verified = false;
  std::unique_ptr<crypto::PublicKey> server_key;
};
struct ExpectFinished {
  static constexpr std::string_view kName = "ExpectFinished";
  Keys keys;
  std::optional<msgs::CertificateRequest> request;
  PeerAuthentication server;  // shown in info() once the server's Finished verified
};
struct Connected {
  static constexpr std::string_view kName = "Connected";
};

using State = std::variant<ExpectServerHello, ExpectEncryptedExtensions, ExpectCertificateOrRequest,
                           ExpectCertificate, ExpectCertificateVerify, ExpectFinished, Connected>;
static_assert(states_match_table<State>(kClient13States));

class Client13 final : public Handshake {
 public:
  Client13(std::shared_ptr<const ClientConfig> config, std::string server_name, ClientOffer offer,
           Transcript transcript)
      : config_(std::move(config)),
        provider_(config_->provider()),
        server_name_(std::move(server_name)),
        client_random_(offer.hello.random),
        state_(ExpectServerHello{std::move(offer), std::move(transcript), std::nullopt}) {
    if (msgs::ServerName::is_valid_host_name(server_name_)) info_.server_name = server_name_;
  }

  // The ClientHello went out before the version was known (client.cpp).
  Result<void> start(RecordSink&) override { return {}; }
  Result<void> handle(const msgs::HandshakeMessage& message, RecordSink& sink) override;
  bool complete() const override { return std::holds_alternative<Connected>(state_); }
  Result<void> on_change_cipher_spec(RecordSink&) override {
    if (std::holds_alternative<Connected>(state_)) {
      return Error{ErrorCode::unexpected_message, "change_cipher_spec after the handshake"};
    }
    return {};
  }
  Result<void> on_new_session_ticket(const msgs::HandshakeMessage& message) override;

 private:
  // One handler per state; the message type was checked against kClient13States.
  Result<State> on(ExpectServerHello&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(ExpectEncryptedExtensions&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificateOrRequest&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(Connected&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<State> on_hello_retry(ExpectServerHello&& st, const msgs::ServerHello& hrr,
                               const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on_certificate_request(Keys&& keys, const msgs::HandshakeMessage& m);
  Result<State> on_certificate(Keys&& keys, std::optional<msgs::CertificateRequest> request,
                               const msgs::HandshakeMessage& m);
  Result<void> send_client_auth(Keys& keys, const msgs::CertificateRequest& request,
                                RecordSink& sink);
  Result<void> check_server_hello_common(const msgs::ServerHello& sh,
                                         const ClientOffer& offer) const;

  void send_compat_ccs(RecordSink& sink) {
    if (sent_ccs_) return;
    sent_ccs_ = true;
    sink.send_change_cipher_spec();
  }
  const KeyLog* key_log() const { return config_->options().key_log.get(); }
  Result<std::shared_ptr<const Session>> check_psk_selection(const msgs::ServerHello& sh,
                                                             const ClientOffer& offer,
                                                             const CipherSuiteInfo& suite) const;
  SessionStore* session_store() const { return client_session_store(*config_); }

  std::shared_ptr<const ClientConfig> config_;
  const crypto::Provider& provider_;
  std::string server_name_;
  std::array<uint8_t, 32> client_random_{};
  State state_;
  bool sent_ccs_ = false;
  // Kept once connected, for the NewSessionTickets that follow (RFC 8446 §4.6.1).
  const CipherSuiteInfo* suite_ = nullptr;
  std::optional<PreparedSecret> resumption_master_;  // keyed once for every ticket
  // Of the full handshake this session descends from: when and by which verifier it
  // authenticated the server.
  system_clock::time_point auth_time_;
  std::weak_ptr<const CertificateVerifier> verified_by_;
  size_t tickets_received_ = 0;
};

Result<void> Client13::check_server_hello_common(const msgs::ServerHello& sh,
                                                 const ClientOffer& offer) const {
  auto version = msgs::find_as<msgs::SupportedVersionsServerHello>(sh.extensions);
  if (!version) return std::move(version).error();
  if (!version->has_value()) {
    // RFC 8446 §4.1.3: a TLS 1.3 client that sees TLS 1.2 or below MUST check the downgrade
    // sentinel and abort with illegal_parameter when it is there.
    if (sh.has_downgrade_sentinel()) {
      return Error{ErrorCode::downgrade_detected,
                   "ServerHello.random carries a downgrade sentinel"};
    }
    return Error{ErrorCode::protocol_version,
                 "server chose " + to_string(sh.legacy_version) + "; only TLSv1.3 is offered"};
  }
  // RFC 8446 §4.2.1: a version not offered is an illegal_parameter.
  if ((*version)->selected_version != ProtocolVersion::tls13) {
    return illegal("server selected a version not offered: " +
                   to_string((*version)->selected_version));
  }
  if (sh.legacy_version != ProtocolVersion::tls12) {
    return illegal("ServerHello.legacy_version must be 0x0303");
  }
  // RFC 8446 §4.1.3: the echo must match, the suite must be offered, compression must be 0.
  if (sh.legacy_session_id_echo != offer.hello.legacy_session_id) {
    return illegal("ServerHello.legacy_session_id_echo does not match");
  }
  const auto& suites = offer.hello.cipher_suites;
  if (std::find(suites.begin(), suites.end(), sh.cipher_suite) == suites.end()) {
    return illegal("server chose a cipher suite not offered: " + to_string(sh.cipher_suite));
  }
  // The version was learnt from supported_versions: the suite must be of TLS 1.3.
  if (!find_cipher_suite(sh.cipher_suite)) {
    return illegal("server chose a TLS 1.2 cipher suite in TLS 1.3: " + to_string(sh.cipher_suite));
  }
  if (sh.legacy_compression_method != 0) return illegal("ServerHello compression is not null");
  return msgs::check_solicited(sh.extensions, sh.kind(), offer.extension_types);
}

Result<void> Client13::handle(const msgs::HandshakeMessage& m, RecordSink& sink) {
  return advance(Role::client, ProtocolVersion::tls13, state_, m.type,
                 [&](auto&& st) { return on(std::move(st), m, sink); });
}

Result<State> Client13::on(ExpectCertificateOrRequest&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  if (m.type == HandshakeType::certificate_request)
    return on_certificate_request(std::move(st.keys), m);
  return on_certificate(std::move(st.keys), std::nullopt, m);
}

Result<State> Client13::on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&) {
  return on_certificate(std::move(st.keys), std::move(st.request), m);
}

Result<State> Client13::on(Connected&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message after completion"};
}

Result<State> Client13::on(ExpectServerHello&& st, const msgs::HandshakeMessage& m,
                           RecordSink& sink) {
  auto sh = msgs::ServerHello::decode(m.body());
  if (!sh) return std::move(sh).error();
  if (auto ok = check_server_hello_common(*sh, st.offer); !ok) return std::move(ok).error();
  if (sh->is_hello_retry_request()) {
    // RFC 8446 §4.1.4: a second HelloRetryRequest MUST be answered with unexpected_message.
    if (st.retry_suite) return Error{ErrorCode::second_hello_retry, "second HelloRetryRequest"};
    return on_hello_retry(std::move(st), *sh, m, sink);
  }
  // RFC 8446 §4.1.4: the ServerHello must keep the suite of the HelloRetryRequest.
  if (st.retry_suite && *st.retry_suite != sh->cipher_suite) {
    return illegal("cipher suite changed after HelloRetryRequest");
  }
  const CipherSuiteInfo* suite = find_cipher_suite(sh->cipher_suite);
  auto resumed = check_psk_selection(*sh, st.offer, *suite);
  if (!resumed) return std::move(resumed).error();
  auto share = msgs::find_as<msgs::KeyShareServerHello>(sh->extensions);
  if (!share) return std::move(share).error();
  // RFC 8446 §4.2.11: with psk_dhe_ke the only mode offered, a PSK without a key share is an
  // illegal_parameter.
  if (!share->has_value() && *resumed) return illegal("PSK selected without a key share");
  if (!share->has_value())
    return Error{ErrorCode::missing_extension, "ServerHello has no key_share"};
  const auto& entry = (*share)->server_share;
  // RFC 8446 §4.2.8: the server's share must be for the group the client offered a share in.
  if (entry.group != st.offer.share->group()) {
    return illegal("server key share is for a group without a client share");
  }
  auto shared = st.offer.share->derive(entry.key_exchange);
  if (!shared) return Error{ErrorCode::bad_key_share, shared.error().detail};

  if (auto ok = st.transcript.set_hash(suite->hash); !ok) return std::move(ok).error();
  st.transcript.add(m.raw);
  auto hello_hash = st.transcript.current_hash();
  // A resumed session's early secret is the one its binder was made with (same PSK and hash).
  EarlySecret early = *resumed && st.offer.early ? std::move(*st.offer.early)
                                                 : EarlySecret::create(provider_, suite->hash);
  HandshakeSecret hs = std::move(early).into_handshake_secret(shared->span());
  Secret client_hs = hs.client_handshake_traffic_secret(hello_hash.span());
  Secret server_hs = hs.server_handshake_traffic_secret(hello_hash.span());
  log_secret(key_log(), "CLIENT_HANDSHAKE_TRAFFIC_SECRET", client_random_, client_hs);
  log_secret(key_log(), "SERVER_HANDSHAKE_TRAFFIC_SECRET", client_random_, server_hs);
  if (auto ok = sink.set_read_keys(tls13_keys(provider_, *suite, server_hs)); !ok)
    return std::move(ok).error();
  // From here our alerts are protected; the compatibility change_cipher_spec stays plaintext.
  if (auto ok = sink.set_write_keys(tls13_keys(provider_, *suite, client_hs)); !ok)
    return std::move(ok).error();

  info_.version = ProtocolVersion::tls13;
  info_.cipher_suite = sh->cipher_suite;
  info_.group = entry.group;
  return ExpectEncryptedExtensions{
      Keys{suite, std::move(st.offer.extension_types), std::move(st.transcript), std::move(hs),
           std::move(client_hs), std::move(server_hs), std::move(resumed).value()}};
}

Result<std::shared_ptr<const Session>> Client13::check_psk_selection(
    const msgs::ServerHello& sh, const ClientOffer& offer, const CipherSuiteInfo& suite) const {
  auto selected = msgs::find_as<msgs::PreSharedKeyServerHello>(sh.extensions);
  if (!selected) return std::move(selected).error();
  if (!selected->has_value()) return std::shared_ptr<const Session>{};
  // RFC 8446 §4.2.11: the selected identity MUST be in the range offered and the suite's hash
  // MUST be the PSK's, else illegal_parameter. One identity is offered at most.
  if (!offer.session || !offer.early || (*selected)->selected_identity != 0) {
    return illegal("server selected a PSK identity that was not offered");
  }
  if (find_cipher_suite(offer.session->cipher_suite())->hash != suite.hash) {
    return illegal("server selected a PSK with a cipher suite of another hash");
  }
  return offer.session;
}

Result<State> Client13::on_hello_retry(ExpectServerHello&& st, const msgs::ServerHello& hrr,
                                       const msgs::HandshakeMessage& m, RecordSink& sink) {
  auto group = msgs::find_as<msgs::KeyShareHelloRetryRequest>(hrr.extensions);
  if (!group) return std::move(group).error();
  auto cookie = msgs::find_as<msgs::Cookie>(hrr.extensions);
  if (!cookie) return std::move(cookie).error();
  // RFC 8446 §4.1.4: a HelloRetryRequest that would not change the ClientHello is illegal.
  if (!group->has_value() && !cookie->has_value()) {
    return illegal("HelloRetryRequest asks for no change");
  }
  // RFC 8446 §4.1.2: the key share changes only when the server selected a group.
  std::unique_ptr<crypto::KeyShare> share = std::move(st.offer.share);
  if (group->has_value()) {
    NamedGroup selected = (*group)->selected_group;
    // RFC 8446 §4.2.8: the selected group must be offered and must not already have a share.
    const auto& groups = st.offer.groups;
    if (std::find(groups.begin(), groups.end(), selected) == groups.end() ||
        selected == share->group()) {
      return illegal("HelloRetryRequest selected group " + to_string(selected) +
                     " is not acceptable");
    }
    auto fresh = provider_.generate_key_share(selected);
    if (!fresh) return std::move(fresh).error();
    share = std::move(fresh).value();
  }
  const CipherSuiteInfo* suite = find_cipher_suite(hrr.cipher_suite);
  if (auto ok = st.transcript.set_hash(suite->hash); !ok) return std::move(ok).error();
  if (auto ok = st.transcript.replace_client_hello_with_message_hash(); !ok) {
    return std::move(ok).error();
  }
  st.transcript.add(m.raw);

  // RFC 8446 §4.1.2: the retried ClientHello recomputes the PSK's age and binder.
  auto offer = build_client_hello(*config_, server_name_, std::move(share),
                                  cookie->has_value() ? (*cookie)->cookie : std::vector<uint8_t>{},
                                  &st.offer.hello, std::move(st.offer.session), st.transcript);
  if (!offer) return std::move(offer).error();
  info_.hello_retry = true;
  send_compat_ccs(sink);
  if (auto ok = emit(st.transcript, msgs::encode_message(offer->hello), sink); !ok) {
    return std::move(ok).error();
  }
  return ExpectServerHello{std::move(offer).value(), std::move(st.transcript), hrr.cipher_suite};
}

Result<State> Client13::on(ExpectEncryptedExtensions&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto ee = msgs::EncryptedExtensions::decode(m.body());
  if (!ee) return std::move(ee).error();
  if (auto ok = msgs::check_solicited(ee->extensions, msgs::MessageKind::encrypted_extensions,
                                      st.keys.offered);
      !ok) {
    return std::move(ok).error();
  }
  // RFC 6066 §3: the server's server_name reply is empty.
  if (auto ack = msgs::find_as<msgs::ServerNameAck>(ee->extensions); !ack) {
    return std::move(ack).error();
  }
  auto alpn = client_alpn(config_->options().alpn, ee->extensions);
  if (!alpn) return std::move(alpn).error();
  info_.alpn = std::move(alpn).value();
  st.keys.transcript.add(m.raw);
  if (st.keys.resumed) {
    // RFC 8446 §2.2: the server authenticates with the PSK; the peer's identity is the one
    // established by the original handshake.
    const Session::Data& original = st.keys.resumed->data();
    auto server = PeerAuthentication::resumed(original.peer_certificates, original.peer_verified);
    return ExpectFinished{std::move(st.keys), std::nullopt, std::move(server)};
  }
  return ExpectCertificateOrRequest{std::move(st.keys)};
}

Result<State> Client13::on_certificate_request(Keys&& keys, const msgs::HandshakeMessage& m) {
  auto request = msgs::CertificateRequest::decode(m.body());
  if (!request) return std::move(request).error();
  // RFC 8446 §4.3.2: the context is empty unless used for post-handshake authentication.
  if (!request->certificate_request_context.empty()) {
    return illegal("CertificateRequest context must be empty in the handshake");
  }
  if (auto ok = msgs::check_extensions(request->extensions, msgs::MessageKind::certificate_request);
      !ok) {
    return std::move(ok).error();
  }
  keys.transcript.add(m.raw);
  return ExpectCertificate{std::move(keys), std::move(request).value()};
}

Result<State> Client13::on_certificate(Keys&& keys, std::optional<msgs::CertificateRequest> request,
                                       const msgs::HandshakeMessage& m) {
  auto cert = msgs::Certificate::decode(m.body());
  if (!cert) return std::move(cert).error();
  if (!cert->certificate_request_context.empty()) {
    return illegal("server Certificate context must be empty");
  }
  // RFC 8446 §4.4.2.4: an empty server Certificate MUST be answered with decode_error.
  if (cert->certificate_list.empty()) {
    return Error{ErrorCode::decode_error, "server sent an empty Certificate"};
  }
  std::vector<Der> chain;
  for (const auto& entry : cert->certificate_list) {
    if (auto ok = msgs::check_solicited(entry.extensions, msgs::MessageKind::certificate,
                                        std::span<const ExtensionType>{});
        !ok) {
      return std::move(ok).error();
    }
    chain.push_back(entry.cert_data);
  }
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
  keys.transcript.add(m.raw);
  return ExpectCertificateVerify{std::move(keys), std::move(request), std::move(chain),
                                 !opts.insecure_skip_verify, std::move(key).value()};
}

Result<State> Client13::on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto cv = msgs::CertificateVerify::decode(m.body());
  if (!cv) return std::move(cv).error();
  auto hash = st.keys.transcript.current_hash();
  auto proof = verify_certificate_verify(*st.server_key, config_->options().signature_schemes, *cv,
                                         Signer::server, hash.span());
  if (!proof) return std::move(proof).error();
  st.keys.transcript.add(m.raw);
  auto server = PeerAuthentication::certificate(std::move(st.chain), st.chain_verified,
                                                cv->algorithm, *proof);
  return ExpectFinished{std::move(st.keys), std::move(st.request), std::move(server)};
}

Result<State> Client13::on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink) {
  Keys& keys = st.keys;
  const Hkdf& hkdf = keys.secret.hkdf();
  auto finished = msgs::Finished::decode(m.body(), hkdf.hash_length());
  if (!finished) return std::move(finished).error();
  auto proof = verify_finished(hkdf, keys.server_traffic, keys.transcript.current_hash().span(),
                               finished->verify_data);
  if (!proof) return std::move(proof).error();
  keys.transcript.add(m.raw);
  std::move(st.server).complete(info_, *proof);

  auto server_finished_hash = keys.transcript.current_hash();
  MasterSecret master = std::move(keys.secret).into_master_secret();
  Secret client_ap = master.client_application_traffic_secret(server_finished_hash.span());
  Secret server_ap = master.server_application_traffic_secret(server_finished_hash.span());
  log_secret(key_log(), "CLIENT_TRAFFIC_SECRET_0", client_random_, client_ap);
  log_secret(key_log(), "SERVER_TRAFFIC_SECRET_0", client_random_, server_ap);
  Secret exporter_master = master.exporter_master_secret(server_finished_hash.span());
  log_secret(key_log(), "EXPORTER_SECRET", client_random_, exporter_master);
  exporter_ = Exporter::tls13(provider_, keys.suite->hash, std::move(exporter_master));
  if (auto ok = sink.set_read_keys(tls13_keys(provider_, *keys.suite, server_ap)); !ok)
    return std::move(ok).error();

  send_compat_ccs(sink);
  if (st.request) {
    if (auto ok = send_client_auth(keys, *st.request, sink); !ok) return std::move(ok).error();
  }
  auto verify_data = compute_verify_data(master.hkdf(), keys.client_traffic,
                                         keys.transcript.current_hash().span());
  msgs::Finished ours{std::vector<uint8_t>(verify_data.span().begin(), verify_data.span().end())};
  if (auto ok = emit(keys.transcript, msgs::encode_message(ours), sink); !ok) {
    return std::move(ok).error();
  }
  if (auto ok = sink.set_write_keys(tls13_keys(provider_, *keys.suite, client_ap)); !ok)
    return std::move(ok).error();
  if (session_store()) {
    suite_ = keys.suite;
    resumption_master_.emplace(master.hkdf(), master.resumption_master_secret(
                                                  keys.transcript.current_hash().span(), *proof));
    // Tickets renew the authentication of the original handshake, not its age (RFC 8446
    // §4.6.1), nor which verifier made it.
    if (keys.resumed) {
      auth_time_ = keys.resumed->data().auth_time;
      verified_by_ = keys.resumed->data().verifier;
    } else {
      auth_time_ = system_clock::now();
      if (info_.peer_verified) verified_by_ = config_->options().verifier;
    }
  }
  return Connected{};
}

Result<void> Client13::on_new_session_ticket(const msgs::HandshakeMessage& m) {
  auto nst = msgs::NewSessionTicket::decode(m.body());
  if (!nst) return std::move(nst).error();
  if (auto ok = msgs::check_extensions(nst->extensions, msgs::MessageKind::new_session_ticket);
      !ok) {
    return ok;
  }
  SessionStore* store = session_store();
  // RFC 8446 §4.6.1: a lifetime of zero means the ticket must not be used.
  if (!store || !suite_ || !resumption_master_ || nst->ticket_lifetime == 0 ||
      nst->ticket.size() > kMaxTicketSize) {
    return {};
  }
  if (++tickets_received_ > kMaxTicketsPerConnection) return {};
  auto psk = resumption_psk(*resumption_master_, nst->ticket_nonce);
  if (!psk) return std::move(psk).error();
  auto data = std::make_unique<Session::Data>();
  data->server_name = server_name_;
  data->suite = suite_->suite;
  data->psk = std::move(psk).value();
  data->ticket = std::move(nst->ticket);
  data->age_add = nst->ticket_age_add;
  data->received = system_clock::now();
  // RFC 8446 §4.6.1: clients MUST NOT cache tickets for longer than 7 days (Session::expires
  // also counts them from auth_time).
  data->lifetime = std::min(std::chrono::seconds(nst->ticket_lifetime), kMaxSessionAge);
  data->auth_time = auth_time_;
  data->alpn = info_.alpn;
  data->peer_certificates = info_.peer_certificates;
  data->peer_verified = info_.peer_verified;
  data->verifier = verified_by_;
  data->client_identity = config_->client_identity();
  store->put(server_name_, std::make_shared<const Session>(std::move(data)));
  return {};
}

Result<void> Client13::send_client_auth(Keys& keys, const msgs::CertificateRequest& request,
                                        RecordSink& sink) {
  auto sig_algs = msgs::find_as<msgs::SignatureAlgorithms>(request.extensions);
  if (!sig_algs) return std::move(sig_algs).error();
  const auto& cert = config_->options().client_certificate;
  std::optional<SignatureScheme> scheme;
  if (cert && sig_algs->has_value()) {
    scheme = choose_scheme((*sig_algs)->schemes, config_->options().signature_schemes,
                           cert->key().type());
  }
  // RFC 8446 §4.4.2: with no suitable certificate the client sends an empty Certificate.
  msgs::Certificate message;
  if (scheme) {
    for (const auto& der : cert->chain()) message.certificate_list.push_back({der, {}});
  }
  if (auto ok = emit(keys.transcript, msgs::encode_message(message), sink); !ok) return ok;
  if (!scheme) return {};
  auto cv = sign_certificate_verify(cert->key(), *scheme, Signer::client,
                                    keys.transcript.current_hash().span());
  if (!cv) return std::move(cv).error();
  return emit(keys.transcript, msgs::encode_message(*cv), sink);
}

}  // namespace

std::unique_ptr<Handshake> make_client13(std::shared_ptr<const ClientConfig> config,
                                         std::string server_name, ClientOffer offer,
                                         Transcript transcript) {
  return std::make_unique<Client13>(std::move(config), std::move(server_name), std::move(offer),
                                    std::move(transcript));
}

}  // namespace bastion::handshake
