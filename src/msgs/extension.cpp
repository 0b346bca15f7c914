#include "msgs/extension.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "msgs/codec.hpp"

namespace bastion::msgs {
namespace {

constexpr MessageKindSet CH = bit(MessageKind::client_hello);
constexpr MessageKindSet SH = bit(MessageKind::server_hello);
constexpr MessageKindSet HRR = bit(MessageKind::hello_retry_request);
constexpr MessageKindSet EE = bit(MessageKind::encrypted_extensions);
constexpr MessageKindSet CT = bit(MessageKind::certificate);
constexpr MessageKindSet CR = bit(MessageKind::certificate_request);
constexpr MessageKindSet NST = bit(MessageKind::new_session_ticket);
constexpr MessageKindSet SH12 = bit(MessageKind::server_hello_tls12);

using T = ExtensionType;

// The TLS 1.3 columns are the RFC 8446 §4.2 table (RFC 8449 §5 adds record_size_limit: CH, EE).
// SH12 marks extensions a TLS 1.2 server may answer in its ServerHello; the ones with no TLS 1.3
// column ("-" in the IANA registry) may only appear in the ClientHello and that ServerHello.
constexpr std::array kRegistry{
    ExtensionInfo{T::server_name, "server_name", CH | EE | SH12},
    ExtensionInfo{T::max_fragment_length, "max_fragment_length", CH | EE | SH12},
    ExtensionInfo{T::status_request, "status_request", CH | CR | CT | SH12},
    ExtensionInfo{T::supported_groups, "supported_groups", CH | EE},
    ExtensionInfo{T::ec_point_formats, "ec_point_formats", CH | SH12},
    ExtensionInfo{T::signature_algorithms, "signature_algorithms", CH | CR},
    ExtensionInfo{T::use_srtp, "use_srtp", CH | EE | SH12},
    ExtensionInfo{T::heartbeat, "heartbeat", CH | EE | SH12},
    ExtensionInfo{T::application_layer_protocol_negotiation,
                  "application_layer_protocol_negotiation", CH | EE | SH12},
    ExtensionInfo{T::signed_certificate_timestamp, "signed_certificate_timestamp",
                  CH | CR | CT | SH12},
    ExtensionInfo{T::client_certificate_type, "client_certificate_type", CH | EE | SH12},
    ExtensionInfo{T::server_certificate_type, "server_certificate_type", CH | EE | SH12},
    ExtensionInfo{T::padding, "padding", CH},
    ExtensionInfo{T::encrypt_then_mac, "encrypt_then_mac", CH | SH12},
    ExtensionInfo{T::extended_master_secret, "extended_master_secret", CH | SH12},
    ExtensionInfo{T::record_size_limit, "record_size_limit", CH | EE | SH12},
    ExtensionInfo{T::session_ticket, "session_ticket", CH | SH12},
    ExtensionInfo{T::pre_shared_key, "pre_shared_key", CH | SH},
    ExtensionInfo{T::early_data, "early_data", CH | EE | NST},
    ExtensionInfo{T::supported_versions, "supported_versions", CH | SH | HRR},
    ExtensionInfo{T::cookie, "cookie", CH | HRR},
    ExtensionInfo{T::psk_key_exchange_modes, "psk_key_exchange_modes", CH},
    ExtensionInfo{T::certificate_authorities, "certificate_authorities", CH | CR},
    ExtensionInfo{T::oid_filters, "oid_filters", CR},
    ExtensionInfo{T::post_handshake_auth, "post_handshake_auth", CH},
    ExtensionInfo{T::signature_algorithms_cert, "signature_algorithms_cert", CH | CR},
    ExtensionInfo{T::key_share, "key_share", CH | SH | HRR},
    ExtensionInfo{T::renegotiation_info, "renegotiation_info", CH | SH12},
};

}  // namespace

Result<std::vector<Extension>> read_extensions(Reader& r, size_t min, size_t max) {
  Reader block;
  if (!r.sub(2, min, max, block)) return detail::decode_error("bad extensions length");
  std::vector<Extension> out;
  while (!block.empty()) {
    if (out.size() == limits::kMaxExtensions) return detail::decode_error("too many extensions");
    uint16_t type = 0;
    Bytes data;
    if (!block.u16(type) || !block.vec(2, 0, 0xffff, data)) {
      return detail::decode_error("malformed extension");
    }
    // RFC 8446 §4.2: "There MUST NOT be more than one extension of the same type in a given
    // extension block."
    if (contains(out, static_cast<ExtensionType>(type))) {
      return Error{ErrorCode::duplicate_extension,
                   "duplicate " + extension_name(static_cast<ExtensionType>(type))};
    }
    out.push_back(Extension{static_cast<ExtensionType>(type), detail::to_vector(data)});
  }
  return out;
}

Result<std::vector<Extension>> decode_extensions(Bytes block) {
  Reader r(block);
  auto out = read_extensions(r);
  if (!out) return out;
  if (!r.empty()) return detail::trailing_data("extensions");
  return out;
}

void write_extensions(Writer& w, const std::vector<Extension>& extensions) {
  w.vec(2, [&] {
    for (const Extension& ext : extensions) {
      w.u16(static_cast<uint16_t>(ext.type));
      w.vec(2, Bytes(ext.data));
    }
  });
}

Result<std::vector<uint8_t>> encode_extensions(const std::vector<Extension>& extensions) {
  std::vector<uint8_t> out;
  Writer w(out);
  write_extensions(w, extensions);
  return w.finish();
}

const Extension* find(const std::vector<Extension>& extensions, ExtensionType type) {
  auto it = std::find_if(extensions.begin(), extensions.end(),
                         [type](const Extension& e) { return e.type == type; });
  return it == extensions.end() ? nullptr : &*it;
}

std::span<const ExtensionInfo> extension_registry() {
  return kRegistry;
}

const ExtensionInfo* extension_info(ExtensionType type) {
  auto it = std::find_if(kRegistry.begin(), kRegistry.end(),
                         [type](const ExtensionInfo& i) { return i.type == type; });
  return it == kRegistry.end() ? nullptr : &*it;
}

std::string extension_name(ExtensionType type) {
  if (const ExtensionInfo* info = extension_info(type)) return std::string(info->name);
  char buf[24];
  std::snprintf(buf, sizeof buf, "extension(0x%04x)", static_cast<unsigned>(type));
  return buf;
}

bool check_allowed(ExtensionType type, MessageKind kind) {
  const ExtensionInfo* info = extension_info(type);
  return info == nullptr || (info->allowed & bit(kind)) != 0;
}

Result<void> check_extensions(const std::vector<Extension>& extensions, MessageKind kind) {
  for (const Extension& ext : extensions) {
    // RFC 8446 §4.2: "If an implementation receives an extension which it recognizes and which
    // is not specified for the message in which it appears, it MUST abort the handshake with an
    // "illegal_parameter" alert."
    if (!check_allowed(ext.type, kind)) {
      return detail::illegal_parameter(extension_name(ext.type) + " not allowed in this message");
    }
  }
  return {};
}

Result<void> check_solicited(const std::vector<Extension>& reply, MessageKind kind,
                             std::span<const ExtensionType> offered) {
  if (auto allowed = check_extensions(reply, kind); !allowed) return allowed;
  for (const Extension& ext : reply) {
    if (kind == MessageKind::hello_retry_request && ext.type == ExtensionType::cookie) continue;
    // RFC 8446 §4.2: extension responses without the corresponding request MUST be answered with
    // an "unsupported_extension" alert.
    if (std::find(offered.begin(), offered.end(), ext.type) == offered.end()) {
      return Error{ErrorCode::unsupported_extension, extension_name(ext.type) + " was not offered"};
    }
  }
  return {};
}

Result<void> check_solicited(const std::vector<Extension>& reply, MessageKind kind,
                             const std::vector<Extension>& offered) {
  std::vector<ExtensionType> types;
  types.reserve(offered.size());
  for (const Extension& ext : offered) types.push_back(ext.type);
  return check_solicited(reply, kind, types);
}

}  // namespace bastion::msgs
