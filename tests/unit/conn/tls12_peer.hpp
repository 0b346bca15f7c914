// A scripted TLS 1.2 peer for hostile tests: it builds each message of either role, sends
// them in plaintext or under its keys once its change_cipher_spec is out, and reads what our
// connection sends back, opening it after our change_cipher_spec. It computes the same key
// schedule as a real peer (handshake/prf.hpp), so tests can send anything, valid or not.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "bastion/connection.hpp"
#include "crypto/provider.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/prf.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/tls12_common.hpp"
#include "handshake/transcript.hpp"
#include "msgs/msgs.hpp"
#include "record/deframer.hpp"
#include "record/fragmenter.hpp"
#include "record/protector.hpp"
#include "unit/conn/hostile_peer.hpp"

namespace bastion::test::hostile {

class Peer12 {
 public:
  explicit Peer12(Plays plays)
      : plays_(plays), provider_(default_provider()), transcript_(*provider_) {}

  const crypto::Provider& provider() const { return *provider_; }
  handshake::Transcript& transcript() { return transcript_; }
  const std::array<uint8_t, 32>& client_random() const { return client_random_; }
  const std::array<uint8_t, 32>& server_random() const { return server_random_; }
  void set_server_random(const std::array<uint8_t, 32>& r) { server_random_ = r; }
  void set_client_random(const std::array<uint8_t, 32>& r) { client_random_ = r; }
  void set_extended_master_secret(bool on) { ems_ = on; }

  void set_suite(CipherSuite suite) {
    suite_ = handshake::find_any_suite(suite);
    ASSERT_NE(suite_, nullptr);
    ASSERT_TRUE(transcript_.set_hash(suite_->hash).ok());
  }

  // A fresh ECDHE share; its public key goes in our ServerKeyExchange or ClientKeyExchange.
  Bytes make_share(NamedGroup group) {
    auto s = provider_->generate_key_share(group);
    EXPECT_TRUE(s.ok());
    share_ = std::move(s).value();
    auto pub = share_->public_key();
    return Bytes(pub.begin(), pub.end());
  }

  // --- sending -----------------------------------------------------------------------------

  // A handshake message, added to the transcript, in plaintext records or sealed once our
  // change_cipher_spec went out.
  Bytes message(const Bytes& encoded) {
    transcript_.add(encoded);
    on_sent(encoded);
    return record(ContentType::handshake, encoded);
  }
  // A record of any type, sealed once our change_cipher_spec went out, not in the transcript.
  Bytes record(ContentType type, std::span<const uint8_t> content) {
    if (!writer_) {
      Bytes out;
      record::append_plaintext_records(type, content, out);
      return out;
    }
    Bytes out;
    EXPECT_TRUE(writer_->seal(type, content, 0, out).ok());
    return out;
  }
  // Our change_cipher_spec, after which we seal with our keys (derived at the key exchange).
  Bytes change_cipher_spec() {
    Bytes out = raw_record(ContentType::change_cipher_spec, Bytes{1});
    EXPECT_TRUE(keys_.has_value()) << "change_cipher_spec before the key exchange";
    if (keys_) writer_ = protector(record::Direction::seal, own_write());
    return out;
  }
  // Our Finished over the transcript so far (RFC 5246 §7.4.9); `tamper` flips a bit.
  Bytes finished(bool tamper = false) {
    Secret vd = handshake::verify_data12(
        *provider_, suite_->hash, master_,
        plays_ == Plays::client ? handshake::FinishedBy::client : handshake::FinishedBy::server,
        transcript_.current_hash().span());
    Bytes body(vd.span().begin(), vd.span().end());
    if (tamper) body[0] ^= 1;
    return message(msgs::encode_message(msgs::Finished{body}).value());
  }

  // --- receiving ---------------------------------------------------------------------------

  // Takes everything `conn` wants to send, opening records after its change_cipher_spec.
  std::vector<SentRecord> take(Connection& conn) {
    Bytes bytes(conn.pending_output().begin(), conn.pending_output().end());
    conn.consume_output(bytes.size());
    std::vector<SentRecord> out;
    record::Deframer deframer(
        record::DeframerLimits{limits::kMaxCiphertext12, limits::kMaxCiphertext12});
    std::span<uint8_t> rest(bytes);
    while (!rest.empty()) {
      auto next = deframer.next(rest);
      EXPECT_TRUE(next.ok() && next->record) << "our side sent a malformed record";
      if (!next.ok() || !next->record) break;
      auto rec = *next->record;
      rest = rest.subspan(rec.size());
      SentRecord sent;
      sent.type = rec.type;
      if (rec.type == ContentType::change_cipher_spec) {
        ccs_received_ = true;
        if (keys_) reader_ = protector(record::Direction::open, other_write());
        sent.content.assign(rec.fragment.begin(), rec.fragment.end());
      } else if (reader_) {
        auto opened = reader_->open(rec.bytes);
        sent.opened = opened.ok();
        if (opened.ok()) sent.content.assign(opened->content.begin(), opened->content.end());
      } else {
        sent.content.assign(rec.fragment.begin(), rec.fragment.end());
      }
      out.push_back(sent);
      if (sent.type == ContentType::handshake && sent.opened) {
        EXPECT_TRUE(reassembler_.push(sent.content).ok());
        while (auto m = reassembler_.next()) on_received(*m);
      }
    }
    return out;
  }

