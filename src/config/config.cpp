#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "bastion/config.hpp"
#include "bastion/x509.hpp"
#include "core/buffer_pool.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/signature_scheme.hpp"
#include "session/retry_cookies.hpp"
#include "session/session_cache.hpp"
#include "session/ticket_keys.hpp"

namespace bastion {
namespace {

// The suites offered and accepted by default. TLS_AES_128_CCM_SHA256 and _CCM_8_ (RFC 8446 §B.4,
// for constrained devices) are supported when a config names them; CCM_8's short tag is a
// weaker integrity bound.
// TLS 1.2 gets ECDHE with AEADs only; RSA key transport (no forward secrecy) only when named.
constexpr std::array kDefaultSuites{CipherSuite::tls_aes_128_gcm_sha256,
                                    CipherSuite::tls_aes_256_gcm_sha384,
                                    CipherSuite::tls_chacha20_poly1305_sha256,
                                    CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
                                    CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256,
                                    CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384,
                                    CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384,
                                    CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
                                    CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256};
// A client offers these (a key share for the first); a server accepts every group it supports,
// in this preference order.
constexpr std::array kDefaultClientGroups{NamedGroup::x25519, NamedGroup::secp256r1,
                                          NamedGroup::secp384r1};
constexpr std::array kDefaultServerGroups{
    NamedGroup::x25519,    NamedGroup::secp256r1, NamedGroup::secp384r1, NamedGroup::secp521r1,
    NamedGroup::x448,      NamedGroup::ffdhe2048, NamedGroup::ffdhe3072, NamedGroup::ffdhe4096,
    NamedGroup::ffdhe6144, NamedGroup::ffdhe8192};

// Any extensions<..2^16-1> block.
constexpr size_t kMaxExtensionsBlock = 0xffff;

Error config_error(std::string detail) {
  return Error{ErrorCode::invalid_config, std::move(detail)};
}

bool version_enabled(ProtocolVersion version, ProtocolVersion min, ProtocolVersion max,
                     const std::vector<CipherSuite>& suites) {
  if (version < min || version > max) return false;
  return std::any_of(suites.begin(), suites.end(),
                     [&](CipherSuite s) { return handshake::find_suite(version, s) != nullptr; });
}

// RFC 8996: TLS 1.0 and 1.1 MUST NOT be negotiated; Bastion speaks 1.2 and 1.3.
Result<void> check_versions(ProtocolVersion min, ProtocolVersion max,
                            const std::vector<CipherSuite>& suites) {
  auto known = [](ProtocolVersion v) {
    return v == ProtocolVersion::tls12 || v == ProtocolVersion::tls13;
  };
  if (!known(min) || !known(max) || min > max) {
    return config_error("versions must be TLSv1.2 or TLSv1.3, the minimum not above the maximum");
  }
  if (!version_enabled(ProtocolVersion::tls12, min, max, suites) &&
      !version_enabled(ProtocolVersion::tls13, min, max, suites)) {
    return config_error("no cipher suite of an enabled version");
  }
  return {};
}

// Fills the empty lists with defaults and checks what both roles share.
Result<void> complete_common(std::vector<CipherSuite>& suites, std::vector<NamedGroup>& groups,
                             std::span<const NamedGroup> default_groups,
                             std::vector<SignatureScheme>& schemes,
                             const std::vector<std::string>& alpn, size_t pooled_buffers,
                             std::shared_ptr<const crypto::Provider>& provider) {
  if (!provider) provider = default_provider();
  if (pooled_buffers > BufferPool::kMaxBlocks) {
    return config_error("pooled_buffers is at most " + std::to_string(BufferPool::kMaxBlocks));
  }
  if (suites.empty()) suites.assign(kDefaultSuites.begin(), kDefaultSuites.end());
  if (groups.empty()) groups.assign(default_groups.begin(), default_groups.end());
  if (schemes.empty()) {
    auto defaults = handshake::default_signature_schemes();
    schemes.assign(defaults.begin(), defaults.end());
  }
  for (CipherSuite s : suites) {
    if (!handshake::find_any_suite(s)) {
      return config_error("unsupported cipher suite " + to_string(s));
    }
  }
  for (NamedGroup g : groups) {
    if (!provider->supports_group(g)) return config_error("unsupported group " + to_string(g));
  }
  for (SignatureScheme s : schemes) {
    if (!handshake::handshake_scheme(s) && !handshake::tls12_scheme(s)) {
      return config_error("unsupported signature scheme " + to_string(s));
    }
  }
  size_t alpn_list = 0;
  for (const auto& name : alpn) {
    // RFC 7301 §3.1: ProtocolName <1..2^8-1>
    if (name.empty() || name.size() > 255) return config_error("ALPN names are 1 to 255 bytes");
    alpn_list += 1 + name.size();
  }
  // RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>, inside the ClientHello.
  if (alpn_list > kMaxExtensionsBlock - 2) return config_error("the ALPN list is too long");
  return {};
}

// RFC 8446 §4.3.2: the CertificateRequest's extensions<2..2^16-1> carry signature_algorithms
// and, when the verifier names its issuers, certificate_authorities (§4.2.4: each a
// DistinguishedName<1..2^16-1>, in a list<3..2^16-1>): they must all fit.
Result<void> check_certificate_request_fits(const ServerOptions& options) {
  if (options.client_auth == ClientAuth::none) return {};
  const auto names = options.client_verifier->client_ca_names();
  size_t list = 0;
  for (const Der& name : names) {
    if (name.empty() || name.size() > 0xffff) {
      return config_error("a client CA name is empty or longer than 65535 bytes");
    }
    list += 2 + name.size();
  }
  const size_t block =
      (4 + 2 + 2 * options.signature_schemes.size()) + (names.empty() ? 0 : 4 + 2 + list);
  if (list > 0xffff - 2 || block > kMaxExtensionsBlock) {
    return config_error("the client CA names (" + std::to_string(list) +
                        " bytes) do not fit a CertificateRequest: at most about 65,000 bytes");
  }
  return {};
}

// What the client authentication a ticket carries means to this config: whether it asks for
// client certificates and from which issuers. Ticket keys are derived with it, so that a ticket
// resumes only where its client_verified and chain mean the same; servers sharing a secret and
// configured alike still accept each other's tickets. A verifier that names no issuers
// (client_ca_names) is told apart from another only by client_auth: give such servers their
// own secrets.
session::TicketKeys::Context ticket_context(const ServerOptions& options) {
  auto hash = options.provider->new_hash(crypto::HashAlg::sha256);
  constexpr std::string_view kLabel = "bastion ticket context v1";
  hash->update({reinterpret_cast<const uint8_t*>(kLabel.data()), kLabel.size()});
  const std::array<uint8_t, 1> client_auth{static_cast<uint8_t>(options.client_auth)};
  hash->update(client_auth);
  if (options.client_auth != ClientAuth::none) {
    for (const Der& name : options.client_verifier->client_ca_names()) {
      const std::array<uint8_t, 3> length{static_cast<uint8_t>(name.size() >> 16),
                                          static_cast<uint8_t>(name.size() >> 8),
                                          static_cast<uint8_t>(name.size())};
      hash->update(length);
      hash->update(name);
    }
  }
  session::TicketKeys::Context context{};
  hash->digest(context);
  return context;
}

}  // namespace

Result<std::shared_ptr<const ClientConfig>> ClientConfig::create(ClientOptions options) {
  auto common = complete_common(options.cipher_suites, options.groups, kDefaultClientGroups,
                                options.signature_schemes, options.alpn, options.pooled_buffers,
                                options.provider);
  if (!common) return std::move(common).error();
  if (auto ok = check_versions(options.min_version, options.max_version, options.cipher_suites);
      !ok) {
    return std::move(ok).error();
  }
  if (options.client_certificate && !options.client_certificate->usable()) {
    return config_error("the client certificate needs a chain and a key");
  }
  if (options.resumption && !options.session_store) options.session_store = memory_session_store();
  if (!options.verifier && !options.insecure_skip_verify) {
    // Secure by default: the system's trust anchors and WebPKI rules.
    auto store = TrustStore::system();
    if (!store) return config_error("no verifier given and " + store.error().message());
    options.verifier = webpki_verifier(std::move(store).value(), options.provider);
  }
  auto config = std::shared_ptr<ClientConfig>(new ClientConfig(std::move(options)));
  if (const auto& cert = config->options_.client_certificate) {
    auto hash = config->provider().new_hash(crypto::HashAlg::sha256);
    for (const Der& der : cert->chain()) {
      const std::array<uint8_t, 3> length{static_cast<uint8_t>(der.size() >> 16),
                                          static_cast<uint8_t>(der.size() >> 8),
                                          static_cast<uint8_t>(der.size())};
      hash->update(length);
      hash->update(der);
    }
    hash->digest(config->client_identity_);
  }
  return std::shared_ptr<const ClientConfig>(std::move(config));
}

Result<std::shared_ptr<const ServerConfig>> ServerConfig::create(ServerOptions options) {
  auto common = complete_common(options.cipher_suites, options.groups, kDefaultServerGroups,
                                options.signature_schemes, options.alpn, options.pooled_buffers,
                                options.provider);
  if (!common) return std::move(common).error();
  if (auto ok = check_versions(options.min_version, options.max_version, options.cipher_suites);
      !ok) {
    return std::move(ok).error();
  }
  if (options.certificates.empty() ||
      std::any_of(options.certificates.begin(), options.certificates.end(),
                  [](const auto& c) { return !c || !c->usable(); })) {
    return config_error("a server needs at least one certificate with its key");
  }
  if (options.client_auth != ClientAuth::none && !options.client_verifier) {
    return config_error("client authentication needs a client certificate verifier");
  }
  if (auto fits = check_certificate_request_fits(options); !fits) return std::move(fits).error();
  // RFC 8446 §4.6.1: servers MUST NOT use any value greater than 604800 seconds.
  if (options.ticket_lifetime < std::chrono::seconds(1) ||
      options.ticket_lifetime > std::chrono::seconds(604800)) {
    return config_error("ticket lifetime must be between 1 second and 7 days");
  }
  auto keys =
      session::TicketKeys::create(options.provider, options.ticket_secret, options.ticket_lifetime,
                                  session::TicketKeys::kDefaultPeriod, ticket_context(options));
  // The secret's length was checked by TicketKeys.
  auto cookies =
      keys ? session::RetryCookies::create(options.provider, options.ticket_secret) : nullptr;
  secure_wipe(options.ticket_secret.data(), options.ticket_secret.size());
  options.ticket_secret.clear();
  if (!keys) return std::move(keys).error();
  return std::shared_ptr<const ServerConfig>(
      new ServerConfig(std::move(options), std::move(keys).value(), std::move(cookies)));
}

ServerConfig::ServerConfig(ServerOptions options,
                           std::shared_ptr<const session::TicketKeys> ticket_keys,
                           std::shared_ptr<const session::RetryCookies> retry_cookies)
    : options_(std::move(options)),
      ticket_keys_(std::move(ticket_keys)),
      retry_cookies_(std::move(retry_cookies)) {
  if (options_.session_cache_size > 0) {
    session_cache_ = std::make_shared<session::SessionCache>(options_.session_cache_size);
  }
}

bool ClientConfig::offers(ProtocolVersion version) const {
  return version_enabled(version, options_.min_version, options_.max_version,
                         options_.cipher_suites);
}

bool ServerConfig::accepts(ProtocolVersion version) const {
  return version_enabled(version, options_.min_version, options_.max_version,
                         options_.cipher_suites);
}

const std::shared_ptr<const CertifiedKey>& ServerConfig::certificate_for(
    std::string_view server_name) const {
  if (!server_name.empty()) {
    for (const auto& cert : options_.certificates) {
      if (cert->matches_name(server_name)) return cert;
    }
  }
  return options_.certificates.front();
}

}  // namespace bastion
