// Malformed input never crashes a decoder: every truncation of the RFC 8448 messages, every
// single-byte change, and pseudo-random bytes fed to every decoder. Run under ASan/UBSan too.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "msgs/msgs.hpp"
#include "unit/msgs/rfc8448_vectors.hpp"
#include "unit/msgs/test_util.hpp"

namespace bastion::msgs {
namespace {

using testing::body_of;
using Decoder = std::function<bool(Bytes)>;

template <class T>
Decoder decoder() {
  return [](Bytes b) {
    auto r = T::decode(b);
    if (r.ok()) (void)r->encode().value();
    return r.ok();
  };
}

Decoder finished_decoder() {
  return [](Bytes b) { return Finished::decode(b, 32).ok(); };
}

struct Vector {
  const char* name;
  std::string_view hex;
  Decoder decode;
};

std::vector<Vector> vectors() {
  return {
      {"ClientHello", rfc8448::kClientHello, decoder<ClientHello>()},
      {"ResumptionClientHello", rfc8448::kResumptionClientHello, decoder<ClientHello>()},
      {"ServerHello", rfc8448::kServerHello, decoder<ServerHello>()},
      {"HelloRetryRequest", rfc8448::kHelloRetryRequest, decoder<ServerHello>()},
      {"EncryptedExtensions", rfc8448::kEncryptedExtensions, decoder<EncryptedExtensions>()},
      {"Certificate", rfc8448::kCertificate, decoder<Certificate>()},
      {"CertificateRequest", rfc8448::kCertificateRequest, decoder<CertificateRequest>()},
      {"CertificateVerify", rfc8448::kCertificateVerify, decoder<CertificateVerify>()},
      {"Finished", rfc8448::kServerFinished, finished_decoder()},
      {"NewSessionTicket", rfc8448::kNewSessionTicket, decoder<NewSessionTicket>()},
  };
}

std::vector<Decoder> all_decoders() {
  return {decoder<ClientHello>(),
          decoder<ServerHello>(),
          decoder<EncryptedExtensions>(),
          decoder<Certificate>(),
          decoder<CertificateRequest>(),
          decoder<CertificateVerify>(),
          finished_decoder(),
          decoder<NewSessionTicket>(),
          decoder<KeyUpdate>(),
          decoder<EndOfEarlyData>(),
          decoder<ServerName>(),
          decoder<ServerNameAck>(),
          decoder<SupportedGroups>(),
          decoder<SignatureAlgorithms>(),
          decoder<SignatureAlgorithmsCert>(),
          decoder<SupportedVersionsClientHello>(),
          decoder<SupportedVersionsServerHello>(),
          decoder<KeyShareClientHello>(),
          decoder<KeyShareServerHello>(),
          decoder<KeyShareHelloRetryRequest>(),
          decoder<Alpn>(),
          decoder<Cookie>(),
          decoder<PskKeyExchangeModes>(),
          decoder<PreSharedKeyClientHello>(),
          decoder<PreSharedKeyServerHello>(),
          decoder<EarlyDataIndication>(),
          decoder<EarlyDataTicket>(),
          decoder<RecordSizeLimit>(),
          decoder<StatusRequest>(),
          decoder<StatusRequestAck>(),
          decoder<CertificateStatus>(),
          decoder<CertificateAuthorities>(),
          decoder<Padding>(),
          [](Bytes b) { return MaxFragmentLength::decode(b).ok(); },
          decoder<RenegotiationInfo>(),
          decoder<ExtendedMasterSecret>(),
          decoder<EcPointFormats>(),
          decoder<SessionTicket>(),
          decoder<PostHandshakeAuth>(),
          [](Bytes b) { return decode_extensions(b).ok(); },
          [](Bytes b) { return decode_handshake(b).ok(); }};
}

size_t hello_without_extensions_size(std::string_view hex) {
  const std::vector<uint8_t> framed = testing::from_hex(hex);
  const std::vector<uint8_t> body = body_of(hex);
  if (framed[0] == static_cast<uint8_t>(HandshakeType::client_hello)) {
    ClientHello ch = ClientHello::decode(body).value();
    ch.extensions.clear();
    return ch.encode().value().size();
  }
  if (framed[0] == static_cast<uint8_t>(HandshakeType::server_hello)) {
    ServerHello sh = ServerHello::decode(body).value();
    sh.extensions.clear();
    return sh.encode().value().size();
  }
  return body.size();
}

TEST(Robustness, EveryTruncationOfTheRfc8448MessagesFails) {
  for (const Vector& v : vectors()) {
    const std::vector<uint8_t> body = body_of(v.hex);
    ASSERT_TRUE(v.decode(body)) << v.name;
    // A hello cut just before its extensions block is a valid TLS 1.2 hello.
    const size_t tls12_cut = hello_without_extensions_size(v.hex);
    for (size_t len = 0; len < body.size(); ++len) {
      if (len == tls12_cut) continue;
      EXPECT_FALSE(v.decode(Bytes(body).first(len))) << v.name << " cut at " << len;
    }
  }
}

TEST(Robustness, EveryTruncationOfTheFramedClientHelloFails) {
  const std::vector<uint8_t> framed = testing::from_hex(rfc8448::kClientHello);
  for (size_t len = 0; len < framed.size(); ++len) {
    auto message = decode_handshake(Bytes(framed).first(len));
    EXPECT_FALSE(message.ok()) << "cut at " << len;
  }
}

TEST(Robustness, ExtensionDataTruncationsFail) {
  // Each typed extension of the RFC 8448 ClientHello, cut short, is rejected.
  const std::vector<uint8_t> body = body_of(rfc8448::kClientHello);
  auto ch = ClientHello::decode(body);
  ASSERT_TRUE(ch.ok());
  const std::vector<std::pair<ExtensionType, Decoder>> typed = {
      {ExtensionType::server_name, decoder<ServerName>()},
      {ExtensionType::supported_groups, decoder<SupportedGroups>()},
      {ExtensionType::key_share, decoder<KeyShareClientHello>()},
      {ExtensionType::supported_versions, decoder<SupportedVersionsClientHello>()},
      {ExtensionType::signature_algorithms, decoder<SignatureAlgorithms>()},
      {ExtensionType::psk_key_exchange_modes, decoder<PskKeyExchangeModes>()},
      {ExtensionType::record_size_limit, decoder<RecordSizeLimit>()},
      {ExtensionType::renegotiation_info, decoder<RenegotiationInfo>()},
  };
  for (const auto& [type, decode] : typed) {
    const Extension* ext = find(ch->extensions, type);
    ASSERT_NE(ext, nullptr) << extension_name(type);
    ASSERT_TRUE(decode(ext->data)) << extension_name(type);
    for (size_t len = 0; len < ext->data.size(); ++len) {
      EXPECT_FALSE(decode(Bytes(ext->data).first(len))) << extension_name(type) << " at " << len;
    }
  }
}

TEST(Robustness, SingleByteChangesNeverCrash) {
  const std::vector<Decoder> decoders = all_decoders();
  for (const Vector& v : vectors()) {
    std::vector<uint8_t> body = body_of(v.hex);
    for (size_t i = 0; i < body.size(); ++i) {
      const uint8_t saved = body[i];
      for (uint8_t delta : {uint8_t{1}, uint8_t{0x80}, uint8_t{0xff}}) {
        body[i] = static_cast<uint8_t>(saved ^ delta);
        (void)v.decode(body);
      }
      body[i] = saved;
    }
  }
  SUCCEED();
}

TEST(Robustness, RandomInputToEveryDecoder) {
  const std::vector<Decoder> decoders = all_decoders();
  std::mt19937 rng(8446);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(0, 300);
  for (int round = 0; round < 2000; ++round) {
    std::vector<uint8_t> input(length(rng));
    for (uint8_t& b : input) b = static_cast<uint8_t>(byte(rng));
    // Small lengths in the first bytes make the nested vectors line up more often.
    if (input.size() > 2 && round % 2 == 0) {
      input[0] = 0;
      input[1] = static_cast<uint8_t>(input.size() - 2);
    }
    for (const Decoder& decode : decoders) (void)decode(input);
  }
  SUCCEED();
}

TEST(Robustness, ReassemblerOnRandomFragments) {
  std::mt19937 rng(8448);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(1, 40);
  for (int round = 0; round < 200; ++round) {
    HandshakeReassembler r(1000);
    for (int push = 0; push < 50; ++push) {
      std::vector<uint8_t> fragment(length(rng));
      for (uint8_t& b : fragment) b = static_cast<uint8_t>(byte(rng) % 4);  // short lengths
      if (!r.push(fragment).ok()) break;
      while (auto m = r.next()) EXPECT_EQ(m->raw.size(), 4 + m->body().size());
    }
  }
}

}  // namespace
}  // namespace bastion::msgs
