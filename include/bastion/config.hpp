// Immutable configurations, built once and shared between connections and threads.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/session.hpp"
#include "bastion/types.hpp"

namespace bastion {

namespace crypto {
class Provider;
class PrivateKey;
}  // namespace crypto
namespace session {
class TicketKeys;
class RetryCookies;
class SessionCache;
}  // namespace session

using Der = std::vector<uint8_t>;

// Record buffers shared by the connections of a config (see ClientOptions::pooled_buffers).
class BufferPool;
BASTION_API std::shared_ptr<BufferPool> make_buffer_pool(size_t max_blocks);

// The default crypto provider (OpenSSL 3 libcrypto). Create once and share.
BASTION_API std::shared_ptr<const crypto::Provider> default_provider();

// A private key kept outside the library (an HSM, a TPM, a signing service in another
// process): the handshake hands it what to sign and waits for the signature. It is called on
// the thread that drives the connection, and by several connections at once, so it must be
// thread-safe. RSA key transport (TLS 1.2) cannot use such a key.
class BASTION_API SigningKey {
 public:
  virtual ~SigningKey() = default;
  // Signs `message` (the whole content: hashing it is part of the scheme) with `scheme`, as
  // RFC 8446 §4.2.3 defines it: ECDSA signatures DER-encoded, RSA-PSS with MGF1 and a salt as
  // long as the hash. In TLS 1.2 an ECDSA scheme names the hash only: the curve is the key's.
  virtual Result<std::vector<uint8_t>> sign(SignatureScheme scheme,
                                            std::span<const uint8_t> message) const = 0;
};

// A certificate chain (leaf first, DER) and the leaf's private key.
class BASTION_API CertifiedKey {
 public:
  // The key PEM holds PKCS#8 ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY"), PKCS#1 ("RSA PRIVATE
  // KEY"), or encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY", PBKDF2 or scrypt) opened with
  // `passphrase`. The key must be the leaf certificate's (invalid_key otherwise).
  static Result<std::shared_ptr<const CertifiedKey>> from_pem(
      std::string_view chain_pem, std::string_view key_pem,
      const std::shared_ptr<const crypto::Provider>& provider, std::string_view passphrase = {});
  static Result<std::shared_ptr<const CertifiedKey>> from_pem_files(
      const std::filesystem::path& chain_file, const std::filesystem::path& key_file,
      const std::shared_ptr<const crypto::Provider>& provider, std::string_view passphrase = {});
  // A chain whose leaf's key lives in `key`; the leaf's public key tells its type.
  static Result<std::shared_ptr<const CertifiedKey>> from_signing_key(
      std::vector<Der> chain, std::shared_ptr<const SigningKey> key);

  CertifiedKey(std::vector<Der> chain, std::shared_ptr<const crypto::PrivateKey> key,
               std::vector<std::string> dns_names);
  const std::vector<Der>& chain() const { return chain_; }
  const crypto::PrivateKey& key() const { return *key_; }
  // The leaf's DNS subjectAltNames, lower-case, used to pick a certificate by SNI.
  const std::vector<std::string>& dns_names() const { return dns_names_; }
  bool matches_name(std::string_view host) const;
  // A chain with at least one certificate, and a key.
  bool usable() const { return !chain_.empty() && key_ != nullptr; }

