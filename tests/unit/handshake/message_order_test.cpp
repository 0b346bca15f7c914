// Every state of every table, against every input: the 256 handshake types and
// change_cipher_spec. The expected inputs are written out here from the RFCs (RFC 8446 §2 and
// §4, RFC 5246 §7.3), independently of the tables.
#include "handshake/message_order.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace bastion::handshake {
namespace {

using T = HandshakeType;
constexpr int kCcs = 256;  // change_cipher_spec, beside the handshake types 0..255

using Expected = std::map<std::string, std::set<int>>;

int in(T t) {
  return static_cast<int>(t);
}

const Expected& expected(Role role, ProtocolVersion version) {
  static const Expected client13{
      {"ExpectServerHello", {in(T::server_hello)}},
      {"ExpectEncryptedExtensions", {in(T::encrypted_extensions)}},
      {"ExpectCertificateOrRequest", {in(T::certificate), in(T::certificate_request)}},
      {"ExpectCertificate", {in(T::certificate)}},
      {"ExpectCertificateVerify", {in(T::certificate_verify)}},
      {"ExpectFinished", {in(T::finished)}},
      {"Connected", {}},
  };
  static const Expected server13{
      {"ExpectClientHello", {in(T::client_hello)}},
      {"ExpectCertificate", {in(T::certificate)}},
      {"ExpectCertificateVerify", {in(T::certificate_verify)}},
      {"ExpectFinished", {in(T::finished)}},
      {"Connected", {}},
  };
  static const Expected client12{
      {"ExpectCertificate", {in(T::certificate)}},
      {"ExpectServerKeyExchange", {in(T::server_key_exchange)}},
      {"ExpectCertificateRequestOrDone", {in(T::certificate_request), in(T::server_hello_done)}},
      {"ExpectServerHelloDone", {in(T::server_hello_done)}},
      {"ExpectNewSessionTicket", {in(T::new_session_ticket)}},
      {"ExpectChangeCipherSpec", {kCcs}},
      {"ExpectFinished", {in(T::finished)}},
      {"Connected", {}},
  };
  static const Expected server12{
      {"ExpectCertificate", {in(T::certificate)}},
      {"ExpectClientKeyExchange", {in(T::client_key_exchange)}},
      {"ExpectCertificateVerify", {in(T::certificate_verify)}},
      {"ExpectChangeCipherSpec", {kCcs}},
      {"ExpectFinished", {in(T::finished)}},
      {"Connected", {}},
  };
  if (version == ProtocolVersion::tls12) return role == Role::client ? client12 : server12;
  return role == Role::client ? client13 : server13;
}

TEST(MessageOrder, EveryStateAcceptsExactlyItsInputs) {
  for (Role role : {Role::client, Role::server}) {
    for (ProtocolVersion version : {ProtocolVersion::tls13, ProtocolVersion::tls12}) {
      const auto table = state_table(role, version);
      const Expected& want = expected(role, version);
      ASSERT_EQ(table.size(), want.size());
      for (size_t state = 0; state < table.size(); ++state) {
        const std::string name(table[state].name);
        SCOPED_TRACE(name);
        ASSERT_EQ(want.count(name), 1u) << "state not in the RFC's list";
        const std::set<int>& inputs = want.at(name);
        for (int input = 0; input <= kCcs; ++input) {
          const bool allowed = inputs.count(input) > 0;
          Result<void> r = input == kCcs
                               ? check_change_cipher_spec(role, version, state)
                               : check_message_order(role, version, state, static_cast<T>(input));
          EXPECT_EQ(r.ok(), allowed) << "input " << input;
          if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::unexpected_message);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace bastion::handshake
