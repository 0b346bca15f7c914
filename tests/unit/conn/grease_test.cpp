// RFC 8701: a server must treat GREASE values as unknown and carry on.
#include <gtest/gtest.h>

#include "msgs/msgs.hpp"
#include "record/fragmenter.hpp"
#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

constexpr uint16_t kGrease = 0x3a3a;

// The ClientHello a real client sends, with GREASE added to every list RFC 8701 names.
std::vector<uint8_t> greased_client_hello() {
  auto cc = ClientConfig::create(client_options_trusting(kEcdsaCertPem));
  auto client = ClientConnection::create(*cc, "localhost");
  auto wire = client->pending_output();
  auto message = msgs::decode_handshake(wire.subspan(5));
  auto ch = msgs::ClientHello::decode(message->body());
  ch->cipher_suites.insert(ch->cipher_suites.begin(), static_cast<CipherSuite>(kGrease));
  for (auto& ext : ch->extensions) {
    if (ext.type == ExtensionType::supported_groups) {
      auto groups = msgs::SupportedGroups::decode(ext.data);
      groups->groups.insert(groups->groups.begin(), static_cast<NamedGroup>(kGrease));
      ext.data = groups->encode().value();
    } else if (ext.type == ExtensionType::key_share) {
      auto shares = msgs::KeyShareClientHello::decode(ext.data);
      shares->client_shares.insert(shares->client_shares.begin(),
                                   {static_cast<NamedGroup>(kGrease), {0}});
      ext.data = shares->encode().value();
    } else if (ext.type == ExtensionType::supported_versions) {
      auto versions = msgs::SupportedVersionsClientHello::decode(ext.data);
      versions->versions.insert(versions->versions.begin(), static_cast<ProtocolVersion>(kGrease));
      ext.data = versions->encode().value();
    } else if (ext.type == ExtensionType::signature_algorithms) {
      auto schemes = msgs::SignatureAlgorithms::decode(ext.data);
      schemes->schemes.insert(schemes->schemes.begin(), static_cast<SignatureScheme>(kGrease));
      ext.data = schemes->encode().value();
    }
  }
  ch->extensions.insert(ch->extensions.begin(),
                        msgs::Extension{static_cast<ExtensionType>(kGrease), {}});
  std::vector<uint8_t> out;
  record::append_plaintext_records(ContentType::handshake, msgs::encode_message(*ch).value(), out);
  return out;
}

TEST(Grease, ServerIgnoresGreaseValuesEverywhere) {
  auto sc = ServerConfig::create(server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto server = ServerConnection::create(*sc);
  ASSERT_OK(server->receive(greased_client_hello()));
  auto out = server->pending_output();
  ASSERT_GT(out.size(), 10u);
  EXPECT_EQ(out[0], static_cast<uint8_t>(ContentType::handshake));
  EXPECT_EQ(out[5], static_cast<uint8_t>(HandshakeType::server_hello));
  EXPECT_EQ(server->info().group, NamedGroup::x25519);
}

}  // namespace
}  // namespace bastion::test
