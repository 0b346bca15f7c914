// The legal order of handshake messages, as data (RFC 8446 §2, §4): for each state of each
// role's state machine, its name and the messages it accepts. Checked before dispatch, so a
// handler only ever sees a message its state expects.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <variant>

#include "bastion/error.hpp"
#include "core/wire.hpp"

namespace bastion::handshake {

enum class Role : uint8_t { client, server };

struct StateRule {
  std::string_view name;
  std::array<HandshakeType, 2> accepts;
  size_t count;

  constexpr bool allows(HandshakeType t) const {
    for (size_t i = 0; i < count; ++i) {
      if (accepts[i] == t) return true;
    }
    return false;
  }
};

// Indexed like the client's State variant in client13.cpp.
inline constexpr std::array<StateRule, 7> kClientStates{{
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
inline constexpr std::array<StateRule, 5> kServerStates{{
    {"ExpectClientHello", {HandshakeType::client_hello}, 1},
    {"ExpectCertificate", {HandshakeType::certificate}, 1},
    {"ExpectCertificateVerify", {HandshakeType::certificate_verify}, 1},
    {"ExpectFinished", {HandshakeType::finished}, 1},
    {"Connected", {}, 0},
}};

constexpr const StateRule& state_rule(Role role, size_t state) {
  return role == Role::client ? kClientStates[state] : kServerStates[state];
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

// RFC 8446 §4: a message out of order is an unexpected_message.
inline Result<void> check_message_order(Role role, size_t state, HandshakeType type) {
  const StateRule& rule = state_rule(role, state);
  if (rule.allows(type)) return {};
  return Error{ErrorCode::unexpected_message, "handshake message type " +
                                                  std::to_string(static_cast<int>(type)) +
                                                  " not expected in " + std::string(rule.name)};
}

// Checks the message against the table, then lets `handler` (called with the current state by
// rvalue) produce the next state. On error the state is left consumed; the connection is dead.
template <class State, class Handler>
Result<void> advance(Role role, State& state, HandshakeType type, Handler&& handler) {
  if (auto order = check_message_order(role, state.index(), type); !order) return order;
  Result<State> next = std::visit(std::forward<Handler>(handler), std::move(state));
  if (!next) return std::move(next).error();
  state = std::move(next).value();
  return {};
}

}  // namespace bastion::handshake
