// The crypto floor: what one handshake or one transfer costs in raw libcrypto calls, with every
// algorithm and key prepared ahead as a library at its best would. A handshake needs an X25519
// key pair on each side and both derivations (the peer's share imported from its bytes), the
// server's CertificateVerify signature, and on the client the leaf key imported from its
// parameters (EVP_PKEY_fromdata), the CertificateVerify verification and the verification of
// the leaf's signature by the CA. A resumed handshake (psk_dhe_ke) needs only the X25519 key
// pairs and derivations. A transfer needs AEAD seal and open of the same sizes.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "implementation.hpp"

namespace bench {
namespace {

template <auto Free>
struct Freer {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Freer<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Freer<EVP_MD_CTX_free>>;
using CipherPtr = std::unique_ptr<EVP_CIPHER, Freer<EVP_CIPHER_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Freer<EVP_CIPHER_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Freer<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO_free_all>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Freer<OSSL_PARAM_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Freer<BN_free>>;

void check(bool ok, const char* what) {
  if (ok) return;
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  throw std::runtime_error(std::string("floor: ") + what + ": " + buf);
}

X509Ptr read_cert(const char* pem) {
  BioPtr bio(BIO_new_mem_buf(pem, -1));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  check(cert != nullptr, "PEM_read_bio_X509");
  return cert;
}

// What the client knows about the server's certificate once its own parser has run.
struct LeafFacts {
  std::vector<uint8_t> tbs;        // signed by the CA
  std::vector<uint8_t> signature;  // the CA's signature
  ParamPtr key_params;             // the public key, as EVP_PKEY_fromdata takes it
  const char* key_type = "EC";
};

LeafFacts leaf_facts(KeyKind kind) {
  X509Ptr leaf = read_cert(leaf_cert_pem(kind));
  LeafFacts f;
  unsigned char* tbs = nullptr;
  const int tbs_len = i2d_re_X509_tbs(leaf.get(), &tbs);
  check(tbs_len > 0, "i2d_re_X509_tbs");
  f.tbs.assign(tbs, tbs + tbs_len);
  OPENSSL_free(tbs);
  const ASN1_BIT_STRING* sig = nullptr;
  X509_get0_signature(&sig, nullptr, leaf.get());
  f.signature.assign(sig->data, sig->data + sig->length);

  EVP_PKEY* pub = X509_get0_pubkey(leaf.get());
  std::unique_ptr<OSSL_PARAM_BLD, Freer<OSSL_PARAM_BLD_free>> bld(OSSL_PARAM_BLD_new());
  // The builder keeps pointers to what is pushed until OSSL_PARAM_BLD_to_param: all of it must
  // live until then.
  std::array<uint8_t, 65> point{};
  size_t len = 0;
  BnPtr n_owner;
  BnPtr e_owner;
  if (kind == KeyKind::ecdsa_p256) {
    check(EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(),
                                          &len) == 1,
          "EC point");
    check(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ==
                  1 &&
              OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                               len) == 1,
          "EC params");
  } else {
    f.key_type = "RSA";
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    check(EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
              EVP_PKEY_get_bn_param(pub, OSSL_PKEY_PARAM_RSA_E, &e) == 1,
          "RSA params");
    n_owner.reset(n);
    e_owner.reset(e);
    check(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e) == 1,
          "RSA params");
  }
  f.key_params.reset(OSSL_PARAM_BLD_to_param(bld.get()));
  check(f.key_params != nullptr, "OSSL_PARAM_BLD_to_param");
  return f;
}

const char* cipher_name(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return "AES-128-GCM";
    case Suite::aes256gcm:
      return "AES-256-GCM";
    case Suite::chacha20:
      return "ChaCha20-Poly1305";
  }
  return "";
}

