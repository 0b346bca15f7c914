// Private keys: loaded from PEM or generated at configuration time, then used to sign.
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <array>
#include <climits>
#include <cstring>
#include <string>

#include "crypto/openssl/keys.hpp"
#include "crypto/openssl/signature.hpp"

namespace bastion::crypto::openssl {

namespace {

constexpr size_t kPreMasterLength = 48;

Error bad_key(std::string detail) {
  discard_openssl_errors();
  return Error{ErrorCode::invalid_key, std::move(detail)};
}

class OpenSslPrivateKey final : public PrivateKey {
 public:
  OpenSslPrivateKey(std::shared_ptr<const Algorithms> algs, KeyType type, PkeyPtr key,
                    PublicKeyParams public_params)
      : algs_(std::move(algs)),
        type_(type),
        key_(std::move(key)),
        public_params_(std::move(public_params)) {}

  KeyType type() const override { return type_; }
  size_t bits() const override { return static_cast<size_t>(EVP_PKEY_get_bits(key_.get())); }
  PublicKeyParams public_params() const override { return public_params_; }

  Result<std::vector<uint8_t>> sign(SigAlg alg, Bytes message) const override {
    auto setup = signature_setup(*algs_, type_, alg, ErrorCode::invalid_key);
    if (!setup) return std::move(setup).error();
    MdCtxPtr mctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by mctx
    if (mctx == nullptr ||
        EVP_DigestSignInit(mctx.get(), &pctx, setup->md, nullptr, key_.get()) != 1 ||
        !configure_signature(pctx, *setup)) {
      return openssl_error(ErrorCode::crypto_failure, "cannot set up signing");
    }
    size_t len = 0;
    if (EVP_DigestSign(mctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot size the signature");
    }
    std::vector<uint8_t> signature(len);
    if (EVP_DigestSign(mctx.get(), signature.data(), &len, message.data(), message.size()) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "signing failed");
    }
    signature.resize(len);  // DER ECDSA signatures vary in length
    return signature;
  }

  bool can_decrypt() const override { return type_ == KeyType::rsa; }
  bool decrypt_pre_master(Bytes ciphertext, uint16_t client_version,
                          MutableBytes out) const override {
    if (type_ != KeyType::rsa || out.size() != kPreMasterLength) return false;
    // RFC 5246 §7.4.7.1: a random pre-master secret stands in for one that does not decrypt,
    // so that no alert, timing or state tells the peer. libcrypto's TLS padding mode makes
    // that substitution itself, in constant time, after its padding and version checks; the
    // random one drawn here covers only its refusals that depend on public values (a
    // ciphertext of the wrong length).
    std::array<uint8_t, kPreMasterLength> fallback{};
    RAND_bytes(fallback.data(), static_cast<int>(fallback.size()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    // RFC 5246 §7.4.7.1: the version must be ClientHello.client_version; no negotiated-version
    // alternative (that is libssl's opt-in workaround for old clients).
    unsigned int version = client_version;
    int pad = RSA_PKCS1_WITH_TLS_PADDING;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_int(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, &pad),
        OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &version),
        OSSL_PARAM_construct_end()};
    size_t len = out.size();
    const bool ok =
        ctx != nullptr && EVP_PKEY_decrypt_init_ex(ctx.get(), params) == 1 &&
        EVP_PKEY_decrypt(ctx.get(), out.data(), &len, ciphertext.data(), ciphertext.size()) == 1 &&
        len == kPreMasterLength;
    if (!ok) {
      discard_openssl_errors();
      std::memcpy(out.data(), fallback.data(), fallback.size());
    }
    OPENSSL_cleanse(fallback.data(), fallback.size());
    return true;
  }

  std::string to_pkcs8_pem() const override {
    // A secure-memory BIO is wiped when freed; the returned string is the caller's to protect.
    BioPtr bio(BIO_new(BIO_s_secmem()));
    if (bio == nullptr || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0,
                                                   nullptr, nullptr) != 1) {
      discard_openssl_errors();
      return {};
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    if (len <= 0 || data == nullptr) return {};
    return std::string(data, static_cast<size_t>(len));
  }

