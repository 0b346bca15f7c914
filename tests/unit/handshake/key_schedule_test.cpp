#include "handshake/key_schedule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "handshake/cipher_suite.hpp"
#include "handshake/traffic_secret.hpp"

namespace bastion::handshake {
namespace {

// The stages are move-only: a used stage cannot be copied and reused.
static_assert(!std::is_copy_constructible_v<EarlySecret>);
static_assert(!std::is_copy_constructible_v<HandshakeSecret>);
static_assert(!std::is_copy_constructible_v<MasterSecret>);
static_assert(std::is_nothrow_move_constructible_v<MasterSecret>);
static_assert(!std::is_default_constructible_v<FinishedVerified>);

constexpr auto kSha256 = crypto::HashAlg::sha256;
constexpr auto kSha384 = crypto::HashAlg::sha384;

std::vector<uint8_t> v(crypto::Bytes b) {
  return {b.begin(), b.end()};
}

class KeySchedule : public ::testing::Test {
 protected:
  // HKDF-Expand-Label built by hand from the provider's HKDF-Expand (RFC 8446 §7.1).
  std::vector<uint8_t> expand_label(crypto::HashAlg alg, crypto::Bytes secret,
                                    std::string_view label, crypto::Bytes context,
                                    size_t length) const {
    std::vector<uint8_t> info = {static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length),
                                 static_cast<uint8_t>(6 + label.size())};
    const std::string full = "tls13 " + std::string(label);
    info.insert(info.end(), full.begin(), full.end());
    info.push_back(static_cast<uint8_t>(context.size()));
    info.insert(info.end(), context.begin(), context.end());
    std::vector<uint8_t> out(length);
    provider_->hkdf_expand(alg, secret, info, out);
    return out;
  }
  std::vector<uint8_t> hash(crypto::HashAlg alg, crypto::Bytes data) const {
    std::vector<uint8_t> out(crypto::hash_length(alg));
    provider_->hash(alg, data, out);
    return out;
  }

  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
};

TEST(CipherSuites, Table) {
  const CipherSuiteInfo* aes128 = find_cipher_suite(CipherSuite::tls_aes_128_gcm_sha256);
  ASSERT_NE(aes128, nullptr);
  EXPECT_EQ(aes128->aead, crypto::AeadAlg::aes_128_gcm);
  EXPECT_EQ(aes128->hash, kSha256);
  EXPECT_EQ(aes128->key_length, 16u);
  const CipherSuiteInfo* aes256 = find_cipher_suite(CipherSuite::tls_aes_256_gcm_sha384);
  ASSERT_NE(aes256, nullptr);
  EXPECT_EQ(aes256->aead, crypto::AeadAlg::aes_256_gcm);
  EXPECT_EQ(aes256->hash, kSha384);
  EXPECT_EQ(aes256->key_length, 32u);
  EXPECT_EQ(aes256->hash_length, 48u);
  const CipherSuiteInfo* chacha = find_cipher_suite(CipherSuite::tls_chacha20_poly1305_sha256);
  ASSERT_NE(chacha, nullptr);
  EXPECT_EQ(chacha->aead, crypto::AeadAlg::chacha20_poly1305);
  EXPECT_EQ(chacha->key_length, 32u);
  for (const CipherSuiteInfo& s : kCipherSuites) {
    EXPECT_EQ(s.key_length, crypto::aead_key_length(s.aead));
    EXPECT_EQ(s.hash_length, crypto::hash_length(s.hash));
  }
  const CipherSuiteInfo* ccm8 = find_cipher_suite(CipherSuite::tls_aes_128_ccm_8_sha256);
  ASSERT_NE(ccm8, nullptr);
  EXPECT_EQ(ccm8->aead, crypto::AeadAlg::aes_128_ccm_8);
  EXPECT_EQ(crypto::aead_tag_length(ccm8->aead), 8u);
  EXPECT_EQ(find_cipher_suite(static_cast<CipherSuite>(0x1306)), nullptr);
  EXPECT_EQ(find_cipher_suite(static_cast<CipherSuite>(0xc02f)), nullptr);
  static_assert(find_cipher_suite(CipherSuite::tls_aes_256_gcm_sha384)->key_length == 32);
}

TEST_F(KeySchedule, Sha384ChainMatchesTheDefinition) {
  // RFC 8446 §7.1 computed step by step with the provider's primitives.
  const std::vector<uint8_t> zeros(48, 0), ecdhe(48, 0x33), hello_hash(48, 0x44);
  EarlySecret early = EarlySecret::create(*provider_, kSha384);
  std::vector<uint8_t> early_expected(48);
  provider_->hkdf_extract(kSha384, {}, zeros, early_expected);
  EXPECT_EQ(v(early.secret().span()), early_expected);

  const auto empty_hash = hash(kSha384, {});
  const auto derived = expand_label(kSha384, early_expected, "derived", empty_hash, 48);
  std::vector<uint8_t> handshake_expected(48);
  provider_->hkdf_extract(kSha384, derived, ecdhe, handshake_expected);
  HandshakeSecret handshake = std::move(early).into_handshake_secret(ecdhe);
  EXPECT_TRUE(early.secret().empty());  // NOLINT(bugprone-use-after-move): the stage is spent
  EXPECT_EQ(v(handshake.secret().span()), handshake_expected);
  EXPECT_EQ(v(handshake.server_handshake_traffic_secret(hello_hash).span()),
            expand_label(kSha384, handshake_expected, "s hs traffic", hello_hash, 48));

  const auto derived2 = expand_label(kSha384, handshake_expected, "derived", empty_hash, 48);
  std::vector<uint8_t> master_expected(48);
  provider_->hkdf_extract(kSha384, derived2, zeros, master_expected);
  MasterSecret master = std::move(handshake).into_master_secret();
  EXPECT_EQ(v(master.secret().span()), master_expected);
  EXPECT_EQ(master.client_application_traffic_secret(hello_hash).size(), 48u);
}

// The whole chain for each hash, step by step with the provider's one-shot primitives: SHA-256
// and SHA-384 take Hash(""), the no-PSK Early Secret and its "derived" salt from constants,
// SHA-512 computes them.
TEST_F(KeySchedule, ChainMatchesTheDefinitionForEachHash) {
  for (crypto::HashAlg alg : {kSha256, kSha384, crypto::HashAlg::sha512}) {
    const size_t n = crypto::hash_length(alg);
    const std::vector<uint8_t> zeros(n, 0), ecdhe(32, 0x33), hello_hash(n, 0x44),
        finished_hash(n, 0x55), client_finished_hash(n, 0x66);
    std::vector<uint8_t> early_expected(n);
    provider_->hkdf_extract(alg, {}, zeros, early_expected);
    const auto empty_hash = hash(alg, {});
    const auto derived = expand_label(alg, early_expected, "derived", empty_hash, n);
    std::vector<uint8_t> hs(n);
    provider_->hkdf_extract(alg, derived, ecdhe, hs);
    const auto derived2 = expand_label(alg, hs, "derived", empty_hash, n);
    std::vector<uint8_t> ms(n);
    provider_->hkdf_extract(alg, derived2, zeros, ms);

    for (bool explicit_zero_psk : {false, true}) {
      EarlySecret early = explicit_zero_psk ? EarlySecret::create(*provider_, alg, zeros)
                                            : EarlySecret::create(*provider_, alg);
      EXPECT_EQ(v(early.secret().span()), early_expected);
      HandshakeSecret handshake = std::move(early).into_handshake_secret(ecdhe);
      EXPECT_EQ(v(handshake.secret().span()), hs);
      EXPECT_EQ(v(handshake.client_handshake_traffic_secret(hello_hash).span()),
                expand_label(alg, hs, "c hs traffic", hello_hash, n));
      EXPECT_EQ(v(handshake.server_handshake_traffic_secret(hello_hash).span()),
                expand_label(alg, hs, "s hs traffic", hello_hash, n));
      MasterSecret master = std::move(handshake).into_master_secret();
      EXPECT_TRUE(handshake.secret().empty());  // NOLINT(bugprone-use-after-move): spent
      EXPECT_EQ(v(master.secret().span()), ms);
      EXPECT_EQ(v(master.client_application_traffic_secret(finished_hash).span()),
                expand_label(alg, ms, "c ap traffic", finished_hash, n));
      EXPECT_EQ(v(master.server_application_traffic_secret(finished_hash).span()),
                expand_label(alg, ms, "s ap traffic", finished_hash, n));
      EXPECT_EQ(v(master.exporter_master_secret(finished_hash).span()),
                expand_label(alg, ms, "exp master", finished_hash, n));
      const Secret base(std::vector<uint8_t>(n, 0x44));
      auto proof =
          verify_finished(master.hkdf(), base, client_finished_hash,
                          compute_verify_data(master.hkdf(), base, client_finished_hash).span());
      ASSERT_TRUE(proof);
      EXPECT_EQ(v(master.resumption_master_secret(client_finished_hash, *proof).span()),
                expand_label(alg, ms, "res master", client_finished_hash, n));
    }
  }
}

// With a PSK the Early Secret and its "derived" salt are computed, not taken from constants.
TEST_F(KeySchedule, PskChainMatchesTheDefinition) {
  const std::vector<uint8_t> psk(32, 0x17), ecdhe(32, 0x33);
  std::vector<uint8_t> early_expected(32);
  provider_->hkdf_extract(kSha256, {}, psk, early_expected);
  const auto derived = expand_label(kSha256, early_expected, "derived", hash(kSha256, {}), 32);
  std::vector<uint8_t> hs(32);
  provider_->hkdf_extract(kSha256, derived, ecdhe, hs);
  EarlySecret early = EarlySecret::create(*provider_, kSha256, psk);
  EXPECT_EQ(v(early.secret().span()), early_expected);
  EXPECT_EQ(v(std::move(early).into_handshake_secret(ecdhe).secret().span()), hs);
}

TEST_F(KeySchedule, PskOnlyHandshakeUsesZeros) {
  const std::vector<uint8_t> psk(32, 7);
  HandshakeSecret a = EarlySecret::create(*provider_, kSha256, psk).into_handshake_secret({});
  HandshakeSecret b =
      EarlySecret::create(*provider_, kSha256, psk).into_handshake_secret(std::vector<uint8_t>(32));
  EXPECT_EQ(v(a.secret().span()), v(b.secret().span()));
}

TEST_F(KeySchedule, BinderKeysDifferByKind) {
  EarlySecret early = EarlySecret::create(*provider_, kSha256, std::vector<uint8_t>(32, 9));
  const auto empty_hash = hash(kSha256, {});
  EXPECT_EQ(v(early.binder_key(PskKind::external).span()),
            expand_label(kSha256, early.secret().span(), "ext binder", empty_hash, 32));
  EXPECT_EQ(v(early.binder_key(PskKind::resumption).span()),
            expand_label(kSha256, early.secret().span(), "res binder", empty_hash, 32));
}

TEST_F(KeySchedule, NextApplicationTrafficSecret) {
  const Secret current(std::vector<uint8_t>(48, 0x21));
  TrafficSecret traffic(*provider_, *find_cipher_suite(CipherSuite::tls_aes_256_gcm_sha384),
                        current);
  traffic.advance();
  const Secret next = traffic.secret().clone();
  EXPECT_EQ(v(next.span()), expand_label(kSha384, current.span(), "traffic upd", {}, 48));
  traffic.advance();
  EXPECT_NE(v(traffic.secret().span()), v(next.span()));
  // The keys follow the secret (RFC 8446 §7.3).
  EXPECT_EQ(v(traffic.protection().key.span()),
            expand_label(kSha384, traffic.secret().span(), "key", {}, 32));
}

TEST_F(KeySchedule, Exporter) {
  const Hkdf hkdf(*provider_, kSha256);
  const Secret exporter_master(std::vector<uint8_t>(32, 0x5e));
  const std::vector<uint8_t> context = {'c', 't', 'x'};
  std::vector<uint8_t> out(42);
  ASSERT_TRUE(export_keying_material(hkdf, exporter_master, "EXPORTER-test", context, out));
  // RFC 8446 §7.5 by hand.
  const auto derived =
      expand_label(kSha256, exporter_master.span(), "EXPORTER-test", hash(kSha256, {}), 32);
  EXPECT_EQ(out, expand_label(kSha256, derived, "exporter", hash(kSha256, context), 42));

  // An empty context is hashed too (it differs from no context only in TLS 1.2).
  std::vector<uint8_t> empty_ctx(42);
  ASSERT_TRUE(export_keying_material(hkdf, exporter_master, "EXPORTER-test", {}, empty_ctx));
  EXPECT_EQ(empty_ctx, expand_label(kSha256, derived, "exporter", hash(kSha256, {}), 42));
  EXPECT_NE(empty_ctx, out);

  std::vector<uint8_t> too_long(255 * 32 + 1);
  auto r = export_keying_material(hkdf, exporter_master, "x", {}, too_long);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::illegal_parameter);
  EXPECT_FALSE(export_keying_material(hkdf, exporter_master, std::string(250, 'l'), {}, out));
  EXPECT_TRUE(export_keying_material(hkdf, exporter_master, std::string(249, 'l'), {}, out));
}