class FloorImpl final : public Implementation {
 public:
  FloorImpl() {
    keygen_.reset(EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr));
    check(keygen_ && EVP_PKEY_keygen_init(keygen_.get()) == 1, "X25519 keygen");
    X509Ptr ca = read_cert(ca_pem());
    ca_key_.reset(X509_get_pubkey(ca.get()));
    for (KeyKind kind : {KeyKind::ecdsa_p256, KeyKind::rsa_2048}) {
      const size_t i = kind == KeyKind::ecdsa_p256 ? 0 : 1;
      BioPtr bio(BIO_new_mem_buf(leaf_key_pem(kind), -1));
      server_keys_[i].reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
      check(server_keys_[i] != nullptr, "server key");
      leaves_[i] = leaf_facts(kind);
      fromdata_[i].reset(EVP_PKEY_CTX_new_from_name(nullptr, leaves_[i].key_type, nullptr));
      check(fromdata_[i] != nullptr, "fromdata context");
    }
    // The CertificateVerify input (RFC 8446 §4.4.3): 64 spaces, the context string, a zero
    // byte and a transcript hash.
    signed_content_.assign(64, 0x20);
    const char* context = "TLS 1.3, server CertificateVerify";
    signed_content_.insert(signed_content_.end(), context, context + std::strlen(context) + 1);
    signed_content_.resize(signed_content_.size() + 32, 0xab);
  }

  std::string name() const override { return "floor"; }

  // The public-key operations and key derivations are those of either version: the floor is
  // the same for TLS 1.2 and 1.3.
  Sample handshake(KeyKind kind, Version, const Params& params) override {
    const size_t i = kind == KeyKind::ecdsa_p256 ? 0 : 1;
    CpuSplit cpu;
    cpu.begin();
    for (int n = 0; n < params.handshakes; ++n) {
      PkeyPtr client_share;
      PkeyPtr server_share;
      std::array<uint8_t, 32> client_pub{};
      std::array<uint8_t, 32> server_pub{};
      std::vector<uint8_t> signature(512);
      size_t signature_len = signature.size();
      cpu.run(Side::client, [&] { client_share = key_share(client_pub); });
      cpu.run(Side::server, [&] {
        server_share = key_share(server_pub);
        derive(server_share.get(), client_pub);
        signature_len = sign(server_keys_[i].get(), kind, signature);
      });
      cpu.run(Side::client, [&] {
        derive(client_share.get(), server_pub);
        PkeyPtr leaf_key = import(i);
        verify(leaf_key.get(), kind, signed_content_, std::span(signature).first(signature_len));
        verify(ca_key_.get(), KeyKind::ecdsa_p256, leaves_[i].tbs, leaves_[i].signature);
      });
    }
    return per_handshake(cpu, params.handshakes);
  }

  // Not a floor figure: tickets add no public-key operation to a full handshake.
  Sample handshake_with_tickets(const Params&) override { return {}; }

  Sample resumed_handshake(Version, const Params& params) override {
    CpuSplit cpu;
    cpu.begin();
    for (int n = 0; n < params.handshakes; ++n) {
      PkeyPtr client_share;
      PkeyPtr server_share;
      std::array<uint8_t, 32> client_pub{};
      std::array<uint8_t, 32> server_pub{};
      cpu.run(Side::client, [&] { client_share = key_share(client_pub); });
      cpu.run(Side::server, [&] {
        server_share = key_share(server_pub);
        derive(server_share.get(), client_pub);
      });
      cpu.run(Side::client, [&] { derive(client_share.get(), server_pub); });
    }
    return per_handshake(cpu, params.handshakes);
  }

  Sample bulk(Suite suite, size_t write_size, Version, const Params& params) override {
    CipherPtr cipher(EVP_CIPHER_fetch(nullptr, cipher_name(suite), nullptr));
    check(cipher != nullptr, "EVP_CIPHER_fetch");
    std::array<uint8_t, 32> key{};
    CipherCtxPtr seal(EVP_CIPHER_CTX_new());
    CipherCtxPtr open(EVP_CIPHER_CTX_new());
    check(EVP_CipherInit_ex2(seal.get(), cipher.get(), key.data(), nullptr, 1, nullptr) == 1 &&
              EVP_CipherInit_ex2(open.get(), cipher.get(), key.data(), nullptr, 0, nullptr) == 1,
          "AEAD key");
    const size_t records = kBulkBatch / write_size;
    std::vector<uint8_t> buffer(records * write_size, 0x5a);
    std::vector<std::array<uint8_t, 16>> tags(records);
    const uint8_t aad[5] = {23, 3, 3, 0, 0};
    CpuSplit cpu;
    cpu.begin();
    uint64_t sequence = 0;
    for (size_t done = 0; done < params.bulk_bytes; done += records * write_size) {
      const uint64_t first = sequence;
      cpu.run(Side::client, [&] {
        for (size_t r = 0; r < records; ++r) {
          crypt(seal.get(), nonce(sequence++), aad,
                std::span(buffer).subspan(r * write_size, write_size), tags[r], 1);
        }
      });
      cpu.run(Side::server, [&] {
        for (size_t r = 0; r < records; ++r) {
          crypt(open.get(), nonce(first + r), aad,
                std::span(buffer).subspan(r * write_size, write_size), tags[r], 0);
        }
      });
    }
    return per_megabyte(cpu, params.bulk_bytes);
  }

  Sample idle_memory(Side, size_t, const Params&) override { return {}; }
  Sample allocs_per_record(const Params&) override { return {}; }

 private:
  PkeyPtr key_share(std::array<uint8_t, 32>& pub) {
    EVP_PKEY* key = nullptr;
    check(EVP_PKEY_keygen(keygen_.get(), &key) == 1, "X25519 keygen");
    PkeyPtr owner(key);
    size_t len = pub.size();
    check(EVP_PKEY_get_raw_public_key(key, pub.data(), &len) == 1, "X25519 public");
    return owner;
  }

  static void derive(EVP_PKEY* own, std::span<const uint8_t> peer_bytes) {
    PkeyPtr peer(EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, peer_bytes.data(),
                                                peer_bytes.size()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
    std::array<uint8_t, 32> secret{};
    size_t len = secret.size();
    check(peer && ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
              EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) == 1 &&
              EVP_PKEY_derive(ctx.get(), secret.data(), &len) == 1,
          "X25519 derive");
  }

  static void pss(EVP_PKEY_CTX* pctx, KeyKind kind) {
    if (kind != KeyKind::rsa_2048) return;
    check(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1,
          "PSS");
  }

  // The digest is fetched once, as Bastion's provider does.
  size_t sign(EVP_PKEY* key, KeyKind kind, std::vector<uint8_t>& out) {
    EVP_MD_CTX_reset(md_.get());
    EVP_PKEY_CTX* pctx = nullptr;
    check(EVP_DigestSignInit(md_.get(), &pctx, sha256_.get(), nullptr, key) == 1, "sign init");
    pss(pctx, kind);
    size_t len = out.size();
    check(EVP_DigestSign(md_.get(), out.data(), &len, signed_content_.data(),
                         signed_content_.size()) == 1,
          "sign");
    return len;
  }

  void verify(EVP_PKEY* key, KeyKind kind, std::span<const uint8_t> message,
              std::span<const uint8_t> signature) {
    EVP_MD_CTX_reset(md_.get());
    EVP_PKEY_CTX* pctx = nullptr;
    check(EVP_DigestVerifyInit(md_.get(), &pctx, sha256_.get(), nullptr, key) == 1, "verify init");
    pss(pctx, kind);
    check(EVP_DigestVerify(md_.get(), signature.data(), signature.size(), message.data(),
                           message.size()) == 1,
          "verify");
  }

  PkeyPtr import(size_t i) {
    EVP_PKEY* key = nullptr;
    check(EVP_PKEY_fromdata_init(fromdata_[i].get()) == 1 &&
              EVP_PKEY_fromdata(fromdata_[i].get(), &key, EVP_PKEY_PUBLIC_KEY,
                                leaves_[i].key_params.get()) == 1,
          "EVP_PKEY_fromdata");
    return PkeyPtr(key);
  }

  static std::array<uint8_t, 12> nonce(uint64_t sequence) {
    std::array<uint8_t, 12> n{};
    for (size_t i = 0; i < 8; ++i) n[11 - i] = static_cast<uint8_t>(sequence >> (8 * i));
    return n;
  }

  static void crypt(EVP_CIPHER_CTX* ctx, const std::array<uint8_t, 12>& iv, const uint8_t* aad,
                    std::span<uint8_t> data, std::array<uint8_t, 16>& tag, int encrypt) {
    int outl = 0;
    uint8_t none[32];
    bool ok = EVP_CipherInit_ex2(ctx, nullptr, nullptr, iv.data(), encrypt, nullptr) == 1;
    if (!encrypt) {
      ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) == 1;
    }
    ok = ok && EVP_CipherUpdate(ctx, nullptr, &outl, aad, 5) == 1 &&
         EVP_CipherUpdate(ctx, data.data(), &outl, data.data(), static_cast<int>(data.size())) ==
             1 &&
         EVP_CipherFinal_ex(ctx, none, &outl) == 1;
    if (encrypt) ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag.data()) == 1;
    check(ok, encrypt ? "AEAD seal" : "AEAD open");
  }

  PkeyCtxPtr keygen_;
  PkeyPtr ca_key_;
  PkeyPtr server_keys_[2];
  LeafFacts leaves_[2];
  PkeyCtxPtr fromdata_[2];
  MdCtxPtr md_{EVP_MD_CTX_new()};
  std::unique_ptr<EVP_MD, Freer<EVP_MD_free>> sha256_{EVP_MD_fetch(nullptr, "SHA2-256", nullptr)};
  std::vector<uint8_t> signed_content_;
};

}  // namespace

std::unique_ptr<Implementation> make_floor() {
  return std::make_unique<FloorImpl>();
}

}  // namespace bench
