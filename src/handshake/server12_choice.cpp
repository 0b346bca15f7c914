#include "handshake/server12_choice.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "handshake/alpn.hpp"
#include "handshake/handshake.hpp"
#include "handshake/signature_scheme.hpp"
#include "handshake/tls12_common.hpp"

namespace bastion::handshake {
namespace {

template <class T>
bool contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

Result<Choice> choose12(const ServerConfig& config, const msgs::ClientHello& ch) {
  const ServerOptions& opts = config.options();
  Choice choice;
  auto sig_algs = msgs::find_as<msgs::SignatureAlgorithms>(ch.extensions);
  if (!sig_algs) return std::move(sig_algs).error();
  // RFC 5246 §7.4.1.4.1 would fall back to SHA-1 without the extension; Bastion refuses, with
  // handshake_failure (missing_extension is a TLS 1.3 alert).
  if (!sig_algs->has_value()) {
    return Error{ErrorCode::no_common_signature,
                 "TLSv1.2 ClientHello lacks signature_algorithms (SHA-1 is not used)"};
  }
  auto groups = msgs::find_as<msgs::SupportedGroups>(ch.extensions);
  if (!groups) return std::move(groups).error();
  auto formats = msgs::find_as<msgs::EcPointFormats>(ch.extensions);
  if (!formats) return std::move(formats).error();
  // RFC 8422 §5.1.2: a client listing point formats must list uncompressed.
  if (formats->has_value() && !(*formats)->has_uncompressed()) {
    return illegal("client does not accept uncompressed points");
  }
  choice.point_formats_received = formats->has_value();

  auto sni = msgs::find_as<msgs::ServerName>(ch.extensions);
  if (!sni) return std::move(sni).error();
  if (sni->has_value()) {
    choice.sni_received = true;
    choice.server_name = (*sni)->host_name;
  }
  choice.certificate = config.certificate_for(choice.server_name);
  const crypto::KeyType key_type = choice.certificate->key().type();

  // RFC 8422 §5.1.1: the curve from the client's list, in our preference order; a client that
  // sends no list is given secp256r1, which every ECDHE client has.
  std::optional<NamedGroup> group;
  for (NamedGroup g : opts.groups) {
    if (!is_ecdhe_group(g)) continue;
    if (groups->has_value() ? contains((*groups)->groups, g) : g == NamedGroup::secp256r1) {
      group = g;
      break;
    }
  }
  auto scheme = choose_tls12_scheme((*sig_algs)->schemes, opts.signature_schemes, key_type);
  // Server preference among the client's suites that this certificate can serve; ECDHE needs
  // a curve and a signature scheme in common, RSA key transport (only when named) neither.
  bool ecdhe_in_common = false;
  for (CipherSuite s : opts.cipher_suites) {
    const CipherSuiteInfo* info = find_suite(ProtocolVersion::tls12, s);
    if (!info || !contains(ch.cipher_suites, s) || !info->allows_key(key_type)) continue;
    // RSA key transport needs a key that decrypts here, not one that only signs elsewhere.
    if (info->kx == KeyExchange::rsa && !choice.certificate->key().can_decrypt()) continue;
    if (info->kx == KeyExchange::ecdhe) {
      ecdhe_in_common = true;
      if (!group || !scheme) continue;
    }
    choice.suite = info;
    break;
  }
  if (!choice.suite) {
    if (!ecdhe_in_common) {
      return Error{ErrorCode::no_common_cipher_suite, "no cipher suite in common"};
    }
    if (!group) return Error{ErrorCode::no_common_group, "no elliptic curve group in common"};
    return Error{ErrorCode::no_common_signature,
                 "no signature scheme in common for the server's key"};
  }
  if (group) choice.group = *group;
  if (scheme) choice.scheme = *scheme;

  choice.extended_master_secret =
      msgs::contains(ch.extensions, ExtensionType::extended_master_secret);
  if (auto ems = msgs::find_as<msgs::ExtendedMasterSecret>(ch.extensions); !ems) {
    return std::move(ems).error();
  }
  // RFC 7627 §5.2: a server that requires the extension aborts without it.
  if (!choice.extended_master_secret && opts.require_extended_master_secret) {
    return Error{ErrorCode::no_extended_master_secret,
                 "client does not offer the extended master secret"};
  }

  auto alpn = server_alpn(opts.alpn, ch.extensions);
  if (!alpn) return std::move(alpn).error();
  choice.alpn = std::move(alpn).value();
  return choice;
}

Result<void> add_server_hello_extensions(msgs::ServerHello& sh, const Choice& choice, bool ticket) {
  msgs::ExtensionAppender add(sh.extensions);
  add.add(msgs::RenegotiationInfo{});
  if (choice.extended_master_secret) add.add(msgs::ExtendedMasterSecret{});
  if (choice.point_formats_received) add.add(msgs::EcPointFormats{});
  // RFC 6066 §3: a server that used the name sends an empty server_name extension.
  if (choice.sni_received) add.add(msgs::ServerNameAck{});
  if (!choice.alpn.empty()) add.add(msgs::Alpn{{choice.alpn}});
  // RFC 5077 §3.2: an empty session_ticket announces a NewSessionTicket.
  if (ticket) add.add(msgs::SessionTicket{});
  return add.status();
}

}  // namespace bastion::handshake