  const std::vector<msgs::HandshakeMessage>& received() const { return received_; }
  bool ccs_received() const { return ccs_received_; }
  // The key block of both directions, once the key exchange is done.
  const handshake::KeyBlock& keys() const { return *keys_; }
  // Whether the other side's Finished verified against our key schedule.
  bool peer_finished_verified() const { return peer_finished_ok_; }

 private:
  std::optional<record::RecordProtector> protector(record::Direction d,
                                                   const record::Protection& keys) {
    auto p = record::RecordProtector::create(*provider_, d, keys.clone());
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }
  const record::Protection& own_write() const {
    return plays_ == Plays::client ? keys_->client_write : keys_->server_write;
  }
  const record::Protection& other_write() const {
    return plays_ == Plays::client ? keys_->server_write : keys_->client_write;
  }

  // The master secret once the ClientKeyExchange is in the transcript (RFC 7627 §4).
  void derive(std::span<const uint8_t> peer_public) {
    auto pre_master = share_->derive(peer_public);
    // A test that sends a point of another curve expects no keys: the other side refuses it.
    if (!pre_master.ok()) return;
    derive_from(pre_master->span());
  }

 public:
  // Playing the client of an RSA key-transport suite: a ClientKeyExchange carrying
  // `ciphertext`, with our keys from `pre_master` (what we claim to have encrypted).
  Bytes rsa_key_exchange(const Bytes& ciphertext, std::span<const uint8_t> pre_master) {
    Bytes out = message(msgs::encode_message(msgs::ClientKeyExchangeRsa{ciphertext}).value());
    derive_from(pre_master);
    return out;
  }

 private:
  void derive_from(std::span<const uint8_t> pre_master) {
    master_ = ems_ ? handshake::extended_master_secret(*provider_, suite_->hash, pre_master,
                                                       transcript_.current_hash().span())
                   : handshake::master_secret(*provider_, suite_->hash, pre_master, client_random_,
                                              server_random_);
    keys_.emplace(
        handshake::key_block(*provider_, *suite_, master_, client_random_, server_random_));
  }

  // Playing the client, the key exchange is done once our ClientKeyExchange is out.
  void on_sent(const Bytes& encoded) {
    const bool cke =
        !encoded.empty() && encoded[0] == static_cast<uint8_t>(HandshakeType::client_key_exchange);
    if (cke && plays_ == Plays::client && share_ && server_public_) derive(*server_public_);
  }

  void on_received(const msgs::HandshakeMessage& m) {
    received_.push_back(m);
    switch (m.type) {
      case HandshakeType::client_hello: {
        auto ch = msgs::ClientHello::decode(m.body());
        ASSERT_TRUE(ch.ok());
        client_random_ = ch->random;
        transcript_.add(m.raw);
        return;
      }
      case HandshakeType::server_hello: {
        auto sh = msgs::ServerHello::decode(m.body());
        ASSERT_TRUE(sh.ok());
        server_random_ = sh->random;
        ems_ = msgs::contains(sh->extensions, ExtensionType::extended_master_secret);
        set_suite(sh->cipher_suite);
        transcript_.add(m.raw);
        return;
      }
      case HandshakeType::server_key_exchange: {
        auto ske = msgs::ServerKeyExchangeEcdhe::decode(m.body());
        ASSERT_TRUE(ske.ok());
        server_public_ = ske->public_key;
        server_group_ = ske->group;
        transcript_.add(m.raw);
        return;
      }
      case HandshakeType::client_key_exchange: {
        auto cke = msgs::ClientKeyExchangeEcdhe::decode(m.body());
        ASSERT_TRUE(cke.ok());
        transcript_.add(m.raw);
        derive(cke->public_key);
        return;
      }
      case HandshakeType::finished: {
        Secret expected = handshake::verify_data12(
            *provider_, suite_->hash, master_,
            plays_ == Plays::client ? handshake::FinishedBy::server : handshake::FinishedBy::client,
            transcript_.current_hash().span());
        peer_finished_ok_ = m.body().size() == expected.size() &&
                            std::equal(m.body().begin(), m.body().end(), expected.span().begin());
        transcript_.add(m.raw);
        return;
      }
      default:
        transcript_.add(m.raw);
    }
  }

 public:
  // The group of the server's ServerKeyExchange, once read (playing the client).
  std::optional<NamedGroup> server_group_;

 private:
  Plays plays_;
  std::shared_ptr<const crypto::Provider> provider_;
  handshake::Transcript transcript_;
  const handshake::CipherSuiteInfo* suite_ = nullptr;
  std::unique_ptr<crypto::KeyShare> share_;
  std::optional<Bytes> server_public_;
  std::array<uint8_t, 32> client_random_{};
  std::array<uint8_t, 32> server_random_{};
  bool ems_ = true;
  Secret master_;
  std::optional<handshake::KeyBlock> keys_;
  std::optional<record::RecordProtector> writer_, reader_;
  msgs::HandshakeReassembler reassembler_;
  std::vector<msgs::HandshakeMessage> received_;
  bool ccs_received_ = false;
  bool peer_finished_ok_ = false;
};

}  // namespace bastion::test::hostile
