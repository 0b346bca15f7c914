#include "handshake/server13.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "crypto/provider.hpp"
#include "handshake/alpn.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/hello_retry.hpp"
#include "handshake/key_log.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/message_order.hpp"
#include "handshake/peer_authentication.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/transcript.hpp"
#include "msgs/msgs.hpp"
#include "session/retry_cookies.hpp"
#include "session/ticket_keys.hpp"

namespace bastion::handshake {
namespace {

using std::chrono::system_clock;

// Identities past this many in one ClientHello are not tried (each costs a decryption).
constexpr size_t kMaxIdentitiesTried = 4;
// How far the client's view of a ticket's age may be from ours (RFC 8446 §4.2.11.1; §8.3 lets
// servers pick the window). Wide enough for clients that count ages in whole seconds.
constexpr std::chrono::milliseconds kTicketAgeTolerance = std::chrono::seconds(10);

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// What the server decided from a ClientHello.
struct Choice {
  const CipherSuiteInfo* suite = nullptr;
  NamedGroup group{};
  std::optional<msgs::KeyShareEntry> client_share;  // none: a HelloRetryRequest is needed
  std::shared_ptr<const CertifiedKey> certificate;
  // Needed for a full handshake only: a ClientHello with a PSK may omit signature_algorithms.
  bool signature_algorithms_received = false;
  std::optional<SignatureScheme> scheme;
  std::string alpn;
  std::string server_name;
  bool sni_received = false;
};

// The first ClientHello's decisions, which the second must agree with (RFC 8446 §4.1.4), kept
// in the state or restored from the HelloRetryRequest's cookie.
struct Retry {
  Transcript transcript;  // message_hash(ClientHello1), HelloRetryRequest
  CipherSuite suite{};
  NamedGroup group{};
  std::array<uint8_t, 32> invariants{};  // client_hello_invariants(ClientHello1)
};

// A ticket the server accepted, with the early secret its binder was checked with.
struct Resumption {
  session::TicketContents ticket;
  uint16_t index = 0;  // ServerHello.pre_shared_key.selected_identity
  EarlySecret early;
};

struct Keys {
  const CipherSuiteInfo* suite = nullptr;
  Transcript transcript;
  Secret client_handshake;
  Secret client_application;
  MasterSecret master;  // for the resumption master secret, once the client Finished is in
};

struct ExpectClientHello {
  static constexpr std::string_view kName = "ExpectClientHello";
  std::optional<Retry> retry;
};
struct ExpectCertificate {
  static constexpr std::string_view kName = "ExpectCertificate";
  Keys keys;
};
struct ExpectCertificateVerify {
  static constexpr std::string_view kName = "ExpectCertificateVerify";
  Keys keys;
  std::vector<Der> chain;  // verified by the client verifier
  std::unique_ptr<crypto::PublicKey> client_key;
};
struct ExpectFinished {
  static constexpr std::string_view kName = "ExpectFinished";
  Keys keys;
  PeerAuthentication client;  // shown in info() once the client's Finished verified
};
struct Connected {
  static constexpr std::string_view kName = "Connected";
};

using State = std::variant<ExpectClientHello, ExpectCertificate, ExpectCertificateVerify,
                           ExpectFinished, Connected>;
static_assert(states_match_table<State>(kServer13States));

class Server13 final : public Handshake {
 public:
  explicit Server13(std::shared_ptr<const ServerConfig> config)
      : config_(std::move(config)), provider_(config_->provider()) {}

  Result<void> start(RecordSink&) override { return {}; }
  Result<void> handle(const msgs::HandshakeMessage& message, RecordSink& sink) override;
  bool complete() const override { return std::holds_alternative<Connected>(state_); }
  Result<void> on_change_cipher_spec(RecordSink&) override {
    if (!received_client_hello_ || complete()) {
      return Error{ErrorCode::unexpected_message, "change_cipher_spec not allowed now"};
    }
    return {};
  }
  Result<void> on_new_session_ticket(const msgs::HandshakeMessage&) override {
    return Error{ErrorCode::unexpected_message, "NewSessionTicket sent by a client"};
  }

