// The crypto provider: every primitive Bastion uses, behind narrow interfaces.
// Only src/crypto/openssl/ includes OpenSSL headers. A provider is a value passed to configs;
// there is no process-global default inside the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/secret.hpp"

namespace bastion::crypto {

using Bytes = std::span<const uint8_t>;
using MutableBytes = std::span<uint8_t>;

enum class HashAlg : uint8_t { sha256, sha384, sha512 };
size_t hash_length(HashAlg alg);  // 32, 48, 64

// AES-CCM with a 16-byte tag, and with an 8-byte one (CCM_8), both with 12-byte nonces
// (RFC 6655, RFC 8446 §B.4).
enum class AeadAlg : uint8_t {
  aes_128_gcm,
  aes_256_gcm,
  chacha20_poly1305,
  aes_128_ccm,
  aes_128_ccm_8
};
size_t aead_key_length(AeadAlg alg);  // 16, 32, 32, 16, 16
size_t aead_tag_length(AeadAlg alg);  // 16, but 8 for aes_128_ccm_8
inline constexpr size_t kAeadNonceLength = 12;
// The tag length of every AEAD but CCM_8.
inline constexpr size_t kAeadTagLength = 16;

// Signature algorithms as used by certificates and handshakes. A TLS SignatureScheme maps to
// one of these plus a key constraint (e.g. ecdsa_secp256r1_sha256 = ecdsa_sha256 on P-256).
enum class SigAlg : uint8_t {
  rsa_pkcs1_sha256,
  rsa_pkcs1_sha384,
  rsa_pkcs1_sha512,
  rsa_pss_sha256,  // salt length = hash length, MGF1 with the same hash
  rsa_pss_sha384,
  rsa_pss_sha512,
  ecdsa_sha256,  // DER-encoded ECDSA-Sig-Value
  ecdsa_sha384,
  ecdsa_sha512,
  ed25519,
  ed448,
};

enum class KeyType : uint8_t { rsa, rsa_pss, ec_p256, ec_p384, ec_p521, ed25519, ed448 };

// RSASSA-PSS parameters in a key restrict it (RFC 4055 §3.1): signatures must use this hash,
// MGF1 with the same hash, and a salt at least this long.
struct PssRestriction {
  HashAlg hash = HashAlg::sha256;
  size_t min_salt = 0;
};

// A public key as an X.509 SubjectPublicKeyInfo carries it, already parsed by our own DER code.
struct PublicKeyParams {
  KeyType type = KeyType::ec_p256;
  std::vector<uint8_t> rsa_modulus;   // big-endian, no leading zero
  std::vector<uint8_t> rsa_exponent;  // big-endian
  // EC: uncompressed SEC1 point (04||x||y); Ed25519: 32 raw bytes; Ed448: 57.
  std::vector<uint8_t> point;
  std::optional<PssRestriction> pss;  // an RSASSA-PSS key with parameters
};

// Whether a signature with `alg` may be checked with a key of `type`, restricted by `pss`:
// the algorithm fits the key type, and an RSASSA-PSS key's parameters allow it.
bool key_permits(KeyType type, const std::optional<PssRestriction>& pss, SigAlg alg);
// The same key: RSA modulus and exponent (whether the key is marked RSASSA-PSS or not), or the
// EC or EdDSA point of the same type.
bool same_public_key(const PublicKeyParams& a, const PublicKeyParams& b);
inline bool key_permits(const PublicKeyParams& key, SigAlg alg) {
  return key_permits(key.type, key.pss, alg);
}

// Incremental hash; clone() snapshots the state (used by the transcript).
class HashContext {
 public:
  virtual ~HashContext() = default;
  virtual void update(Bytes data) = 0;
  virtual std::unique_ptr<HashContext> clone() const = 0;
  // Writes the digest of everything so far into out (size hash_length); the context stays usable.
  virtual void digest(MutableBytes out) const = 0;
  virtual HashAlg alg() const = 0;
};

// HMAC (RFC 2104) with its key fixed at creation. The hash states after the key's inner and
// outer pad blocks are computed once and copied for each MAC, so a MAC of a short message costs
// two hash compressions instead of four: a TLS 1.3 secret keys two to four HKDF expansions.
// Holds key material and wipes it when destroyed. mac() reuses a working state, so one keyed
// object serves one thread at a time.
class Hmac {
 public:
  virtual ~Hmac() = default;
  virtual HashAlg alg() const = 0;
  // HMAC(key, parts[0] || parts[1] || ...) into out, which holds hash_length(alg()) bytes.
  virtual void mac(std::span<const Bytes> parts, MutableBytes out) const = 0;
};

// RFC 5869 HKDF-Expand(PRK, info, out.size()) with the PRK keyed into `prk`. Aborts when out is
// longer than 255 * hash_length (a caller's bug: TLS lengths are fixed or checked before).
void hkdf_expand(const Hmac& prk, Bytes info, MutableBytes out);

// An AEAD keyed once, used for many records. Works in place.
class Aead {
 public:
  virtual ~Aead() = default;
  // Encrypts `data` in place and writes the tag (aead_tag_length bytes) to `tag`.
  [[nodiscard]] virtual bool seal(Bytes nonce, Bytes aad, MutableBytes data, MutableBytes tag) = 0;
  // Decrypts `data` in place; false (and data unspecified) when the tag does not verify.
  [[nodiscard]] virtual bool open(Bytes nonce, Bytes aad, MutableBytes data, Bytes tag) = 0;
};

// One ephemeral key-exchange share (ECDHE, X25519/X448 or FFDHE).
class KeyShare {
 public:
  virtual ~KeyShare() = default;
  virtual NamedGroup group() const = 0;
  // RFC 8446 §4.2.8: X25519 32 bytes, X448 56; NIST curves: the uncompressed point; FFDHE: Y,
  // big-endian, padded to the size of p.
  virtual Bytes public_key() const = 0;
  // The shared secret (NIST curves: the x-coordinate; FFDHE: padded to the size of p). Fails
  // with bad_key_share on an invalid peer value (wrong length, not on the curve, an all-zero
  // X25519/X448 output, an FFDHE Y outside 1 < Y < p-1).
  virtual Result<SecretVector> derive(Bytes peer_public) const = 0;
};

class PublicKey {
 public:
  virtual ~PublicKey() = default;
  virtual KeyType type() const = 0;
  virtual size_t bits() const = 0;
  // key_permits() for this key: its type and any RSASSA-PSS restriction it was imported with.
  virtual bool permits(SigAlg alg) const = 0;
  // Result is ok only when `alg` is permitted and `signature` is a valid signature of `message`
  // under it.
  virtual Result<void> verify(SigAlg alg, Bytes message, Bytes signature) const = 0;
  // RSA key transport (RFC 5246 §7.4.7.1): RSAES-PKCS1-v1_5 encryption of `plaintext`.
  // unsupported_certificate for keys other than rsa.
  virtual Result<std::vector<uint8_t>> encrypt_pkcs1(Bytes plaintext) const;
};

class PrivateKey {
 public:
  virtual ~PrivateKey() = default;
  virtual KeyType type() const = 0;
  virtual size_t bits() const = 0;
  virtual Result<std::vector<uint8_t>> sign(SigAlg alg, Bytes message) const = 0;
  // RSA key transport (RFC 5246 §7.4.7.1): the 48-byte pre-master secret in `ciphertext`,
  // with libcrypto's TLS padding check (the version bytes must be `client_version`). Whatever
  // is wrong (padding, version, length), `out` gets a random pre-master secret instead, in
  // constant time: nothing tells a bad ciphertext from a good one. False only for keys that
  // cannot decrypt (not rsa).
  virtual bool decrypt_pre_master(Bytes ciphertext, uint16_t client_version,
                                  MutableBytes out) const;
  // Whether decrypt_pre_master() works with this key: an RSA key in memory; not a key that
  // only signs (RSA-PSS, or a SigningKey kept elsewhere).
  virtual bool can_decrypt() const { return false; }
  virtual PublicKeyParams public_params() const = 0;
  // PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
  virtual std::string to_pkcs8_pem() const = 0;
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual std::unique_ptr<HashContext> new_hash(HashAlg alg) const = 0;
  void hash(HashAlg alg, Bytes data, MutableBytes out) const;
  // HMAC(key, data) into out (size hash_length(alg)).
  virtual void hmac(HashAlg alg, Bytes key, Bytes data, MutableBytes out) const = 0;
  // RFC 5869. Extract writes hash_length(alg) bytes; Expand writes out.size() bytes.
  virtual void hkdf_extract(HashAlg alg, Bytes salt, Bytes ikm, MutableBytes out) const = 0;
  virtual void hkdf_expand(HashAlg alg, Bytes prk, Bytes info, MutableBytes out) const = 0;
  // HMAC keyed once with `key`, for several MACs (and HKDF expansions) under the same key.
  virtual std::unique_ptr<Hmac> new_hmac(HashAlg alg, Bytes key) const = 0;

