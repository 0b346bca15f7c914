// The ClientHello, one for every version the config offers (RFC 8446 §4.1.2, RFC 5246
// §7.4.1.2): built before the version is known, then handed with the transcript to the
// version's states once the ServerHello names it (client.cpp).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "crypto/provider.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/transcript.hpp"
#include "msgs/client_hello.hpp"

namespace bastion::handshake {

// What the client sent in its (latest) ClientHello.
struct ClientOffer {
  msgs::ClientHello hello;
  std::unique_ptr<crypto::KeyShare> share;  // TLS 1.3 key share; none when 1.3 is not offered
  std::vector<ExtensionType> extension_types;
  // The session offered: a TLS 1.3 ticket in pre_shared_key, or a TLS 1.2 session by ID and
  // session_ticket.
  std::shared_ptr<const Session> session;
  std::optional<EarlySecret> early;  // from the offered ticket's PSK, for its binder
  std::vector<NamedGroup> groups;    // supported_groups as sent: the server may pick any
};

// The ClientHello for the versions `config` offers. `previous`, `cookie` and `transcript` are
// for the second ClientHello after a HelloRetryRequest (RFC 8446 §4.1.2); `session` is a
// TLS 1.3 ticket to offer, its binder over `transcript` and the ClientHello.
Result<ClientOffer> build_client_hello(const ClientConfig& config, const std::string& server_name,
                                       std::unique_ptr<crypto::KeyShare> share,
                                       std::vector<uint8_t> cookie,
                                       const msgs::ClientHello* previous,
                                       std::shared_ptr<const Session> session,
                                       const Transcript& transcript);

// The session store when resumption is on, else null.
SessionStore* client_session_store(const ClientConfig& config);
// The newest session for `server_name` that this config may resume, taken from the store.
std::shared_ptr<const Session> session_to_offer(const ClientConfig& config,
                                                const std::string& server_name);

}  // namespace bastion::handshake
