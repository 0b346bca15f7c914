// Record protection against the protected records of RFC 8448 §3 and §4 (with 0-RTT data and
// EndOfEarlyData): every record is opened in place and compared with its published payload, and
// every payload is sealed and compared with the published record, byte for byte.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "crypto/provider.hpp"
#include "handshake/traffic_secret.hpp"
#include "record/protector.hpp"
#include "vectors/rfc8448.hpp"

namespace bastion::record {
namespace {

using test::Rfc8448;

struct TraceRecord {
  std::string_view step;
  int occurrence;
  ContentType type;
};

struct TraceDirection {
  std::string_view section;
  std::string_view secret_step;  // where the traffic secret is ("expanded")
  std::string_view keys_step;    // where its key and IV are
  std::vector<TraceRecord> records;
};

constexpr auto kSimple = Rfc8448::kSimple;
constexpr auto kResumed = Rfc8448::kResumed;

// Each traffic secret of the traces and the records protected under it, in order.
const std::vector<TraceDirection>& trace_directions() {
  static const std::vector<TraceDirection> directions = {
      {kSimple,
       R"({server}  derive secret "tls13 s hs traffic")",
       "{server}  derive write traffic keys for handshake data",
       {{"{server}  send handshake record", 1, ContentType::handshake}}},
      {kSimple,
       R"({server}  derive secret "tls13 c hs traffic")",
       "{server}  derive read traffic keys for handshake data",
       {{"{client}  send handshake record", 1, ContentType::handshake}}},
      {kSimple,
       R"({server}  derive secret "tls13 s ap traffic")",
       "{server}  derive write traffic keys for application data",
       {{"{server}  send handshake record", 2, ContentType::handshake},
        {"{server}  send application_data record", 0, ContentType::application_data},
        {"{server}  send alert record", 0, ContentType::alert}}},
      {kSimple,
       R"({server}  derive secret "tls13 c ap traffic")",
       "{client}  derive write traffic keys for application data",
       {{"{client}  send application_data record", 0, ContentType::application_data},
        {"{client}  send alert record", 0, ContentType::alert}}},
      // §4: 0-RTT data, then EndOfEarlyData, under the client's early traffic secret.
      {kResumed,
       R"({client}  derive secret "tls13 c e traffic")",
       "{client}  derive write traffic keys for early application data",
       {{"{client}  send application_data record", 0, ContentType::application_data},
        {"{client}  send handshake record", 1, ContentType::handshake}}},
      {kResumed,
       R"({server}  derive secret "tls13 s hs traffic")",
       "{server}  derive write traffic keys for handshake data",
       {{"{server}  send handshake record", 1, ContentType::handshake}}},
      {kResumed,
       R"({server}  derive secret "tls13 c hs traffic")",
       "{client}  derive write traffic keys for handshake data",
       {{"{client}  send handshake record", 2, ContentType::handshake}}},
      {kResumed,
       R"({server}  derive secret "tls13 s ap traffic")",
       "{server}  derive write traffic keys for application data",
       {{"{server}  send application_data record", 0, ContentType::application_data},
        {"{server}  send alert record", 0, ContentType::alert}}},
      {kResumed,
       R"({server}  derive secret "tls13 c ap traffic")",
       "{client}  derive write traffic keys for application data",
       {{"{client}  send application_data record", 1, ContentType::application_data},
        {"{client}  send alert record", 0, ContentType::alert}}},
  };
  return directions;
}

class Rfc8448Record : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Rfc8448::instance().loaded()); }

  static std::vector<uint8_t> get(const TraceDirection& d, std::string_view step,
                                  std::string_view field, int n = 0) {
    return Rfc8448::instance().get(d.section, step, field, n);
  }
  static Secret secret_of(const TraceDirection& d) {
    return Secret(get(d, d.secret_step, "expanded"));
  }

  // The key and IV of the trace, as the handshake hands them to the record layer.
  static Protection protection_of(const TraceDirection& d) {
    Protection p;
    p.aead = crypto::AeadAlg::aes_128_gcm;
    p.key = Secret(get(d, d.keys_step, "key expanded"));
    p.iv = Secret(get(d, d.keys_step, "iv expanded"));
    return p;
  }

  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
};