 private:
  // One handler per state; the message type was checked against kServer13States.
  Result<State> on(ExpectClientHello&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(Connected&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<Choice> choose(const msgs::ClientHello& ch, const std::optional<Retry>& retry) const;
  Result<std::optional<Retry>> retry_for(const msgs::ClientHello& ch, std::optional<Retry> kept);
  Result<State> send_hello_retry(const msgs::ClientHello& ch, const Choice& choice,
                                 const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<std::optional<Resumption>> accept_psk(const msgs::ClientHello& ch, const Choice& choice,
                                               const msgs::HandshakeMessage& m,
                                               const Transcript& transcript) const;
  bool resumable(const session::TicketContents& ticket, const Choice& choice,
                 uint32_t obfuscated_age, system_clock::time_point now) const;
  Result<State> send_server_flight(const msgs::ClientHello& ch, const Choice& choice,
                                   std::optional<Resumption> psk, Transcript transcript,
                                   const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<void> send_certificate(const Choice& choice, Transcript& transcript, RecordSink& sink);
  Result<void> send_tickets(const CipherSuiteInfo& suite, const Secret& resumption_master,
                            RecordSink& sink);
  Result<State> on_certificate(ExpectCertificate&& st, const msgs::HandshakeMessage& m);
  Result<State> on_certificate_verify(ExpectCertificateVerify&& st,
                                      const msgs::HandshakeMessage& m);
  Result<State> on_finished(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink);

  const KeyLog* key_log() const { return config_->options().key_log.get(); }

  std::shared_ptr<const ServerConfig> config_;
  const crypto::Provider& provider_;
  State state_;
  bool received_client_hello_ = false;
  bool sent_ccs_ = false;
  bool sent_hello_retry_ = false;
  // RFC 8446 §4.2.9: tickets are only useful to a client that lists psk_dhe_ke.
  bool client_accepts_tickets_ = false;
  // When the client authentication of this session took place: now for a full handshake,
  // the ticket's for a resumed one (so that renewed tickets do not renew it).
  system_clock::time_point auth_time_;
};

Result<void> Server13::handle(const msgs::HandshakeMessage& m, RecordSink& sink) {
  return advance(Role::server, ProtocolVersion::tls13, state_, m.type,
                 [&](auto&& st) { return on(std::move(st), m, sink); });
}

Result<State> Server13::on(Connected&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message after completion"};
}

Result<Choice> Server13::choose(const msgs::ClientHello& ch,
                                const std::optional<Retry>& retry) const {
  const ServerOptions& opts = config_->options();
  Choice choice;

  // Server preference among the suites the client offers (RFC 8446 §4.1.1).
  for (CipherSuite s : opts.cipher_suites) {
    if (find_cipher_suite(s) && contains(ch.cipher_suites, s)) {
      choice.suite = find_cipher_suite(s);
      break;
    }
  }
  if (!choice.suite) return Error{ErrorCode::no_common_cipher_suite, "no cipher suite in common"};
  // RFC 8446 §4.1.4: the server must keep the suite it chose in the HelloRetryRequest.
  if (retry && choice.suite->suite != retry->suite) {
    return illegal("second ClientHello no longer offers the retry's cipher suite");
  }

  // RFC 8446 §9.2: a ClientHello must carry supported_groups and key_share (psk_dhe_ke is the
  // only PSK mode accepted), and signature_algorithms unless it offers a PSK: that one is
  // checked once the PSK is accepted or declined (missing_extension).
  auto groups = msgs::find_as<msgs::SupportedGroups>(ch.extensions);
  if (!groups) return std::move(groups).error();
  auto shares = msgs::find_as<msgs::KeyShareClientHello>(ch.extensions);
  if (!shares) return std::move(shares).error();
  auto sig_algs = msgs::find_as<msgs::SignatureAlgorithms>(ch.extensions);
  if (!sig_algs) return std::move(sig_algs).error();
  const bool psk_offered = msgs::contains(ch.extensions, ExtensionType::pre_shared_key);
  if (!groups->has_value() || !shares->has_value() || (!sig_algs->has_value() && !psk_offered)) {
    return Error{ErrorCode::missing_extension,
                 "ClientHello lacks supported_groups, key_share or signature_algorithms"};
  }
  const auto& client_groups = (*groups)->groups;
  const auto& client_shares = (*shares)->client_shares;
  // RFC 8446 §4.2.8: each share must be for a group listed in supported_groups.
  for (const auto& share : client_shares) {
    if (!contains(client_groups, share.group)) {
      return illegal("key share for a group not in supported_groups");
    }
  }
  if (retry) {
    // RFC 8446 §4.1.2: the retried ClientHello carries one share, for the selected group.
    if (client_shares.size() != 1 || client_shares.front().group != retry->group) {
      return illegal("second ClientHello does not carry a share for the selected group");
    }
    choice.group = retry->group;
    choice.client_share = client_shares.front();
  } else {
    for (NamedGroup g : opts.groups) {
      if (const auto* share = (*shares)->find(g)) {
        choice.group = g;
        choice.client_share = *share;
        break;
      }
    }
    if (!choice.client_share) {
      auto it = std::find_if(opts.groups.begin(), opts.groups.end(),
                             [&](NamedGroup g) { return contains(client_groups, g); });
      if (it == opts.groups.end()) {
        return Error{ErrorCode::no_common_group, "no key exchange group in common"};
      }
      choice.group = *it;
    }
  }

  auto sni = msgs::find_as<msgs::ServerName>(ch.extensions);
  if (!sni) return std::move(sni).error();
  if (sni->has_value()) {
    choice.sni_received = true;
    choice.server_name = (*sni)->host_name;
  }
  choice.certificate = config_->certificate_for(choice.server_name);
  if (sig_algs->has_value()) {
    choice.signature_algorithms_received = true;
    choice.scheme = choose_scheme((*sig_algs)->schemes, opts.signature_schemes,
                                  choice.certificate->key().type());
  }

  auto alpn = server_alpn(opts.alpn, ch.extensions);
  if (!alpn) return std::move(alpn).error();
  choice.alpn = std::move(alpn).value();
  return choice;
}

Result<State> Server13::on(ExpectClientHello&& st, const msgs::HandshakeMessage& m,
                           RecordSink& sink) {
  received_client_hello_ = true;
  auto ch = msgs::ClientHello::decode(m.body());
  if (!ch) return std::move(ch).error();
  // RFC 8446 Appendix D.5: a legacy_version of 0x0300 (SSL 3.0) or less MUST be refused with
  // protocol_version, whatever supported_versions says.
  if (static_cast<uint16_t>(ch->legacy_version) <= 0x0300) {
    return Error{
        ErrorCode::protocol_version,
        "ClientHello.legacy_version " + to_string(ch->legacy_version) + " is SSL 3.0 or older"};
  }
  // RFC 8446 §4.2.1: without supported_versions listing 0x0304 the client wants TLS 1.2 or
  // below, which this server refuses with protocol_version.
  auto versions = msgs::find_as<msgs::SupportedVersionsClientHello>(ch->extensions);
  if (!versions) return std::move(versions).error();
  if (!versions->has_value() || !contains((*versions)->versions, ProtocolVersion::tls13)) {
    return Error{ErrorCode::protocol_version, "client does not offer TLSv1.3"};
  }
  // RFC 8446 §4.1.2: legacy_compression_methods MUST be exactly one zero byte.
  if (ch->legacy_compression_methods != std::vector<uint8_t>{0}) {
    return illegal("ClientHello compression methods must be exactly [null]");
  }
  if (auto ok = msgs::check_extensions(ch->extensions, msgs::MessageKind::client_hello); !ok) {
    return std::move(ok).error();
  }
  // RFC 8446 §4.2.9: a ClientHello offering a PSK MUST carry psk_key_exchange_modes.
  if (msgs::contains(ch->extensions, ExtensionType::pre_shared_key) &&
      !msgs::contains(ch->extensions, ExtensionType::psk_key_exchange_modes)) {
    return Error{ErrorCode::missing_extension, "pre_shared_key without psk_key_exchange_modes"};
  }
  auto modes = msgs::find_as<msgs::PskKeyExchangeModes>(ch->extensions);
  if (!modes) return std::move(modes).error();
  client_accepts_tickets_ =
      modes->has_value() && (*modes)->contains(msgs::PskKeyExchangeMode::psk_dhe_ke);
  auto retry = retry_for(*ch, std::move(st.retry));
  if (!retry) return std::move(retry).error();
  // RFC 8446 §4.1.2: after a HelloRetryRequest the client sends the same ClientHello but for
  // the changes listed there, in whatever order its extensions come.
  if (*retry && client_hello_invariants(provider_, *ch) != (*retry)->invariants) {
    return illegal("second ClientHello changes more than the HelloRetryRequest allows");
  }
  auto choice = choose(*ch, *retry);
  if (!choice) return std::move(choice).error();
  if (!choice->client_share) return send_hello_retry(*ch, *choice, m, sink);

  Transcript transcript =
      *retry ? std::move((*retry)->transcript) : Transcript(provider_, choice->suite->hash);
  auto psk = accept_psk(*ch, *choice, m, transcript);
  if (!psk) return std::move(psk).error();
  if (!psk->has_value()) {
    // RFC 8446 §9.2: without an accepted PSK the server authenticates with a certificate, so
    // signature_algorithms is required (missing_extension) and must allow its key.
    if (!choice->signature_algorithms_received) {
      return Error{ErrorCode::missing_extension,
                   "ClientHello lacks signature_algorithms and its PSK was declined"};
    }
    if (!choice->scheme) {
      return Error{ErrorCode::no_common_signature,
                   "no signature scheme in common for the server's key"};
    }
  }
  return send_server_flight(*ch, *choice, std::move(psk).value(), std::move(transcript), m, sink);
}

Result<std::optional<Resumption>> Server13::accept_psk(const msgs::ClientHello& ch,
                                                       const Choice& choice,
                                                       const msgs::HandshakeMessage& m,
                                                       const Transcript& transcript) const {
  auto offer = msgs::find_as<msgs::PreSharedKeyClientHello>(ch.extensions);
  if (!offer) return std::move(offer).error();
  // Only psk_dhe_ke is accepted: psk_ke would give up forward secrecy (docs/SECURITY.md).
  if (!offer->has_value() || !client_accepts_tickets_ || config_->options().session_tickets == 0) {
    return std::optional<Resumption>{};
  }
  const msgs::PreSharedKeyClientHello& psks = **offer;
  const auto now = system_clock::now();
  const size_t tried = std::min(psks.identities.size(), kMaxIdentitiesTried);
  for (size_t i = 0; i < tried; ++i) {
    const msgs::PskIdentity& identity = psks.identities[i];
    // Tickets that are not ours, changed, expired or unfit are declined: a full handshake.
    auto ticket = config_->ticket_keys().open(identity.identity, now);
    if (!ticket || !resumable(*ticket, choice, identity.obfuscated_ticket_age, now)) continue;
    // RFC 8446 §4.2.11: the server MUST validate the selected PSK's binder before accepting
    // it, and abort the handshake if it does not validate (decrypt_error, §6.2). The binder
    // covers the ClientHello up to the binders list (§4.2.11.2), after any HRR transcript.
    EarlySecret early = EarlySecret::create(provider_, choice.suite->hash, ticket->psk.span());
    const Secret binder_key = early.binder_key(PskKind::resumption);
    const auto partial = std::span(m.raw).first(m.raw.size() - psks.binders_size());
    const Digest hash = transcript.hash_with(choice.suite->hash, partial);
    if (!verify_binder(early.hkdf(), binder_key, hash.span(), psks.binders[i])) {
      return Error{ErrorCode::bad_binder, "PSK binder does not verify"};
    }
    return std::optional<Resumption>(
        Resumption{std::move(ticket).value(), static_cast<uint16_t>(i), std::move(early)});
  }
  return std::optional<Resumption>{};
}

bool Server13::resumable(const session::TicketContents& ticket, const Choice& choice,
                         uint32_t obfuscated_age, system_clock::time_point now) const {
  const CipherSuiteInfo* suite = find_cipher_suite(ticket.suite);
  // RFC 8446 §4.6.1: a ticket MUST only be resumed with a suite of the same KDF hash.
  if (ticket.version != ProtocolVersion::tls13 || !suite || suite->hash != choice.suite->hash) {
    return false;
  }
  // RFC 8446 §4.6.1: resumption is tied to the original SNI, so the name reported to the
  // application is always the one the certificate was chosen for. ALPN may not change either.
  if (ticket.server_name != choice.server_name || ticket.alpn != choice.alpn) return false;
  // RFC 8446 §4.3.2: no CertificateRequest in a PSK handshake, so a session without a client
  // certificate cannot satisfy a server that requires one.
  if (config_->options().client_auth == ClientAuth::require && ticket.client_certificates.empty()) {
    return false;
  }
  // RFC 8446 §4.2.11.1: obfuscated_ticket_age = age in ms + ticket_age_add (mod 2^32).
  const uint32_t client_age = obfuscated_age - ticket.age_add;
  const auto server_age =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - ticket.issued);
  const auto skew = std::chrono::milliseconds(static_cast<int64_t>(client_age)) - server_age;
  return std::chrono::abs(skew) <= kTicketAgeTolerance;
}

Result<std::optional<Retry>> Server13::retry_for(const msgs::ClientHello& ch,
                                                 std::optional<Retry> kept) {
  auto cookie = msgs::find_as<msgs::Cookie>(ch.extensions);
  if (!cookie) return std::move(cookie).error();
  if (!cookie->has_value()) {
    // RFC 8446 §4.2.2: the second ClientHello MUST echo the HelloRetryRequest's cookie.
    if (sent_hello_retry_ && !kept) {
      return Error{ErrorCode::missing_extension, "second ClientHello without the cookie"};
    }
    return std::optional<Retry>(std::move(kept));
  }
  if (kept || !config_->options().stateless_retry) {
    return illegal("ClientHello carries a cookie this server did not send");
  }
  auto state = config_->retry_cookies().open((*cookie)->cookie, system_clock::now());
  const CipherSuiteInfo* suite = state ? find_cipher_suite(state->suite) : nullptr;
  if (!suite || state->client_hello_hash.size() != crypto::hash_length(suite->hash)) {
    return illegal("HelloRetryRequest cookie is not this server's, was changed or has expired");
  }
  // A cookie of another server sharing the secret may name a group this one does not take
  // (the suite is checked against this server's choice in choose()).
  if (!contains(config_->options().groups, state->group)) {
    return illegal("HelloRetryRequest cookie names a group this server does not accept");
  }
  auto hrr = encode_hello_retry_request(ch.legacy_session_id, state->suite, state->group,
                                        (*cookie)->cookie);
  if (!hrr) return std::move(hrr).error();
  auto transcript = retry_transcript(provider_, suite->hash, state->client_hello_hash, *hrr);
  if (!transcript) return std::move(transcript).error();
  info_.hello_retry = true;
  return std::optional<Retry>(
      Retry{std::move(transcript).value(), state->suite, state->group, state->invariants});
}

Result<State> Server13::send_hello_retry(const msgs::ClientHello& ch, const Choice& choice,
                                         const msgs::HandshakeMessage& m, RecordSink& sink) {
  const CipherSuiteInfo& suite = *choice.suite;
  Transcript transcript(provider_, suite.hash);
  transcript.add(m.raw);
  if (auto ok = transcript.replace_client_hello_with_message_hash(); !ok) {
    return std::move(ok).error();
  }
  const auto invariants = client_hello_invariants(provider_, ch);
  const bool stateless = config_->options().stateless_retry;
  std::vector<uint8_t> cookie;
  if (stateless) {
    // RFC 8446 §4.2.2: what the server needs of ClientHello1 travels in the cookie.
    session::RetryState state{suite.suite, choice.group,
                              std::vector<uint8_t>(crypto::hash_length(suite.hash)), invariants};
    provider_.hash(suite.hash, m.raw, state.client_hello_hash);
    cookie = config_->retry_cookies().seal(state, system_clock::now());
  }
  auto hrr = encode_hello_retry_request(ch.legacy_session_id, suite.suite, choice.group, cookie);
  if (auto ok = emit(transcript, std::move(hrr), sink); !ok) return std::move(ok).error();
  // RFC 8446 §D.4: in compatibility mode the server sends change_cipher_spec after its first
  // handshake message.
  if (!ch.legacy_session_id.empty()) {
    sent_ccs_ = true;
    sink.send_change_cipher_spec();
  }
  info_.hello_retry = true;
  sent_hello_retry_ = true;
  if (stateless) return ExpectClientHello{};
  return ExpectClientHello{Retry{std::move(transcript), suite.suite, choice.group, invariants}};
}

Result<State> Server13::send_server_flight(const msgs::ClientHello& ch, const Choice& choice,
                                           std::optional<Resumption> psk, Transcript transcript,
                                           const msgs::HandshakeMessage& m, RecordSink& sink) {
  const ServerOptions& opts = config_->options();
  const CipherSuiteInfo& suite = *choice.suite;
  auto share = provider_.generate_key_share(choice.group);
  if (!share) return std::move(share).error();
  auto shared = (*share)->derive(choice.client_share->key_exchange);
  if (!shared) return Error{ErrorCode::bad_key_share, shared.error().detail};
  transcript.add(m.raw);

  msgs::ServerHello sh;
  provider_.random(sh.random);
  sh.legacy_session_id_echo = ch.legacy_session_id;
  sh.cipher_suite = suite.suite;
  msgs::ExtensionAppender add(sh.extensions);
  add.add(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13});
  auto pub = (*share)->public_key();
  add.add(msgs::KeyShareServerHello{{choice.group, std::vector<uint8_t>(pub.begin(), pub.end())}});
  if (psk) add.add(msgs::PreSharedKeyServerHello{psk->index});
  if (auto ok = add.status(); !ok) return std::move(ok).error();
  if (auto ok = emit(transcript, msgs::encode_message(sh), sink); !ok) return std::move(ok).error();
  if (!ch.legacy_session_id.empty() && !sent_ccs_) {
    sent_ccs_ = true;
    sink.send_change_cipher_spec();
  }

  auto hello_hash = transcript.current_hash();
  EarlySecret early = psk ? std::move(psk->early) : EarlySecret::create(provider_, suite.hash);
  HandshakeSecret hs = std::move(early).into_handshake_secret(shared->span());
  Secret client_hs = hs.client_handshake_traffic_secret(hello_hash.span());
  Secret server_hs = hs.server_handshake_traffic_secret(hello_hash.span());
  log_secret(key_log(), "CLIENT_HANDSHAKE_TRAFFIC_SECRET", ch.random, client_hs);
  log_secret(key_log(), "SERVER_HANDSHAKE_TRAFFIC_SECRET", ch.random, server_hs);
  if (auto ok = sink.set_write_keys(tls13_keys(provider_, suite, server_hs)); !ok)
    return std::move(ok).error();
  if (auto ok = sink.set_read_keys(tls13_keys(provider_, suite, client_hs)); !ok)
    return std::move(ok).error();

  msgs::EncryptedExtensions ee;
  // RFC 6066 §3: a server that used the name sends an empty server_name extension.
  msgs::ExtensionAppender add_ee(ee.extensions);
  if (choice.sni_received) add_ee.add(msgs::ServerNameAck{});
  if (!choice.alpn.empty()) add_ee.add(msgs::Alpn{{choice.alpn}});
  if (auto ok = add_ee.status(); !ok) return std::move(ok).error();
  if (auto ok = emit(transcript, msgs::encode_message(ee), sink); !ok) return std::move(ok).error();

  // RFC 8446 §4.3.2, §2.2: a PSK handshake has no CertificateRequest, Certificate nor
  // CertificateVerify.
  if (!psk) {
    if (auto ok = send_certificate(choice, transcript, sink); !ok) return std::move(ok).error();
  }
  auto verify_data = compute_verify_data(hs.hkdf(), server_hs, transcript.current_hash().span());
  msgs::Finished fin{std::vector<uint8_t>(verify_data.span().begin(), verify_data.span().end())};
  if (auto ok = emit(transcript, msgs::encode_message(fin), sink); !ok)
    return std::move(ok).error();

  auto server_finished_hash = transcript.current_hash();
  MasterSecret master = std::move(hs).into_master_secret();
  Secret client_ap = master.client_application_traffic_secret(server_finished_hash.span());
  Secret server_ap = master.server_application_traffic_secret(server_finished_hash.span());
  log_secret(key_log(), "CLIENT_TRAFFIC_SECRET_0", ch.random, client_ap);
  log_secret(key_log(), "SERVER_TRAFFIC_SECRET_0", ch.random, server_ap);
  Secret exporter_master = master.exporter_master_secret(server_finished_hash.span());
  log_secret(key_log(), "EXPORTER_SECRET", ch.random, exporter_master);
  exporter_ = Exporter::tls13(provider_, suite.hash, std::move(exporter_master));
  if (auto ok = sink.set_write_keys(tls13_keys(provider_, suite, server_ap)); !ok)
    return std::move(ok).error();

  info_.version = ProtocolVersion::tls13;
  info_.cipher_suite = suite.suite;
  info_.group = choice.group;
  info_.alpn = choice.alpn;
  info_.server_name = choice.server_name;
  auth_time_ = psk ? psk->ticket.auth_time : system_clock::now();
  Keys keys{&suite, std::move(transcript), std::move(client_hs), std::move(client_ap),
            std::move(master)};
  if (psk) {
    return ExpectFinished{std::move(keys),
                          PeerAuthentication::resumed(std::move(psk->ticket.client_certificates),
                                                      psk->ticket.client_verified)};
  }
  if (opts.client_auth != ClientAuth::none) return ExpectCertificate{std::move(keys)};
  return ExpectFinished{std::move(keys), PeerAuthentication::none()};
}

Result<void> Server13::send_certificate(const Choice& choice, Transcript& transcript,
                                        RecordSink& sink) {
  const ServerOptions& opts = config_->options();
  if (opts.client_auth != ClientAuth::none) {
    msgs::CertificateRequest request;
    msgs::ExtensionAppender add(request.extensions);
    add.add(msgs::SignatureAlgorithms{opts.signature_schemes});
    auto ca_names = opts.client_verifier->client_ca_names();
    if (!ca_names.empty()) {
      add.add(msgs::CertificateAuthorities{std::vector<Der>(ca_names.begin(), ca_names.end())});
    }
    if (auto ok = add.status(); !ok) return ok;
    if (auto ok = emit(transcript, msgs::encode_message(request), sink); !ok) return ok;
  }
  msgs::Certificate cert;
  for (const auto& der : choice.certificate->chain()) cert.certificate_list.push_back({der, {}});
  if (auto ok = emit(transcript, msgs::encode_message(cert), sink); !ok) return ok;
  auto cv = sign_certificate_verify(choice.certificate->key(), *choice.scheme, Signer::server,
                                    transcript.current_hash().span());
  if (!cv) return std::move(cv).error();
  return emit(transcript, msgs::encode_message(*cv), sink);
}

Result<State> Server13::on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&) {
  auto cert = msgs::Certificate::decode(m.body());
  if (!cert) return std::move(cert).error();
  // RFC 8446 §4.4.2: the context echoes the CertificateRequest's (empty here).
  if (!cert->certificate_request_context.empty()) {
    return illegal("client Certificate context does not match the request");
  }
  st.keys.transcript.add(m.raw);
  if (cert->certificate_list.empty()) {
    // RFC 8446 §4.4.2.4: the server may abort with certificate_required.
    if (config_->options().client_auth == ClientAuth::require) {
      return Error{ErrorCode::certificate_required, "client sent no certificate"};
    }
    return ExpectFinished{std::move(st.keys), PeerAuthentication::none()};
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
  auto verified =
      config_->options().client_verifier->verify_client(chain, std::chrono::system_clock::now());
  if (!verified) {
    info_.unverified_peer_certificates = std::move(chain);
    return std::move(verified).error();
  }
  auto key = peer_public_key(provider_, chain.front());
  if (!key) return std::move(key).error();
  return ExpectCertificateVerify{std::move(st.keys), std::move(chain), std::move(key).value()};
}

Result<State> Server13::on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m,
                           RecordSink&) {
  auto cv = msgs::CertificateVerify::decode(m.body());
  if (!cv) return std::move(cv).error();
  auto proof = verify_certificate_verify(*st.client_key, config_->options().signature_schemes, *cv,
                                         Signer::client, st.keys.transcript.current_hash().span());
  if (!proof) return std::move(proof).error();
  st.keys.transcript.add(m.raw);
  return ExpectFinished{std::move(st.keys), PeerAuthentication::certificate(
                                                std::move(st.chain), true, cv->algorithm, *proof)};
}

Result<State> Server13::on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink) {
  Hkdf hkdf(provider_, st.keys.suite->hash);
  auto finished = msgs::Finished::decode(m.body(), hkdf.hash_length());
  if (!finished) return std::move(finished).error();
  auto proof = verify_finished(hkdf, st.keys.client_handshake,
                               st.keys.transcript.current_hash().span(), finished->verify_data);
  if (!proof) return std::move(proof).error();
  st.keys.transcript.add(m.raw);
  std::move(st.client).complete(info_, *proof);
  if (auto ok =
          sink.set_read_keys(tls13_keys(provider_, *st.keys.suite, st.keys.client_application));
      !ok) {
    return std::move(ok).error();
  }
  const Secret resumption_master =
      st.keys.master.resumption_master_secret(st.keys.transcript.current_hash().span(), *proof);
  if (auto ok = send_tickets(*st.keys.suite, resumption_master, sink); !ok) {
    return std::move(ok).error();
  }
  return Connected{};
}

Result<void> Server13::send_tickets(const CipherSuiteInfo& suite, const Secret& resumption_master,
                                    RecordSink& sink) {
  const ServerOptions& opts = config_->options();
  if (!client_accepts_tickets_) return {};
  const PreparedSecret prepared(Hkdf(provider_, suite.hash), resumption_master);
  const auto now = system_clock::now();
  // RFC 8446 §4.6.1: a ticket's lifetime is at most 7 days, and resumption must not extend
  // the authentication it carries: a renewed ticket lives no longer than the original's limit.
  const auto lifetime =
      std::min(opts.ticket_lifetime,
               std::chrono::duration_cast<std::chrono::seconds>(auth_time_ + kMaxSessionAge - now));
  if (lifetime <= std::chrono::seconds(0)) return {};
  // One nonce byte per ticket: unique within the connection (RFC 8446 §4.6.1).
  const size_t count = std::min<size_t>(opts.session_tickets, 256);
  for (size_t i = 0; i < count; ++i) {
    msgs::NewSessionTicket nst;
    nst.ticket_lifetime = static_cast<uint32_t>(lifetime.count());
    std::array<uint8_t, 4> age_add{};
    provider_.random(age_add);
    nst.ticket_age_add = (uint32_t{age_add[0]} << 24) | (uint32_t{age_add[1]} << 16) |
                         (uint32_t{age_add[2]} << 8) | age_add[3];
    nst.ticket_nonce = {static_cast<uint8_t>(i)};
    auto psk = resumption_psk(prepared, nst.ticket_nonce);
    if (!psk) return std::move(psk).error();
    session::TicketContents contents;
    contents.suite = suite.suite;
    contents.psk = std::move(psk).value();
    contents.issued = now;
    contents.lifetime = lifetime;
    contents.auth_time = auth_time_;
    contents.age_add = nst.ticket_age_add;
    contents.alpn = info_.alpn;
    contents.server_name = info_.server_name;
    contents.client_certificates = info_.peer_certificates;
    contents.client_verified = info_.peer_verified;
    auto sealed = config_->ticket_keys().seal(contents, now);
    // A session too large to fit a ticket (a long client chain) is simply not resumable.
    if (!sealed && sealed.error().code == ErrorCode::message_too_large) return {};
    if (!sealed) return std::move(sealed).error();
    nst.ticket = std::move(sealed).value();
    auto message = msgs::encode_message(nst);
    if (!message) return std::move(message).error();
    if (auto ok = sink.send_handshake(*message); !ok) return ok;
  }
  return {};
}

}  // namespace

std::unique_ptr<Handshake> make_server13(std::shared_ptr<const ServerConfig> config) {
  return std::make_unique<Server13>(std::move(config));
}

}  // namespace bastion::handshake