TEST_F(KeySchedule, ResumptionPskNonceBound) {
  const Hkdf hkdf(*provider_, kSha256);
  const Secret res(std::vector<uint8_t>(32, 1));
  EXPECT_TRUE(resumption_psk(hkdf, res, std::vector<uint8_t>(255)));
  auto r = resumption_psk(hkdf, res, std::vector<uint8_t>(256));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::decode_error);
  const PreparedSecret prepared(hkdf, res);
  EXPECT_TRUE(resumption_psk(prepared, std::vector<uint8_t>(255)));
  auto p = resumption_psk(prepared, std::vector<uint8_t>(256));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::decode_error);
}

// The resumption master secret keyed once gives each ticket the PSK of the definition.
TEST_F(KeySchedule, PreparedResumptionPskMatchesTheDefinition) {
  for (const auto alg : {kSha256, kSha384}) {
    const Hkdf hkdf(*provider_, alg);
    const size_t n = crypto::hash_length(alg);
    const Secret res(std::vector<uint8_t>(n, 0x42));
    const PreparedSecret prepared(hkdf, res);
    for (uint8_t nonce = 0; nonce < 3; ++nonce) {
      const std::vector<uint8_t> ticket_nonce = {nonce};
      auto psk = resumption_psk(prepared, ticket_nonce);
      ASSERT_TRUE(psk);
      EXPECT_EQ(v(psk->span()), expand_label(alg, res.span(), "resumption", ticket_nonce, n));
      auto one_shot = resumption_psk(hkdf, res, ticket_nonce);
      ASSERT_TRUE(one_shot);
      EXPECT_EQ(v(psk->span()), v(one_shot->span()));
    }
  }
}

}  // namespace
}  // namespace bastion::handshake
