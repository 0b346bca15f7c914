#include "handshake/client_hello.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "handshake/cipher_suite.hpp"
#include "handshake/handshake.hpp"
#include "msgs/msgs.hpp"
#include "session/session_data.hpp"

namespace bastion::handshake {
namespace {

using std::chrono::system_clock;

// Ownership equality: a weak_ptr to a verifier that is gone keeps its control block alive, so
// a verifier made later at the same address never compares equal.
bool same_verifier(const std::weak_ptr<const CertificateVerifier>& a,
                   const std::shared_ptr<const CertificateVerifier>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

bool resumable_here(const ClientConfig& config, const Session& session) {
  const ClientOptions& opts = config.options();
  const Session::Data& data = session.data();
  // RFC 8446 §4.6.1: no ticket is used past its lifetime, nor 7 days after the authentication
  // it carries. Stores are the application's, so this is not left to them.
  if (session.expires() <= system_clock::now()) return false;
  // The ticket's suite must still be one we offer (its hash, RFC 8446 §4.6.1; the suite itself
  // in TLS 1.2, RFC 5246 §7.4.1.2), of a version we offer: a session never changes version.
  const auto& suites = opts.cipher_suites;
  if (std::find(suites.begin(), suites.end(), data.suite) == suites.end()) return false;
  if (!find_suite(data.version, data.suite) || !config.offers(data.version)) return false;
  // RFC 8446 §2.2: a resumed server is authenticated by the original handshake only, so that
  // handshake must have verified it the way this config would, with this config's verifier.
  if (!opts.insecure_skip_verify &&
      (!data.peer_verified || !same_verifier(data.verifier, opts.verifier))) {
    return false;
  }
  // The server resumes the client identity of the original handshake: only the config that
  // presents the same chain may claim it.
  return data.client_identity == config.client_identity();
}

// RFC 8446 §4.2.11: a TLS 1.3 ticket in pre_shared_key, the last extension, with its binder.
Result<void> offer_session(const crypto::Provider& provider, ClientOffer& offer,
                           std::shared_ptr<const Session> session, const Transcript& transcript) {
  const Session::Data& data = session->data();
  const crypto::HashAlg hash = find_cipher_suite(data.suite)->hash;
  // RFC 8446 §4.1.4: after a HelloRetryRequest, a PSK whose hash is not the suite's is dropped.
  if (transcript.has_hash() && transcript.hash() != hash) return {};
  // RFC 8446 §4.2.11.1: the age in milliseconds plus ticket_age_add, modulo 2^32.
  const auto age =
      std::chrono::duration_cast<std::chrono::milliseconds>(system_clock::now() - data.received);
  msgs::PreSharedKeyClientHello psk;
  psk.identities.push_back(
      {data.ticket, static_cast<uint32_t>(std::max<int64_t>(age.count(), 0)) + data.age_add});
  psk.binders.emplace_back(crypto::hash_length(hash), 0);
  // RFC 8446 §4.2.11: pre_shared_key MUST be the last extension. The binder covers the
  // ClientHello up to the binders list (§4.2.11.2), after the HRR transcript if there was one.
  auto& ext = offer.hello.extensions;
  auto placeholder = msgs::to_extension(psk);
  if (!placeholder) return std::move(placeholder).error();
  ext.push_back(std::move(placeholder).value());
  const auto encoded = msgs::encode_message(offer.hello);
  if (!encoded) return encoded.error();
  const auto partial = std::span(*encoded).first(encoded->size() - psk.binders_size());
  const Digest partial_hash = transcript.hash_with(hash, partial);
  EarlySecret early = EarlySecret::create(provider, hash, data.psk.span());
  const Secret binder =
      compute_verify_data(early.hkdf(), early.binder_key(PskKind::resumption), partial_hash.span());
  psk.binders.front().assign(binder.span().begin(), binder.span().end());
  auto with_binder = msgs::to_extension(psk);
  if (!with_binder) return std::move(with_binder).error();
  ext.back() = std::move(with_binder).value();
  offer.session = std::move(session);
  offer.early = std::move(early);
  return {};
}

// The groups to list: the config's, and in TLS 1.2 the curve of an ECDSA client certificate,
// which the list also names there (RFC 8422 §5.1.1; OpenSSL refuses a certificate on a curve
// the client did not list).
std::vector<NamedGroup> offered_groups(const ClientConfig& config, bool tls12) {
  std::vector<NamedGroup> groups = config.options().groups;
  const auto& cert = config.options().client_certificate;
  if (!tls12 || !cert) return groups;
  std::optional<NamedGroup> curve;
  switch (cert->key().type()) {
    case crypto::KeyType::ec_p256:
      curve = NamedGroup::secp256r1;
      break;
    case crypto::KeyType::ec_p384:
      curve = NamedGroup::secp384r1;
      break;
    case crypto::KeyType::ec_p521:
      curve = NamedGroup::secp521r1;
      break;
    default:
      break;
  }
  if (curve && std::find(groups.begin(), groups.end(), *curve) == groups.end()) {
    groups.push_back(*curve);
  }
  return groups;
}

}  // namespace

SessionStore* client_session_store(const ClientConfig& config) {
  const ClientOptions& opts = config.options();
  return opts.resumption ? opts.session_store.get() : nullptr;
}

std::shared_ptr<const Session> session_to_offer(const ClientConfig& config,
                                                const std::string& server_name) {
  SessionStore* store = client_session_store(config);
  if (!store) return nullptr;
  auto session = store->take(server_name);
  if (!session || !resumable_here(config, *session)) return nullptr;
  return session;
}

Result<ClientOffer> build_client_hello(const ClientConfig& config, const std::string& server_name,
                                       std::unique_ptr<crypto::KeyShare> share,
                                       std::vector<uint8_t> cookie,
                                       const msgs::ClientHello* previous,
                                       std::shared_ptr<const Session> session,
                                       const Transcript& transcript) {
  const ClientOptions& opts = config.options();
  const bool tls13 = config.offers(ProtocolVersion::tls13);
  const bool tls12 = config.offers(ProtocolVersion::tls12);
  ClientOffer offer;
  offer.share = std::move(share);

  msgs::ClientHello& ch = offer.hello;
  if (previous) {
    // RFC 8446 §4.1.2: the second ClientHello repeats the first but for the retry changes.
    ch.random = previous->random;
    ch.legacy_session_id = previous->legacy_session_id;
  } else {
    // One draw for both: each call into the RNG takes its locks. RFC 8446 §D.4: a non-empty
    // session id turns on middlebox compatibility mode (a TLS 1.2-only client sends none: it
    // would ask to resume a session that never was).
    std::array<uint8_t, 64> fresh{};  // the random, then the 32-byte session id
    config.provider().random(fresh);
    const auto split = fresh.begin() + static_cast<std::ptrdiff_t>(ch.random.size());
    std::copy(fresh.begin(), split, ch.random.begin());
    if (tls13) ch.legacy_session_id.assign(split, fresh.end());
  }
  // A TLS 1.2 session goes in the session ID and session_ticket (RFC 5077 §3.4): a client
  // offering a ticket sends a session ID too, which the server echoes when it resumes.
  std::shared_ptr<const Session> session12;
  if (session && session->data().version == ProtocolVersion::tls12) {
    session12 = std::move(session);
    const Session::Data& data = session12->data();
    if (!data.session_id.empty()) {
      ch.legacy_session_id = data.session_id;
    } else if (ch.legacy_session_id.empty()) {
      ch.legacy_session_id.resize(32);
      config.provider().random(ch.legacy_session_id);
    }
  }
  // The suites of the versions offered, in the config's order.
  for (CipherSuite s : opts.cipher_suites) {
    const CipherSuiteInfo* info = find_any_suite(s);
    if (info && config.offers(info->version)) ch.cipher_suites.push_back(s);
  }

  auto& ext = ch.extensions;
  msgs::ExtensionAppender add(ext);
  if (msgs::ServerName::is_valid_host_name(server_name)) add.add(msgs::ServerName{server_name});
  if (tls13) {
    std::vector<ProtocolVersion> versions{ProtocolVersion::tls13};
    if (tls12) versions.push_back(ProtocolVersion::tls12);
    add.add(msgs::SupportedVersionsClientHello{std::move(versions)});
  }
  offer.groups = offered_groups(config, tls12);
  add.add(msgs::SupportedGroups{offer.groups});
  add.add(msgs::SignatureAlgorithms{opts.signature_schemes});
  if (offer.share) {
    msgs::KeyShareClientHello shares;
    auto pub = offer.share->public_key();
    shares.client_shares.push_back(
        {offer.share->group(), std::vector<uint8_t>(pub.begin(), pub.end())});
    add.add(shares);
  }
  if (tls12) {
    // RFC 7627 §5.1: always offered. RFC 5746 §3.4: the empty renegotiation_info of an initial
    // handshake. RFC 8422 §5.1.2: only uncompressed points.
    add.add(msgs::ExtendedMasterSecret{});
    add.add(msgs::RenegotiationInfo{});
    add.add(msgs::EcPointFormats{});
    // RFC 5077 §3.2: the session's ticket, or an empty one asking for a ticket.
    if (client_session_store(config)) {
      add.add(msgs::SessionTicket{session12 ? session12->data().ticket : std::vector<uint8_t>{}});
    }
  }
  if (!opts.alpn.empty()) add.add(msgs::Alpn{opts.alpn});
  const bool cookie_echoed = !cookie.empty();
  if (cookie_echoed) add.add(msgs::Cookie{std::move(cookie)});
  // RFC 8446 §4.2.9: only psk_dhe_ke, so that a resumed session keeps forward secrecy. Sent
  // whenever resumption is on: servers issue tickets only for the modes a client lists.
  if (tls13 && client_session_store(config)) {
    add.add(msgs::PskKeyExchangeModes{{msgs::PskKeyExchangeMode::psk_dhe_ke}});
  }
  if (auto ok = add.status(); !ok) return std::move(ok).error();
  if (session && tls13) {
    if (auto ok = offer_session(config.provider(), offer, std::move(session), transcript); !ok) {
      return std::move(ok).error();
    }
  }
  if (session12) offer.session = std::move(session12);
  size_t block = 0;
  for (const auto& e : ext) {
    offer.extension_types.push_back(e.type);
    block += 4 + e.data.size();
  }
  // Everything must fit the ClientHello's extensions<8..2^16-1>: a server's cookie, echoed,
  // may not.
  if (block > 0xffff) {
    return cookie_echoed ? illegal("HelloRetryRequest cookie is too large to echo")
                         : Error{ErrorCode::invalid_config, "ClientHello extensions are too long"};
  }
  return offer;
}

}  // namespace bastion::handshake
