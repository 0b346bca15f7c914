// The TLS 1.2 PRF and key schedule against libcrypto's own TLS1-PRF KDF (RFC 5246 §5), which is
// an independent implementation of the same function.
#include "handshake/prf.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <string>
#include <vector>

namespace bastion::handshake {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes reference_prf(const char* digest, const Bytes& secret, const std::string& label,
                    const Bytes& seed, size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  Bytes full_seed(label.begin(), label.end());
  full_seed.insert(full_seed.end(), seed.begin(), seed.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<uint8_t*>(secret.data()),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full_seed.data(), full_seed.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params), 1);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

Bytes v(crypto::Bytes b) {
  return {b.begin(), b.end()};
}

class Prf : public ::testing::Test {
 protected:
  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
  const Bytes secret_ = Bytes(48, 0x9b);
  const Bytes client_random_ = Bytes(32, 0xc1);
  const Bytes server_random_ = Bytes(32, 0x5e);
};

TEST_F(Prf, MatchesLibcryptoForEveryLengthAndHash) {
  for (size_t length : {size_t{1}, size_t{12}, size_t{31}, size_t{32}, size_t{33}, size_t{48},
                        size_t{100}, size_t{200}}) {
    SCOPED_TRACE(length);
    const Bytes seed = {1, 2, 3, 4, 5};
    const std::array<crypto::Bytes, 2> parts{crypto::Bytes(seed).first(2),
                                             crypto::Bytes(seed).subspan(2)};
    Bytes ours(length);
    prf(*provider_, crypto::HashAlg::sha256, secret_, "test label", parts, ours);
    EXPECT_EQ(ours, reference_prf("SHA256", secret_, "test label", seed, length));
    prf(*provider_, crypto::HashAlg::sha384, secret_, "test label", parts, ours);
    EXPECT_EQ(ours, reference_prf("SHA384", secret_, "test label", seed, length));
  }
}

TEST_F(Prf, MasterSecretsAndFinished) {
  Bytes randoms = client_random_;
  randoms.insert(randoms.end(), server_random_.begin(), server_random_.end());
  EXPECT_EQ(
      v(master_secret(*provider_, crypto::HashAlg::sha256, secret_, client_random_, server_random_)
            .span()),
      reference_prf("SHA256", secret_, "master secret", randoms, 48));
  const Bytes session_hash(48, 0xee);
  EXPECT_EQ(
      v(extended_master_secret(*provider_, crypto::HashAlg::sha384, secret_, session_hash).span()),
      reference_prf("SHA384", secret_, "extended master secret", session_hash, 48));
  const Secret master(secret_);
  const Bytes hash(32, 0x44);
  EXPECT_EQ(v(verify_data12(*provider_, crypto::HashAlg::sha256, master, FinishedBy::client, hash)
                  .span()),
            reference_prf("SHA256", secret_, "client finished", hash, 12));
  EXPECT_EQ(v(verify_data12(*provider_, crypto::HashAlg::sha256, master, FinishedBy::server, hash)
                  .span()),
            reference_prf("SHA256", secret_, "server finished", hash, 12));
}

TEST_F(Prf, KeyBlockIsCutInRfcOrder) {
  const Secret master(secret_);
  Bytes randoms = server_random_;
  randoms.insert(randoms.end(), client_random_.begin(), client_random_.end());
  // AES-256-GCM: two 32-byte keys, then two 4-byte salts.
  const auto* gcm = find_any_suite(CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384);
  const Bytes block = reference_prf("SHA384", secret_, "key expansion", randoms, 72);
  KeyBlock keys = key_block(*provider_, *gcm, master, client_random_, server_random_);
  EXPECT_EQ(v(keys.client_write.key.span()), Bytes(block.begin(), block.begin() + 32));
  EXPECT_EQ(v(keys.server_write.key.span()), Bytes(block.begin() + 32, block.begin() + 64));
  EXPECT_EQ(v(keys.client_write.iv.span()), Bytes(block.begin() + 64, block.begin() + 68));
  EXPECT_EQ(v(keys.server_write.iv.span()), Bytes(block.begin() + 68, block.begin() + 72));
  EXPECT_EQ(keys.client_write.nonce, record::NonceRule::explicit_sequence);
  EXPECT_EQ(keys.client_write.version, record::RecordVersion::tls12);
  // ChaCha20-Poly1305: 12-byte IVs, XORed with the sequence number (RFC 7905).
  const auto* chacha = find_any_suite(CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256);
  const Bytes block2 = reference_prf("SHA256", secret_, "key expansion", randoms, 88);
  keys = key_block(*provider_, *chacha, master, client_random_, server_random_);
  EXPECT_EQ(v(keys.server_write.iv.span()), Bytes(block2.begin() + 76, block2.end()));
  EXPECT_EQ(keys.server_write.nonce, record::NonceRule::xor_sequence);
}

TEST_F(Prf, ExporterSeedsAndReservedLabels) {
  const Secret master(secret_);
  Bytes seed = client_random_;
  seed.insert(seed.end(), server_random_.begin(), server_random_.end());
  Bytes out(20);
  ASSERT_TRUE(export_keying_material12(*provider_, crypto::HashAlg::sha256, master, "EXPORTER-test",
                                       client_random_, server_random_, nullptr, out));
  EXPECT_EQ(out, reference_prf("SHA256", secret_, "EXPORTER-test", seed, 20));
  const Bytes context = {'c', 't', 'x'};
  const crypto::Bytes ctx(context);
  ASSERT_TRUE(export_keying_material12(*provider_, crypto::HashAlg::sha256, master, "EXPORTER-test",
                                       client_random_, server_random_, &ctx, out));
  seed.insert(seed.end(), {0, 3, 'c', 't', 'x'});
  EXPECT_EQ(out, reference_prf("SHA256", secret_, "EXPORTER-test", seed, 20));
  EXPECT_FALSE(export_keying_material12(*provider_, crypto::HashAlg::sha256, master,
                                        "key expansion", client_random_, server_random_, nullptr,
                                        out));
}

}  // namespace
}  // namespace bastion::handshake