 private:
  std::vector<Der> chain_;
  std::shared_ptr<const crypto::PrivateKey> key_;
  std::vector<std::string> dns_names_;
};

// Decides whether a peer's certificate chain is acceptable.
class BASTION_API CertificateVerifier {
 public:
  virtual ~CertificateVerifier() = default;
  // chain[0] is the server's end-entity certificate; server_name is a DNS name or an IP literal.
  virtual Result<void> verify_server(std::span<const Der> chain, std::string_view server_name,
                                     std::chrono::system_clock::time_point now) const = 0;
  // chain[0] is the client's end-entity certificate.
  virtual Result<void> verify_client(std::span<const Der> chain,
                                     std::chrono::system_clock::time_point now) const;
  // Subject names (DER) of the issuers this verifier accepts client certificates from, sent in
  // CertificateRequest.certificate_authorities (RFC 8446 §4.2.4). Empty: the extension is omitted.
  virtual std::span<const Der> client_ca_names() const { return {}; }
};

// Trusts exactly the given end-entity certificates (byte for byte), nothing else.
BASTION_API std::shared_ptr<const CertificateVerifier> exact_certificate_verifier(
    std::vector<Der> trusted);

// Receives secrets in the NSS key-log format, so that Wireshark can decrypt test traffic.
class BASTION_API KeyLog {
 public:
  virtual ~KeyLog() = default;
  virtual void log(std::string_view label, std::span<const uint8_t> client_random,
                   std::span<const uint8_t> secret) const = 0;
};
// Appends to a file; null when the file cannot be opened.
BASTION_API std::shared_ptr<const KeyLog> key_log_file(const std::filesystem::path& path);
// The file named by SSLKEYLOGFILE, or null when it is unset.
BASTION_API std::shared_ptr<const KeyLog> key_log_from_env();

struct ClientOptions {
  // The versions offered: TLS 1.2 and 1.3 by default. A version is offered when it is in this
  // range and cipher_suites holds a suite of it. Older versions are refused (RFC 8996).
  ProtocolVersion min_version = ProtocolVersion::tls12;
  ProtocolVersion max_version = ProtocolVersion::tls13;
  // Empty lists mean the defaults, in preference order.
  // TLS 1.3: AES-128-GCM, AES-256-GCM, ChaCha20; the CCM suites only when named here.
  // TLS 1.2: ECDHE with ECDSA or RSA and AES-GCM or ChaCha20; RSA key transport only when
  // named here.
  std::vector<CipherSuite> cipher_suites;
  // x25519, secp256r1, secp384r1, with a key share for the first. Also secp521r1, x448 and
  // the RFC 7919 groups ffdhe2048 to ffdhe8192.
  std::vector<NamedGroup> groups;
  // ECDSA, EdDSA, RSA-PSS, and RSA PKCS#1 v1.5 for TLS 1.2 and certificates.
  std::vector<SignatureScheme> signature_schemes;
  std::vector<std::string> alpn;  // offered protocols, in preference order
  // Server authentication. Null: the system trust store with WebPKI rules (webpki_verifier),
  // unless insecure_skip_verify is set.
  std::shared_ptr<const CertificateVerifier> verifier;
  bool insecure_skip_verify = false;
  // Presented when the server asks for a client certificate.
  std::shared_ptr<const CertifiedKey> client_certificate;
  // Session resumption (RFC 8446 §2.2): tickets from servers are kept here by server name and
  // offered on the next connection to the same name. Null: a memory_session_store() per config.
  std::shared_ptr<SessionStore> session_store;
  bool resumption = true;  // false: no ticket is kept or offered
  // TLS 1.2: the extended master secret (RFC 7627) is always offered; true also refuses a
  // server that does not use it (handshake_failure).
  bool require_extended_master_secret = false;
  // Connections take their record buffers (33 KiB blocks) from a pool shared by the config
  // when data flows and hand them back, wiped, when they go idle: idle connections hold none
  // and busy ones allocate none. The pool keeps at most this many idle blocks; 0: none.
  size_t pooled_buffers = 16;
  std::shared_ptr<const KeyLog> key_log;
  std::shared_ptr<const crypto::Provider> provider;  // null: default_provider()
};

enum class ClientAuth : uint8_t { none, request, require };

struct ServerOptions {
  // The versions accepted, the highest in common chosen: TLS 1.2 and 1.3 by default. A
  // version is accepted when it is in this range and cipher_suites holds a suite of it.
  ProtocolVersion min_version = ProtocolVersion::tls12;
  ProtocolVersion max_version = ProtocolVersion::tls13;
  // Server preference order; empty: for TLS 1.3 AES-128-GCM, AES-256-GCM, ChaCha20 (the CCM
  // suites only when named here); for TLS 1.2 ECDHE_ECDSA and ECDHE_RSA with AES-128-GCM,
  // AES-256-GCM and ChaCha20 (RSA key transport only when named here).
  std::vector<CipherSuite> cipher_suites;
  // Server preference order; empty: every supported group, x25519, secp256r1, secp384r1,
  // secp521r1, x448, then ffdhe2048 to ffdhe8192.
  std::vector<NamedGroup> groups;
  std::vector<SignatureScheme> signature_schemes;
  std::vector<std::string> alpn;  // supported protocols, server preference order
  // The first certificate is the default; another is chosen when SNI matches its names.
  std::vector<std::shared_ptr<const CertifiedKey>> certificates;
  ClientAuth client_auth = ClientAuth::none;
  std::shared_ptr<const CertificateVerifier> client_verifier;
  // TLS 1.2: the extended master secret (RFC 7627) is used whenever the client offers it;
  // true also refuses a client that does not (handshake_failure).
  bool require_extended_master_secret = false;
  // Session resumption (RFC 8446 §4.6.1): stateless tickets sent after each handshake (0: none,
  // and offered tickets are ignored), valid for ticket_lifetime (at most 7 days), and never
  // more than 7 days after the full handshake whose authentication they carry.
  size_t session_tickets = 2;
  std::chrono::seconds ticket_lifetime = std::chrono::hours(2);
  // TLS 1.2 resumption by session ID (RFC 5246 §7.4.1.2): the server keeps up to this many
  // sessions in memory (the least recently used go first), each for ticket_lifetime; 0: none.
  // Only sessions with an extended master secret are kept (RFC 7627 §5.3). TLS 1.2 tickets
  // (RFC 5077) follow session_tickets (any non-zero count: one ticket per handshake).
  size_t session_cache_size = 1024;
  // Ticket keys are derived from this secret (at least 32 bytes), one per hour-long epoch and
  // bound to client_auth and client_verifier->client_ca_names(): servers given the same secret
  // and configured alike accept each other's tickets. Every epoch's key stays derivable from
  // the secret, so tickets issued under it are protected only by rotating the secret itself.
  // Empty: a random key per epoch, forgotten once no ticket sealed under it may be opened, and
  // tickets work with this config only. The config keeps only the HKDF pseudorandom key (the
  // copy here is wiped).
  std::vector<uint8_t> ticket_secret;
  // A HelloRetryRequest carries a cookie (RFC 8446 §4.2.2) that holds the hash of the first
  // ClientHello and what the server decided, authenticated with a key of the config (derived
  // from ticket_secret when there is one) and valid for 30 seconds: the server keeps no state
  // between the two ClientHellos, and a second one answering the cookie is accepted on any
  // connection. false: the state is kept in the connection and no cookie is sent.
  bool stateless_retry = true;
  // Connections take their record buffers (33 KiB blocks) from a pool shared by the config
  // when data flows and hand them back, wiped, when they go idle: idle connections hold none
  // and busy ones allocate none. The pool keeps at most this many idle blocks; 0: none.
  size_t pooled_buffers = 16;
  std::shared_ptr<const KeyLog> key_log;
  std::shared_ptr<const crypto::Provider> provider;
};

class BASTION_API ClientConfig {
 public:
  static Result<std::shared_ptr<const ClientConfig>> create(ClientOptions options);
  const ClientOptions& options() const { return options_; }
  const crypto::Provider& provider() const { return *options_.provider; }
  const std::shared_ptr<BufferPool>& buffer_pool() const { return buffer_pool_; }
  // SHA-256 over the client certificate chain (zeros without one). Sessions record it, with
  // the verifier that authenticated the server, and only a config presenting the same chain
  // and trusting through the same verifier resumes them (stores may be shared by configs).
  const std::array<uint8_t, 32>& client_identity() const { return client_identity_; }
  // Whether this version is offered: in the range, with a suite of it.
  bool offers(ProtocolVersion version) const;

