// ALPN (RFC 7301) as both versions negotiate it: the server picks, the client checks the pick.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "bastion/error.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {

// RFC 7301 §3.2: the server's first protocol (in its preference order) that the client
// offers; empty when either side has none; no_application_protocol when none is in common.
inline Result<std::string> server_alpn(const std::vector<std::string>& ours,
                                       const std::vector<msgs::Extension>& client_extensions) {
  auto alpn = msgs::find_as<msgs::Alpn>(client_extensions);
  if (!alpn) return std::move(alpn).error();
  if (!alpn->has_value() || ours.empty()) return std::string();
  const auto& theirs = (*alpn)->protocol_name_list;
  for (const std::string& p : ours) {
    if (std::find(theirs.begin(), theirs.end(), p) != theirs.end()) return p;
  }
  return Error{ErrorCode::no_application_protocol, "no ALPN protocol in common"};
}

// RFC 7301 §3.1: the server's reply names exactly one protocol the client offered
// (illegal_parameter otherwise); empty when it has none.
inline Result<std::string> client_alpn(const std::vector<std::string>& offered,
                                       const std::vector<msgs::Extension>& server_extensions) {
  auto alpn = msgs::find_as<msgs::Alpn>(server_extensions);
  if (!alpn) return std::move(alpn).error();
  if (!alpn->has_value()) return std::string();
  const auto& names = (*alpn)->protocol_name_list;
  if (!(*alpn)->has_single_protocol() ||
      std::find(offered.begin(), offered.end(), names.front()) == offered.end()) {
    return Error{ErrorCode::illegal_parameter,
                 "server selected an ALPN protocol that was not offered"};
  }
  return names.front();
}

}  // namespace bastion::handshake
