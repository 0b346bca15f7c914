// The legal order of handshake messages, as data (RFC 8446 §2, §4 for TLS 1.3; RFC 5246 §7.3
// for TLS 1.2): for each state of each role's state machine in each version, its name and the
// inputs it accepts, handshake messages and, in TLS 1.2, change_cipher_spec. Checked before
// dispatch, so a handler only ever sees an input its state expects.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <variant>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/wire.hpp"

namespace bastion::handshake {

enum class Role : uint8_t { client, server };

struct StateRule {
  std::string_view name;
  std::array<HandshakeType, 2> accepts;
  size_t count;
  // TLS 1.2: the state waits for the peer's change_cipher_spec.
  bool change_cipher_spec = false;

  constexpr bool allows(HandshakeType t) const {
    for (size_t i = 0; i < count; ++i) {
      if (accepts[i] == t) return true;
    }
    return false;
  }
};

// Indexed like the client's State variant in client13.cpp.
inline constexpr std::array<StateRule, 7> kClient13States{{
    {"ExpectServerHello", {HandshakeType::server_hello}, 1},
    {"ExpectEncryptedExtensions", {HandshakeType::encrypted_extensions}, 1},
    {"ExpectCertificateOrRequest",
     {HandshakeType::certificate_request, HandshakeType::certificate},
     2},
    {"ExpectCertificate", {HandshakeType::certificate}, 1},
    {"ExpectCertificateVerify", {HandshakeType::certificate_verify}, 1},
    {"ExpectFinished", {HandshakeType::finished}, 1},
    {"Connected", {}, 0},
}};

// Indexed like the server's State variant in server13.cpp.
inline constexpr std::array<StateRule, 5> kServer13States{{
    {"ExpectClientHello", {HandshakeType::client_hello}, 1},
    {"ExpectCertificate", {HandshakeType::certificate}, 1},
    {"ExpectCertificateVerify", {HandshakeType::certificate_verify}, 1},
    {"ExpectFinished", {HandshakeType::finished}, 1},
    {"Connected", {}, 0},
}};

// Indexed like the State variant in client12.cpp; the ServerHello was read before (the version
// is learnt from it). RFC 5246 §7.3: Certificate, ServerKeyExchange (ECDHE only),
// CertificateRequest (optional), ServerHelloDone; after our flight, NewSessionTicket (when the
// server said it would send one), change_cipher_spec, Finished. A resumed session goes from the
// ServerHello straight to NewSessionTicket or change_cipher_spec.
inline constexpr std::array<StateRule, 8> kClient12States{{
    {"ExpectCertificate", {HandshakeType::certificate}, 1},
    {"ExpectServerKeyExchange", {HandshakeType::server_key_exchange}, 1},
    {"ExpectCertificateRequestOrDone",
     {HandshakeType::certificate_request, HandshakeType::server_hello_done},
     2},
    {"ExpectServerHelloDone", {HandshakeType::server_hello_done}, 1},
    {"ExpectNewSessionTicket", {HandshakeType::new_session_ticket}, 1},
    {"ExpectChangeCipherSpec", {}, 0, true},
    {"ExpectFinished", {HandshakeType::finished}, 1},
    {"Connected", {}, 0},
}};

// Indexed like the State variant in server12.cpp; the ClientHello was read before. RFC 5246
// §7.3: the client's Certificate (when requested), ClientKeyExchange, CertificateVerify (after
// a non-empty Certificate), change_cipher_spec, Finished. A resumed session waits for
// change_cipher_spec and Finished after the server's own.
inline constexpr std::array<StateRule, 6> kServer12States{{
    {"ExpectCertificate", {HandshakeType::certificate}, 1},
    {"ExpectClientKeyExchange", {HandshakeType::client_key_exchange}, 1},
    {"ExpectCertificateVerify", {HandshakeType::certificate_verify}, 1},
    {"ExpectChangeCipherSpec", {}, 0, true},
    {"ExpectFinished", {HandshakeType::finished}, 1},
    {"Connected", {}, 0},
}};

constexpr std::span<const StateRule> state_table(Role role, ProtocolVersion version) {
  if (version == ProtocolVersion::tls12) {
    return role == Role::client ? std::span<const StateRule>(kClient12States)
                                : std::span<const StateRule>(kServer12States);
  }
  return role == Role::client ? std::span<const StateRule>(kClient13States)
                              : std::span<const StateRule>(kServer13States);
}

// True when the variant's alternatives are the table's states, in the table's order.
template <class State, size_t N>
constexpr bool states_match_table(const std::array<StateRule, N>& table) {
  if (std::variant_size_v<State> != N) return false;
  return [&]<size_t... I>(std::index_sequence<I...>) {
    return ((std::variant_alternative_t<I, State>::kName == table[I].name) && ...);
  }
  (std::make_index_sequence<N>{});
}

// RFC 8446 §4, RFC 5246 §7.3: a message out of order is an unexpected_message.
inline Result<void> check_message_order(Role role, ProtocolVersion version, size_t state,
                                        HandshakeType type) {
  const StateRule& rule = state_table(role, version)[state];
  if (rule.allows(type)) return {};
  return Error{ErrorCode::unexpected_message, "handshake message type " +
                                                  std::to_string(static_cast<int>(type)) +
                                                  " not expected in " + std::string(rule.name)};
}

// RFC 5246 §7.1: change_cipher_spec only where the state waits for it.
inline Result<void> check_change_cipher_spec(Role role, ProtocolVersion version, size_t state) {
  const StateRule& rule = state_table(role, version)[state];
  if (rule.change_cipher_spec) return {};
  return Error{ErrorCode::unexpected_message,
               "change_cipher_spec not expected in " + std::string(rule.name)};
}

// Checks the message against the table, then lets `handler` (called with the current state by
// rvalue) produce the next state. On error the state is left consumed; the connection is dead.
template <class State, class Handler>
Result<void> advance(Role role, ProtocolVersion version, State& state, HandshakeType type,
                     Handler&& handler) {
  if (auto order = check_message_order(role, version, state.index(), type); !order) return order;
  Result<State> next = std::visit(std::forward<Handler>(handler), std::move(state));
  if (!next) return std::move(next).error();
  state = std::move(next).value();
  return {};
}

}  // namespace bastion::handshake