 private:
  explicit ClientConfig(ClientOptions options) : options_(std::move(options)) {}
  ClientOptions options_;
  std::array<uint8_t, 32> client_identity_{};
  std::shared_ptr<BufferPool> buffer_pool_ = make_buffer_pool(options_.pooled_buffers);
};

class BASTION_API ServerConfig {
 public:
  static Result<std::shared_ptr<const ServerConfig>> create(ServerOptions options);
  const ServerOptions& options() const { return options_; }
  const crypto::Provider& provider() const { return *options_.provider; }
  const std::shared_ptr<BufferPool>& buffer_pool() const { return buffer_pool_; }
  // The certificate for an SNI name (the default one when nothing matches or name is empty).
  const std::shared_ptr<const CertifiedKey>& certificate_for(std::string_view server_name) const;
  const session::TicketKeys& ticket_keys() const { return *ticket_keys_; }
  const session::RetryCookies& retry_cookies() const { return *retry_cookies_; }
  // The TLS 1.2 session-ID cache; null when session_cache_size is 0.
  session::SessionCache* session_cache() const { return session_cache_.get(); }
  // Whether this version is accepted: in the range, with a suite of it.
  bool accepts(ProtocolVersion version) const;

 private:
  ServerConfig(ServerOptions options, std::shared_ptr<const session::TicketKeys> ticket_keys,
               std::shared_ptr<const session::RetryCookies> retry_cookies);
  ServerOptions options_;
  std::shared_ptr<const session::TicketKeys> ticket_keys_;
  std::shared_ptr<const session::RetryCookies> retry_cookies_;
  std::shared_ptr<session::SessionCache> session_cache_;
  std::shared_ptr<BufferPool> buffer_pool_ = make_buffer_pool(options_.pooled_buffers);
};

}  // namespace bastion
