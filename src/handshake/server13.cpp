#include "handshake/server13.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "crypto/provider.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/key_log.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/message_order.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/transcript.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {
namespace {

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
  SignatureScheme scheme{};
  std::string alpn;
  std::string server_name;
  bool sni_received = false;
};

// The first ClientHello's decisions, which the second must agree with (RFC 8446 §4.1.4).
struct Retry {
  Transcript transcript;
  CipherSuite suite{};
  NamedGroup group{};
};

struct Keys {
  const CipherSuiteInfo* suite = nullptr;
  Transcript transcript;
  Secret client_handshake;
  Secret client_application;
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
  std::unique_ptr<crypto::PublicKey> client_key;
};
struct ExpectFinished {
  static constexpr std::string_view kName = "ExpectFinished";
  Keys keys;
};
struct Connected {
  static constexpr std::string_view kName = "Connected";
};

using State = std::variant<ExpectClientHello, ExpectCertificate, ExpectCertificateVerify,
                           ExpectFinished, Connected>;
static_assert(states_match_table<State>(kServerStates));

class ServerHandshake final : public Handshake {
 public:
  explicit ServerHandshake(std::shared_ptr<const ServerConfig> config)
      : config_(std::move(config)), provider_(config_->provider()) {}

  Result<void> start(RecordSink&) override { return {}; }
  Result<void> handle(const msgs::HandshakeMessage& message, RecordSink& sink) override;
  bool complete() const override { return std::holds_alternative<Connected>(state_); }
  bool change_cipher_spec_allowed() const override { return received_client_hello_ && !complete(); }