  virtual Result<std::unique_ptr<Aead>> new_aead(AeadAlg alg, Bytes key) const = 0;

  virtual bool supports_group(NamedGroup group) const = 0;
  virtual Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group) const = 0;
  // A share from a known private key (X25519/X448: the raw bytes; NIST: the scalar,
  // big-endian; FFDHE: the exponent, big-endian, shorter than p).
  // For test vectors (RFC 8448) and deterministic providers, never for real connections.
  virtual Result<std::unique_ptr<KeyShare>> key_share_from_private(NamedGroup group,
                                                                   Bytes private_key) const = 0;

  virtual Result<std::unique_ptr<PublicKey>> import_public_key(
      const PublicKeyParams& params) const = 0;
  // PEM: PKCS#8 ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY"), and
  // encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY") with `passphrase` (empty: none given).
  virtual Result<std::unique_ptr<PrivateKey>> load_private_key_pem(std::string_view pem,
                                                                   Bytes passphrase) const = 0;
  // RSA: bits 2048/3072/4096; EC and Ed25519 ignore bits.
  virtual Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType type,
                                                                   size_t bits) const = 0;

  virtual void random(MutableBytes out) const = 0;
};

// The libcrypto-backed provider, with every algorithm fetched once at creation.
std::shared_ptr<const Provider> openssl_provider();

}  // namespace bastion::crypto