 private:
  std::shared_ptr<const Algorithms> algs_;
  KeyType type_;
  PkeyPtr key_;
  PublicKeyParams public_params_;
};

Result<KeyType> key_type_of(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "RSA")) return KeyType::rsa;
  if (EVP_PKEY_is_a(key, "RSA-PSS")) return KeyType::rsa_pss;
  if (EVP_PKEY_is_a(key, "ED25519")) return KeyType::ed25519;
  if (EVP_PKEY_is_a(key, "ED448")) return KeyType::ed448;
  if (!EVP_PKEY_is_a(key, "EC")) return bad_key("unsupported private key algorithm");
  std::array<char, 64> group{};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(key, group.data(), group.size(), &len) != 1) {
    return bad_key("EC private key without a named curve");
  }
  const std::string_view name(group.data(), len);
  if (name == "prime256v1" || name == "P-256") return KeyType::ec_p256;
  if (name == "secp384r1" || name == "P-384") return KeyType::ec_p384;
  if (name == "secp521r1" || name == "P-521") return KeyType::ec_p521;
  return bad_key("unsupported EC curve " + std::string(name));
}

Result<std::vector<uint8_t>> bn_param(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return bad_key(std::string("cannot read RSA parameter ") + name);
  }
  std::unique_ptr<BIGNUM, Freer<BN_free>> bn(raw);
  std::vector<uint8_t> out(static_cast<size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}

int curve_nid(KeyType type) {
  switch (type) {
    case KeyType::ec_p256:
      return NID_X9_62_prime256v1;
    case KeyType::ec_p384:
      return NID_secp384r1;
    default:
      return NID_secp521r1;
  }
}

// The key's public point, uncompressed whatever form the key file used.
Result<std::vector<uint8_t>> ec_public_point(const EVP_PKEY* key, KeyType type) {
  std::array<uint8_t, 133> encoded{};
  size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), encoded.size(),
                                      &len) != 1) {
    return bad_key("EC private key without a public point");
  }
  std::unique_ptr<EC_GROUP, Freer<EC_GROUP_free>> group(
      EC_GROUP_new_by_curve_name(curve_nid(type)));
  std::unique_ptr<EC_POINT, Freer<EC_POINT_free>> point(group ? EC_POINT_new(group.get())
                                                              : nullptr);
  if (point == nullptr ||
      EC_POINT_oct2point(group.get(), point.get(), encoded.data(), len, nullptr) != 1) {
    return bad_key("EC private key has an invalid public point");
  }
  std::vector<uint8_t> out(EC_POINT_point2oct(group.get(), point.get(),
                                              POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, nullptr));
  if (out.empty() || EC_POINT_point2oct(group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                                        out.data(), out.size(), nullptr) != out.size()) {
    return bad_key("cannot encode EC public point");
  }
  return out;
}

Result<PublicKeyParams> public_params_of(const EVP_PKEY* key, KeyType type) {
  PublicKeyParams params;
  params.type = type;
  switch (type) {
    case KeyType::rsa:
    case KeyType::rsa_pss: {
      auto n = bn_param(key, OSSL_PKEY_PARAM_RSA_N);
      if (!n) return std::move(n).error();
      auto e = bn_param(key, OSSL_PKEY_PARAM_RSA_E);
      if (!e) return std::move(e).error();
      params.rsa_modulus = std::move(*n);
      params.rsa_exponent = std::move(*e);
      return params;
    }
    case KeyType::ec_p256:
    case KeyType::ec_p384:
    case KeyType::ec_p521: {
      auto point = ec_public_point(key, type);
      if (!point) return std::move(point).error();
      params.point = std::move(*point);
      return params;
    }
    case KeyType::ed25519:
    case KeyType::ed448: {
      params.point.resize(type == KeyType::ed25519 ? 32 : 57);
      size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, params.point.data(),
                                          params.point.size(), &len) != 1 ||
          len != params.point.size()) {
        return bad_key("cannot read the EdDSA public key");
      }
      return params;
    }
  }
  return bad_key("unknown key type");
}

Result<std::unique_ptr<PrivateKey>> wrap(std::shared_ptr<const Algorithms> algs, PkeyPtr key) {
  auto type = key_type_of(key.get());
  if (!type) return std::move(type).error();
  auto params = public_params_of(key.get(), *type);
  if (!params) return std::move(params).error();
  return std::unique_ptr<PrivateKey>(std::make_unique<OpenSslPrivateKey>(
      std::move(algs), *type, std::move(key), std::move(*params)));
}

// Hands libcrypto the passphrase given (never a prompt on the terminal, which libcrypto would
// show without a callback); -1 when there is none.
int give_passphrase(char* buf, int size, int, void* user) {
  const Bytes& passphrase = *static_cast<const Bytes*>(user);
  if (passphrase.empty() || passphrase.size() > static_cast<size_t>(size)) return -1;
  std::memcpy(buf, passphrase.data(), passphrase.size());
  return static_cast<int>(passphrase.size());
}

