// A scripted hostile peer for negative-path tests: it speaks raw records to one of our
// connections, builds messages with the msgs/ encoders, runs its own key schedule so that it can
// seal what it sends and open what our side answers, and tells which alert our side queued.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bastion/connection.hpp"
#include "crypto/provider.hpp"
#include "handshake/certificate_verify.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/traffic_secret.hpp"
#include "handshake/transcript.hpp"
#include "msgs/msgs.hpp"
#include "record/deframer.hpp"
#include "record/fragmenter.hpp"
#include "record/protector.hpp"
#include "unit/conn/loopback.hpp"

namespace bastion::test::hostile {

using Bytes = std::vector<uint8_t>;

// A record with any type, version and length field, unchecked: the point is to send what
// append_plaintext_records would refuse to write.
inline Bytes raw_record(uint8_t type, std::span<const uint8_t> body, uint16_t version = 0x0303,
                        std::optional<size_t> claimed_length = std::nullopt) {
  size_t length = claimed_length.value_or(body.size());
  Bytes out;
  out.reserve(5 + body.size());  // also keeps GCC 12's -Warray-bounds quiet at -O2
  out.assign({type, static_cast<uint8_t>(version >> 8), static_cast<uint8_t>(version),
              static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
  out.insert(out.end(), body.begin(), body.end());
  return out;
}
inline Bytes raw_record(ContentType type, std::span<const uint8_t> body,
                        uint16_t version = 0x0303) {
  return raw_record(static_cast<uint8_t>(type), body, version);
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// RFC 8446 §4.2.2: the second ClientHello echoes the HelloRetryRequest's cookie.
inline void echo_cookie(msgs::ClientHello& ch, const msgs::ServerHello& hrr) {
  for (const auto& e : hrr.extensions) {
    if (e.type == ExtensionType::cookie) ch.extensions.push_back(e);
  }
}

// A handshake message with an arbitrary type and body.
inline Bytes framed(HandshakeType type, std::span<const uint8_t> body) {
  return msgs::encode_handshake(type, body).value();
}

// One record our connection sent, opened when it was protected.
struct SentRecord {
  ContentType type = ContentType::invalid;  // the inner type for protected records
  Bytes content;
  bool opened = true;  // false: protected and our keys could not open it
};

// The role the scripted peer plays; our connection plays the other one.
enum class Plays : uint8_t { server, client };

class Peer {
 public:
  explicit Peer(Plays plays)
      : plays_(plays), provider_(default_provider()), transcript_(*provider_) {}

  const crypto::Provider& provider() const { return *provider_; }
  const handshake::CipherSuiteInfo* suite() const { return suite_; }
  handshake::Transcript& transcript() { return transcript_; }

  // --- key schedule ------------------------------------------------------------------------

  // A fresh ephemeral share; its public key goes in our ClientHello or ServerHello.
  Bytes make_share(NamedGroup group) {
    auto s = provider_->generate_key_share(group);
    EXPECT_TRUE(s.ok());
    share_ = std::move(s).value();
    auto pub = share_->public_key();
    return Bytes(pub.begin(), pub.end());
  }

  void set_suite(CipherSuite suite) {
    suite_ = handshake::find_cipher_suite(suite);
    ASSERT_NE(suite_, nullptr);
    ASSERT_TRUE(transcript_.set_hash(suite_->hash).ok());
  }

  // A resumption PSK for the key schedule of the handshake to come (RFC 8446 §7.1).
  void use_psk(std::span<const uint8_t> psk) { psk_ = Secret(psk); }

  // After ClientHello and ServerHello are in the transcript: handshake secrets, and protectors
  // for both directions (ours seals, the other side's opens).
  void derive_handshake_keys(std::span<const uint8_t> peer_public) {
    auto shared = share_->derive(peer_public);
    ASSERT_TRUE(shared.ok()) << shared.error().message();
    auto hash = transcript_.current_hash();
    hs_.emplace(handshake::EarlySecret::create(*provider_, suite_->hash, psk_.span())
                    .into_handshake_secret(shared->span()));
    client_hs_ = hs_->client_handshake_traffic_secret(hash.span());
    server_hs_ = hs_->server_handshake_traffic_secret(hash.span());
    writer_ = protector(record::Direction::seal, own_hs());
    write_secret_ = own_hs().clone();
    reader_ = protector(record::Direction::open, other_hs());
  }

  // After the server Finished is in the transcript.
  void derive_application_secrets() {
    auto hash = transcript_.current_hash();
    auto master = std::move(*hs_).into_master_secret();
    hs_.reset();
    client_ap_ = master.client_application_traffic_secret(hash.span());
    server_ap_ = master.server_application_traffic_secret(hash.span());
  }

  // verify_data for our Finished, over the transcript so far.
  Bytes finished_body() {
    handshake::Hkdf hkdf(*provider_, suite_->hash);
    auto vd = handshake::compute_verify_data(hkdf, own_hs(), transcript_.current_hash().span());
    return Bytes(vd.span().begin(), vd.span().end());
  }

  void write_with_application_keys() {
    writer_ = protector(record::Direction::seal, plays_ == Plays::server ? server_ap_ : client_ap_);
    write_secret_ = (plays_ == Plays::server ? server_ap_ : client_ap_).clone();
  }
  void read_with_application_keys() {
    reader_ = protector(record::Direction::open, plays_ == Plays::server ? client_ap_ : server_ap_);
  }
  record::RecordProtector& writer() { return *writer_; }
  // KeyUpdate of our writer (RFC 8446 §7.2), after we sent one.
  bool update_write_keys() {
    handshake::TrafficSecret next(*provider_, *suite_, write_secret_);
    next.advance();
    write_secret_ = next.secret().clone();
    return writer_->rekey(next.protection()).ok();
  }
  bool has_writer() const { return writer_.has_value(); }

  // --- sending -----------------------------------------------------------------------------

  // One protected record holding `content` with inner type `type`.
  Bytes seal(ContentType type, std::span<const uint8_t> content, size_t padding = 0) {
    Bytes out;
    EXPECT_TRUE(writer_->seal(type, content, padding, out).ok());
    return out;
  }
  // One protected record around any TLSInnerPlaintext, type and padding included, which the
  // record layer would refuse to seal (a protected change_cipher_spec, an empty handshake
  // record, an oversized inner plaintext), under the current write keys. Uses the writer's
  // next sequence number without advancing it: send nothing after it.
  Bytes seal_inner(std::span<const uint8_t> inner) {
    const auto keys = handshake::TrafficSecret(*provider_, *suite_, write_secret_).protection();
    std::array<uint8_t, crypto::kAeadNonceLength> nonce{};
    std::copy_n(keys.iv.span().begin(), nonce.size(), nonce.begin());
    for (size_t i = 0; i < 8; ++i) {
      nonce[nonce.size() - 1 - i] ^= static_cast<uint8_t>(writer_->sequence() >> (8 * i));
    }
    const size_t tag = crypto::aead_tag_length(suite_->aead);
    Bytes record = raw_record(static_cast<uint8_t>(ContentType::application_data), inner, 0x0303,
                              inner.size() + tag);
    record.resize(record.size() + tag);
    auto aead = provider_->new_aead(suite_->aead, keys.key.span());
    EXPECT_TRUE(aead.ok());
    std::span<uint8_t> all(record);
    EXPECT_TRUE((*aead)->seal(nonce, all.first(5), all.subspan(5, inner.size()), all.last(tag)));
    return record;
  }

  // A handshake message, added to the transcript, in one protected record.
  Bytes seal_message(const Bytes& message) {
    transcript_.add(message);
    return seal(ContentType::handshake, message);
  }
  // A handshake message, added to the transcript, in plaintext records.
  Bytes plain_message(const Bytes& message) {
    transcript_.add(message);
    Bytes out;
    record::append_plaintext_records(ContentType::handshake, message, out);
    return out;
  }

  // --- receiving ---------------------------------------------------------------------------

  // Takes everything `conn` wants to send and splits it into records, opening protected ones.
  // Handshake messages from the other side go to the transcript (HelloRetryRequest and the
  // other side's Finished are handled as the RFC says).
  std::vector<SentRecord> take(Connection& conn) {
    Bytes bytes(conn.pending_output().begin(), conn.pending_output().end());
    conn.consume_output(bytes.size());
    std::vector<SentRecord> out;
    record::Deframer deframer;
    std::span<uint8_t> rest(bytes);
    while (!rest.empty()) {
      auto next = deframer.next(rest);
      EXPECT_TRUE(next.ok() && next->record) << "our side sent a malformed record";
      if (!next.ok() || !next->record) break;
      auto rec = *next->record;
      rest = rest.subspan(rec.size());
      SentRecord sent;
      sent.type = rec.type;
      if (rec.type == ContentType::application_data && reader_) {
        auto opened = reader_->open(rec.bytes);
        sent.opened = opened.ok();
        if (opened.ok()) {
          sent.type = opened->type;
          sent.content.assign(opened->content.begin(), opened->content.end());
        }
      } else {
        sent.content.assign(rec.fragment.begin(), rec.fragment.end());
      }
      out.push_back(sent);
      if (sent.type == ContentType::handshake && sent.opened) {
        EXPECT_TRUE(reassembler_.push(sent.content).ok());
        while (auto m = reassembler_.next()) on_handshake(*m);
      }
    }
    return out;
  }

  // The alert our side sent last, if any.
  static std::optional<std::pair<uint8_t, Alert>> last_alert(const std::vector<SentRecord>& recs) {
    std::optional<std::pair<uint8_t, Alert>> alert;
    for (const auto& r : recs) {
      if (r.type == ContentType::alert && r.content.size() == 2) {
        alert = std::pair{r.content[0], static_cast<Alert>(r.content[1])};
      }
    }
    return alert;
  }

  const std::vector<msgs::HandshakeMessage>& received() const { return received_; }
  const std::optional<msgs::ServerHello>& server_hello() const { return server_hello_; }

 private:
  const Secret& own_hs() const { return plays_ == Plays::server ? server_hs_ : client_hs_; }
  const Secret& other_hs() const { return plays_ == Plays::server ? client_hs_ : server_hs_; }

  std::optional<record::RecordProtector> protector(record::Direction d, const Secret& secret) {
    auto p = record::RecordProtector::create(
        *provider_, d, handshake::TrafficSecret(*provider_, *suite_, secret).protection());
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }

  void on_handshake(const msgs::HandshakeMessage& m) {
    received_.push_back(m);
    if (m.type == HandshakeType::server_hello && plays_ == Plays::client) {
      auto sh = msgs::ServerHello::decode(m.body());
      ASSERT_TRUE(sh.ok());
      server_hello_ = *sh;
      if (sh->is_hello_retry_request()) {
        set_suite(sh->cipher_suite);
        ASSERT_TRUE(transcript_.replace_client_hello_with_message_hash().ok());
        transcript_.add(m.raw);
        return;
      }
      if (!suite_) set_suite(sh->cipher_suite);
      transcript_.add(m.raw);
      auto share = msgs::find_as<msgs::KeyShareServerHello>(sh->extensions);
      ASSERT_TRUE(share.ok() && share->has_value());
      derive_handshake_keys((*share)->server_share.key_exchange);
      return;
    }
    if (m.type == HandshakeType::finished) {
      transcript_.add(m.raw);
      // A scripted server derived its application secrets when it sent its own Finished.
      if (plays_ == Plays::client) derive_application_secrets();
      read_with_application_keys();
      return;
    }
    if (m.type == HandshakeType::key_update || m.type == HandshakeType::new_session_ticket) return;
    transcript_.add(m.raw);
  }

  Plays plays_;
  std::shared_ptr<const crypto::Provider> provider_;
  handshake::Transcript transcript_;
  const handshake::CipherSuiteInfo* suite_ = nullptr;
  std::unique_ptr<crypto::KeyShare> share_;
  Secret psk_;
  std::optional<handshake::HandshakeSecret> hs_;
  Secret client_hs_, server_hs_, client_ap_, server_ap_;
  std::optional<record::RecordProtector> writer_, reader_;
  Secret write_secret_;  // the writer's traffic secret
  msgs::HandshakeReassembler reassembler_;
  std::vector<msgs::HandshakeMessage> received_;
  std::optional<msgs::ServerHello> server_hello_;
};

// RFC 8446 §4.2.8.2, §7.4.2: shares that are not a valid public value of their group.
inline std::vector<std::pair<std::string, msgs::KeyShareEntry>> invalid_key_shares() {
  auto provider = default_provider();
  auto point = [&](NamedGroup g) {
    auto share = provider->generate_key_share(g);
    auto pub = (*share)->public_key();
    return Bytes(pub.begin(), pub.end());
  };
  const Bytes p256 = point(NamedGroup::secp256r1);
  Bytes off_curve = p256;
  off_curve.back() ^= 1;
  Bytes compressed(p256.begin(), p256.begin() + 33);
  compressed[0] = static_cast<uint8_t>(2 + (p256.back() & 1));
  Bytes hybrid = p256;
  hybrid[0] = static_cast<uint8_t>(6 + (p256.back() & 1));
  Bytes padded = p256;
  padded.push_back(0);
  Bytes x25519_one(32, 0);
  x25519_one[0] = 1;  // u = 1: a point of small order, the shared secret is all zeros
  const Bytes ffdhe = point(NamedGroup::ffdhe2048);
  Bytes ffdhe_one(256, 0);
  ffdhe_one.back() = 1;
  Bytes x25519_padded = point(NamedGroup::x25519);
  x25519_padded.push_back(0);
  using G = NamedGroup;
  return {
      {"x25519 empty", {G::x25519, {}}},
      {"x25519 truncated", {G::x25519, Bytes(31, 9)}},
      {"x25519 zero-padded", {G::x25519, x25519_padded}},
      {"x25519 all-zero secret", {G::x25519, Bytes(32, 0)}},
      {"x25519 small order", {G::x25519, x25519_one}},
      {"p256 empty", {G::secp256r1, {}}},
      {"p256 truncated", {G::secp256r1, Bytes(p256.begin(), p256.end() - 1)}},
      {"p256 zero-padded", {G::secp256r1, padded}},
      {"p256 not on the curve", {G::secp256r1, off_curve}},
      {"p256 point at infinity", {G::secp256r1, Bytes{0}}},
      {"p256 share of P-384", {G::secp256r1, point(G::secp384r1)}},
      {"p256 compressed", {G::secp256r1, compressed}},
      {"p256 hybrid", {G::secp256r1, hybrid}},
      {"x448 truncated", {G::x448, Bytes(55, 9)}},
      {"x448 all-zero secret", {G::x448, Bytes(56, 0)}},
      {"ffdhe2048 empty", {G::ffdhe2048, {}}},
      {"ffdhe2048 unpadded", {G::ffdhe2048, Bytes(ffdhe.begin() + 1, ffdhe.end())}},
      {"ffdhe2048 Y = 1", {G::ffdhe2048, ffdhe_one}},
      {"ffdhe2048 Y = 0", {G::ffdhe2048, Bytes(256, 0)}},
      {"ffdhe2048 above p", {G::ffdhe2048, Bytes(256, 0xff)}},
  };
}

// Expects `result` to have failed with `code`, `conn` to have queued the fatal alert `alert`
// (read through `peer`'s keys), and the connection to be dead: every later call fails the same.
// `AnyPeer`: the TLS 1.3 Peer here or the TLS 1.2 Peer12 (tls12_peer.hpp).
template <class AnyPeer>
void expect_fatal(const Result<void>& result, ErrorCode code, Alert alert, Connection& conn,
                  AnyPeer& peer) {
  ASSERT_FALSE(result.ok()) << "expected " << error_code_name(code);
  EXPECT_EQ(result.error().code, code)
      << "got " << result.error().message() << ", expected " << error_code_name(code);
  auto sent = peer.take(conn);
  for (const auto& r : sent) EXPECT_TRUE(r.opened) << "the peer cannot open what our side sent";
  auto queued = Peer::last_alert(sent);
  ASSERT_TRUE(queued.has_value()) << "no alert queued";
  EXPECT_EQ(queued->first, 2) << "alert is not fatal";
  EXPECT_EQ(queued->second, alert)
      << "sent " << alert_name(queued->second) << ", expected " << alert_name(alert);
  EXPECT_TRUE(conn.failed());
  const uint8_t more[] = {23, 3, 3, 0, 1, 0};
  auto again = conn.receive(more);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, code);
  EXPECT_TRUE(conn.pending_output().empty()) << "a dead connection sent more bytes";
  const uint8_t data[] = {'x'};
  EXPECT_FALSE(conn.write(data).ok());
  EXPECT_FALSE(conn.wants_read());
}

}  // namespace bastion::test::hostile