TEST_F(Rfc8448Record, TrafficKeysAndIvs) {
  for (const TraceDirection& d : trace_directions()) {
    SCOPED_TRACE(std::string(d.section) + " " + std::string(d.secret_step));
    const Protection keys =
        handshake::traffic_protection(handshake::Hkdf(*provider_, crypto::HashAlg::sha256),
                                      crypto::AeadAlg::aes_128_gcm, secret_of(d));
    EXPECT_EQ(std::vector<uint8_t>(keys.key.span().begin(), keys.key.span().end()),
              get(d, d.keys_step, "key expanded"));
    EXPECT_EQ(std::vector<uint8_t>(keys.iv.span().begin(), keys.iv.span().end()),
              get(d, d.keys_step, "iv expanded"));
  }
}

TEST_F(Rfc8448Record, OpensEveryRecordInPlace) {
  for (const TraceDirection& d : trace_directions()) {
    SCOPED_TRACE(std::string(d.section) + " " + std::string(d.secret_step));
    auto opener = RecordProtector::create(*provider_, Direction::open, protection_of(d));
    ASSERT_TRUE(opener) << opener.error().message();
    uint64_t seq = 0;
    for (const TraceRecord& r : d.records) {
      SCOPED_TRACE(r.step);
      std::vector<uint8_t> record = get(d, r.step, "complete record", r.occurrence);
      const std::vector<uint8_t> payload = get(d, r.step, "payload", r.occurrence);
      auto opened = opener->open(record);
      ASSERT_TRUE(opened) << opened.error().message();
      EXPECT_EQ(opened->type, r.type);
      EXPECT_EQ(std::vector<uint8_t>(opened->content.begin(), opened->content.end()), payload);
      // In place: the content is a view into the record, just after the header.
      EXPECT_EQ(opened->content.data(), record.data() + RecordProtector::kHeaderLength);
      EXPECT_EQ(opener->sequence(), ++seq);
    }
  }
}

TEST_F(Rfc8448Record, SealsEveryRecordByteForByte) {
  for (const TraceDirection& d : trace_directions()) {
    SCOPED_TRACE(std::string(d.section) + " " + std::string(d.secret_step));
    auto sealer = RecordProtector::create(*provider_, Direction::seal, protection_of(d));
    ASSERT_TRUE(sealer) << sealer.error().message();
    for (const TraceRecord& r : d.records) {
      SCOPED_TRACE(r.step);
      const std::vector<uint8_t> payload = get(d, r.step, "payload", r.occurrence);
      std::vector<uint8_t> out = {0xaa};  // appends after what is there
      ASSERT_TRUE(sealer->seal(r.type, payload, 0, out));
      std::vector<uint8_t> expected = {0xaa};
      const std::vector<uint8_t> record = get(d, r.step, "complete record", r.occurrence);
      expected.insert(expected.end(), record.begin(), record.end());
      EXPECT_EQ(out, expected);
    }
  }
}

TEST_F(Rfc8448Record, SealsInPlaceIntoASendBuffer) {
  const TraceDirection& d = trace_directions()[3];
  auto sealer = RecordProtector::create(*provider_, Direction::seal, protection_of(d));
  ASSERT_TRUE(sealer);
  std::vector<uint8_t> send;
  for (const TraceRecord& r : d.records) {
    const std::vector<uint8_t> payload = get(d, r.step, "payload", r.occurrence);
    const size_t start = send.size();
    send.resize(start + sealer->sealed_size(payload.size(), 0));
    std::copy(payload.begin(), payload.end(),
              send.begin() + static_cast<std::ptrdiff_t>(start + RecordProtector::kHeaderLength));
    ASSERT_TRUE(
        sealer->seal_in_place(r.type, std::span<uint8_t>(send).subspan(start), payload.size(), 0));
  }
  std::vector<uint8_t> expected = get(d, d.records[0].step, "complete record");
  const std::vector<uint8_t> second = get(d, d.records[1].step, "complete record");
  expected.insert(expected.end(), second.begin(), second.end());
  EXPECT_EQ(send, expected);
}

}  // namespace
}  // namespace bastion::record