// EVP_PKEY_Q_keygen knows the size argument of "RSA" only, not of "RSA-PSS".
EVP_PKEY* generate_rsa(const char* algorithm, size_t bits) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
  EVP_PKEY* key = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return nullptr;
  }
  return key;
}

}  // namespace

namespace {

// One block of a PEM text as PEM_read_bio_ex returns it; the data is wiped when freed.
struct PemBlock {
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  PemBlock() = default;
  PemBlock(const PemBlock&) = delete;
  PemBlock& operator=(const PemBlock&) = delete;
  ~PemBlock() { reset(); }
  void reset() {
    OPENSSL_free(name);
    OPENSSL_free(header);
    if (data != nullptr) OPENSSL_clear_free(data, static_cast<size_t>(len));
    name = header = nullptr;
    data = nullptr;
    len = 0;
  }
};

bool is_key_block(std::string_view name) {
  return name == "PRIVATE KEY" || name == "ENCRYPTED PRIVATE KEY" || name == "EC PRIVATE KEY" ||
         name == "RSA PRIVATE KEY";
}

}  // namespace

Result<std::unique_ptr<PrivateKey>> load_private_key_pem(std::shared_ptr<const Algorithms> algs,
                                                         std::string_view pem, Bytes passphrase) {
  if (pem.size() > INT_MAX) return bad_key("private key PEM is too large");
  if (passphrase.size() >= PEM_BUFSIZE) {
    return bad_key("the passphrase is longer than " + std::to_string(PEM_BUFSIZE - 1) + " bytes");
  }
  BioPtr in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (in == nullptr) return openssl_error(ErrorCode::crypto_failure, "BIO_new_mem_buf");
  // The first PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block,
  // skipping others (such as certificates in the same file). What is decided about the key
  // (encrypted or not) is decided on this block alone, and only this block is decoded.
  PemBlock block;
  for (;;) {
    block.reset();
    if (PEM_read_bio_ex(in.get(), &block.name, &block.header, &block.data, &block.len, 0) != 1) {
      discard_openssl_errors();
      return bad_key(
          "no PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY in PEM");
    }
    if (is_key_block(block.name)) break;
  }
  // Headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info") mean the legacy PEM encryption, whose key is
  // one round of MD5 (EVP_BytesToKey): refused, where PKCS#8 uses PBKDF2 or scrypt.
  if (block.header != nullptr && block.header[0] != '\0') {
    return bad_key(
        "the key uses legacy PEM encryption; convert it to encrypted PKCS#8 "
        "(openssl pkcs8 -topk8 -v2 aes-256-cbc)");
  }
  const bool encrypted = std::string_view(block.name) == "ENCRYPTED PRIVATE KEY";
  if (encrypted && passphrase.empty())
    return bad_key("the key is encrypted: a passphrase is needed");
  // The block alone, re-encoded without headers in wiped memory, is what libcrypto decodes.
  BioPtr one(BIO_new(BIO_s_secmem()));
  if (one == nullptr || PEM_write_bio(one.get(), block.name, "", block.data, block.len) <= 0) {
    return openssl_error(ErrorCode::crypto_failure, "PEM_write_bio");
  }
  EVP_PKEY* key = PEM_read_bio_PrivateKey(one.get(), nullptr, give_passphrase, &passphrase);
  if (key == nullptr) {
    if (encrypted) {
      return openssl_error(ErrorCode::invalid_key,
                           "cannot decrypt the key: wrong passphrase, or a damaged key");
    }
    return openssl_error(ErrorCode::invalid_key,
                         std::string("the ") + block.name + " block does not hold a usable key");
  }
  return wrap(std::move(algs), PkeyPtr(key));
}

Result<std::unique_ptr<PrivateKey>> generate_private_key(std::shared_ptr<const Algorithms> algs,
                                                         KeyType type, size_t bits) {
  EVP_PKEY* key = nullptr;
  switch (type) {
    case KeyType::rsa:
    case KeyType::rsa_pss:
      if (bits != 2048 && bits != 3072 && bits != 4096) {
        return bad_key("RSA key size must be 2048, 3072 or 4096 bits");
      }
      key = generate_rsa(type == KeyType::rsa ? "RSA" : "RSA-PSS", bits);
      break;
    case KeyType::ec_p256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyType::ec_p384:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case KeyType::ec_p521:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
      break;
    case KeyType::ed25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case KeyType::ed448:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448");
      break;
  }
  if (key == nullptr) return openssl_error(ErrorCode::invalid_key, "key generation failed");
  return wrap(std::move(algs), PkeyPtr(key));
}

}  // namespace bastion::crypto::openssl