 private:
  // One handler per state; the message type was checked against kServerStates.
  Result<State> on(ExpectClientHello&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(ExpectCertificate&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m, RecordSink&);
  Result<State> on(ExpectFinished&& st, const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> on(Connected&&, const msgs::HandshakeMessage&, RecordSink&);
  Result<Choice> choose(const msgs::ClientHello& ch, const std::optional<Retry>& retry) const;
  Result<State> send_hello_retry(const msgs::ClientHello& ch, const Choice& choice,
                                 const msgs::HandshakeMessage& m, RecordSink& sink);
  Result<State> send_server_flight(const msgs::ClientHello& ch, const Choice& choice,
                                   Transcript transcript, const msgs::HandshakeMessage& m,
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
};

Result<void> ServerHandshake::handle(const msgs::HandshakeMessage& m, RecordSink& sink) {
  return advance(Role::server, state_, m.type,
                 [&](auto&& st) { return on(std::move(st), m, sink); });
}

Result<State> ServerHandshake::on(Connected&&, const msgs::HandshakeMessage&, RecordSink&) {
  return Error{ErrorCode::internal_error, "handshake message after completion"};
}

Result<Choice> ServerHandshake::choose(const msgs::ClientHello& ch,
                                       const std::optional<Retry>& retry) const {
  const ServerOptions& opts = config_->options();
  Choice choice;

  // Server preference among the suites the client offers (RFC 8446 §4.1.1).
  for (CipherSuite s : opts.cipher_suites) {
    if (contains(ch.cipher_suites, s)) {
      choice.suite = find_cipher_suite(s);
      break;
    }
  }
  if (!choice.suite) return Error{ErrorCode::no_common_cipher_suite, "no cipher suite in common"};
  // RFC 8446 §4.1.4: the server must keep the suite it chose in the HelloRetryRequest.
  if (retry && choice.suite->suite != retry->suite) {
    return illegal("second ClientHello no longer offers the retry's cipher suite");
  }

  // RFC 8446 §9.2: a ClientHello without PSK must carry supported_groups, key_share and
  // signature_algorithms (missing_extension).
  auto groups = msgs::find_as<msgs::SupportedGroups>(ch.extensions);
  if (!groups) return std::move(groups).error();
  auto shares = msgs::find_as<msgs::KeyShareClientHello>(ch.extensions);
  if (!shares) return std::move(shares).error();
  auto sig_algs = msgs::find_as<msgs::SignatureAlgorithms>(ch.extensions);
  if (!sig_algs) return std::move(sig_algs).error();
  if (!groups->has_value() || !shares->has_value() || !sig_algs->has_value()) {
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
  auto scheme =
      choose_scheme((*sig_algs)->schemes, opts.signature_schemes, choice.certificate->key().type());
  if (!scheme) {
    return Error{ErrorCode::no_common_signature,
                 "no signature scheme in common for the server's key"};
  }
  choice.scheme = *scheme;

  auto alpn = msgs::find_as<msgs::Alpn>(ch.extensions);
  if (!alpn) return std::move(alpn).error();
  if (alpn->has_value() && !opts.alpn.empty()) {
    // RFC 7301 §3.2: with no protocol in common the server sends no_application_protocol.
    auto it = std::find_if(opts.alpn.begin(), opts.alpn.end(), [&](const std::string& p) {
      return contains((*alpn)->protocol_name_list, p);
    });
    if (it == opts.alpn.end()) {
      return Error{ErrorCode::no_application_protocol, "no ALPN protocol in common"};
    }
    choice.alpn = *it;
  }
  return choice;
}

Result<State> ServerHandshake::on(ExpectClientHello&& st, const msgs::HandshakeMessage& m,
                                  RecordSink& sink) {
  received_client_hello_ = true;
  auto ch = msgs::ClientHello::decode(m.body());
  if (!ch) return std::move(ch).error();
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
  auto choice = choose(*ch, st.retry);
  if (!choice) return std::move(choice).error();
  if (!choice->client_share) return send_hello_retry(*ch, *choice, m, sink);

  Transcript transcript =
      st.retry ? std::move(st.retry->transcript) : Transcript(provider_, choice->suite->hash);
  return send_server_flight(*ch, *choice, std::move(transcript), m, sink);
}

Result<State> ServerHandshake::send_hello_retry(const msgs::ClientHello& ch, const Choice& choice,
                                                const msgs::HandshakeMessage& m, RecordSink& sink) {
  Transcript transcript(provider_, choice.suite->hash);
  transcript.add(m.raw);
  if (auto ok = transcript.replace_client_hello_with_message_hash(); !ok) {
    return std::move(ok).error();
  }
  msgs::ServerHello hrr;
  hrr.random = msgs::kHelloRetryRequestRandom;
  hrr.legacy_session_id_echo = ch.legacy_session_id;
  hrr.cipher_suite = choice.suite->suite;
  hrr.extensions.push_back(
      msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13}));
  hrr.extensions.push_back(msgs::to_extension(msgs::KeyShareHelloRetryRequest{choice.group}));
  if (auto ok = emit(transcript, msgs::encode_message(hrr), sink); !ok)
    return std::move(ok).error();
  // RFC 8446 §D.4: in compatibility mode the server sends change_cipher_spec after its first
  // handshake message.
  if (!ch.legacy_session_id.empty()) {
    sent_ccs_ = true;
    sink.send_change_cipher_spec();
  }
  info_.hello_retry = true;
  return ExpectClientHello{Retry{std::move(transcript), choice.suite->suite, choice.group}};
}

Result<State> ServerHandshake::send_server_flight(const msgs::ClientHello& ch, const Choice& choice,
                                                  Transcript transcript,
                                                  const msgs::HandshakeMessage& m,
                                                  RecordSink& sink) {
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
  sh.extensions.push_back(
      msgs::to_extension(msgs::SupportedVersionsServerHello{ProtocolVersion::tls13}));
  auto pub = (*share)->public_key();
  sh.extensions.push_back(msgs::to_extension(
      msgs::KeyShareServerHello{{choice.group, std::vector<uint8_t>(pub.begin(), pub.end())}}));
  if (auto ok = emit(transcript, msgs::encode_message(sh), sink); !ok) return std::move(ok).error();
  if (!ch.legacy_session_id.empty() && !sent_ccs_) {
    sent_ccs_ = true;
    sink.send_change_cipher_spec();
  }

  auto hello_hash = transcript.current_hash();
  HandshakeSecret hs =
      EarlySecret::create(provider_, suite.hash).into_handshake_secret(shared->span());
  Secret client_hs = hs.client_handshake_traffic_secret(hello_hash.span());
  Secret server_hs = hs.server_handshake_traffic_secret(hello_hash.span());
  log_secret(key_log(), "CLIENT_HANDSHAKE_TRAFFIC_SECRET", ch.random, client_hs);
  log_secret(key_log(), "SERVER_HANDSHAKE_TRAFFIC_SECRET", ch.random, server_hs);
  if (auto ok = sink.set_write_secret(suite, server_hs); !ok) return std::move(ok).error();
  if (auto ok = sink.set_read_secret(suite, client_hs); !ok) return std::move(ok).error();

  msgs::EncryptedExtensions ee;
  // RFC 6066 §3: a server that used the name sends an empty server_name extension.
  if (choice.sni_received) ee.extensions.push_back(msgs::to_extension(msgs::ServerNameAck{}));
  if (!choice.alpn.empty()) ee.extensions.push_back(msgs::to_extension(msgs::Alpn{{choice.alpn}}));
  if (auto ok = emit(transcript, msgs::encode_message(ee), sink); !ok) return std::move(ok).error();

  if (opts.client_auth != ClientAuth::none) {
    msgs::CertificateRequest request;
    request.extensions.push_back(
        msgs::to_extension(msgs::SignatureAlgorithms{opts.signature_schemes}));
    auto ca_names = opts.client_verifier->client_ca_names();
    if (!ca_names.empty()) {
      request.extensions.push_back(msgs::to_extension(
          msgs::CertificateAuthorities{std::vector<Der>(ca_names.begin(), ca_names.end())}));
    }
    if (auto ok = emit(transcript, msgs::encode_message(request), sink); !ok) {
      return std::move(ok).error();
    }
  }
  msgs::Certificate cert;
  for (const auto& der : choice.certificate->chain()) cert.certificate_list.push_back({der, {}});
  if (auto ok = emit(transcript, msgs::encode_message(cert), sink); !ok) {
    return std::move(ok).error();
  }
  auto cv = sign_certificate_verify(choice.certificate->key(), choice.scheme, Signer::server,
                                    transcript.current_hash().span());
  if (!cv) return std::move(cv).error();
  if (auto ok = emit(transcript, msgs::encode_message(*cv), sink); !ok)
    return std::move(ok).error();
  auto verify_data = compute_verify_data(hs.hkdf(), server_hs, transcript.current_hash().span());
  msgs::Finished fin{std::vector<uint8_t>(verify_data.span().begin(), verify_data.span().end())};
  if (auto ok = emit(transcript, msgs::encode_message(fin), sink); !ok)
    return std::move(ok).error();

  auto server_finished_hash = transcript.current_hash();
  MasterSecret master = std::move(hs).into_master_secret();
  Secret client_ap = master.client_application_traffic_secret(server_finished_hash.span());
  Secret server_ap = master.server_application_traffic_secret(server_finished_hash.span());
  Secret exporter = master.exporter_master_secret(server_finished_hash.span());
  log_secret(key_log(), "CLIENT_TRAFFIC_SECRET_0", ch.random, client_ap);
  log_secret(key_log(), "SERVER_TRAFFIC_SECRET_0", ch.random, server_ap);
  log_secret(key_log(), "EXPORTER_SECRET", ch.random, exporter);
  if (auto ok = sink.set_write_secret(suite, server_ap); !ok) return std::move(ok).error();

  info_.version = ProtocolVersion::tls13;
  info_.cipher_suite = suite.suite;
  info_.group = choice.group;
  info_.alpn = choice.alpn;
  info_.server_name = choice.server_name;
  info_.peer_signature_scheme = std::nullopt;
  Keys keys{&suite, std::move(transcript), std::move(client_hs), std::move(client_ap)};
  if (opts.client_auth != ClientAuth::none) return ExpectCertificate{std::move(keys)};
  return ExpectFinished{std::move(keys)};
}

Result<State> ServerHandshake::on(ExpectCertificate&& st, const msgs::HandshakeMessage& m,
                                  RecordSink&) {
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
    return ExpectFinished{std::move(st.keys)};
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
  if (!verified) return std::move(verified).error();
  info_.peer_verified = true;
  auto key = peer_public_key(provider_, chain.front());
  if (!key) return std::move(key).error();
  info_.peer_certificates = std::move(chain);
  return ExpectCertificateVerify{std::move(st.keys), std::move(key).value()};
}

Result<State> ServerHandshake::on(ExpectCertificateVerify&& st, const msgs::HandshakeMessage& m,
                                  RecordSink&) {
  auto cv = msgs::CertificateVerify::decode(m.body());
  if (!cv) return std::move(cv).error();
  auto proof = verify_certificate_verify(*st.client_key, config_->options().signature_schemes, *cv,
                                         Signer::client, st.keys.transcript.current_hash().span());
  if (!proof) return std::move(proof).error();
  info_.peer_signature_scheme = cv->algorithm;
  st.keys.transcript.add(m.raw);
  return ExpectFinished{std::move(st.keys)};
}

Result<State> ServerHandshake::on(ExpectFinished&& st, const msgs::HandshakeMessage& m,
                                  RecordSink& sink) {
  Hkdf hkdf(provider_, st.keys.suite->hash);
  auto finished = msgs::Finished::decode(m.body(), hkdf.hash_length());
  if (!finished) return std::move(finished).error();
  auto proof = verify_finished(hkdf, st.keys.client_handshake,
                               st.keys.transcript.current_hash().span(), finished->verify_data);
  if (!proof) return std::move(proof).error();
  st.keys.transcript.add(m.raw);
  if (auto ok = sink.set_read_secret(*st.keys.suite, st.keys.client_application); !ok) {
    return std::move(ok).error();
  }
  return Connected{};
}

}  // namespace

std::unique_ptr<Handshake> make_server_handshake(std::shared_ptr<const ServerConfig> config) {
  return std::make_unique<ServerHandshake>(std::move(config));
}

}  // namespace bastion::handshake
