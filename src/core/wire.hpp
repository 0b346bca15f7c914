// Wire code points used inside the core (the public ones are in bastion/types.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "bastion/types.hpp"

namespace bastion {

// RFC 8446 §5.1
enum class ContentType : uint8_t {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

// RFC 8446 §4
enum class HandshakeType : uint8_t {
  hello_request = 0,
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  server_key_exchange = 12,
  certificate_request = 13,
  server_hello_done = 14,
  certificate_verify = 15,
  client_key_exchange = 16,
  finished = 20,
  certificate_status = 22,
  key_update = 24,
  message_hash = 254,
};

// RFC 8446 §4.2 and the registries it points to.
enum class ExtensionType : uint16_t {
  server_name = 0,
  max_fragment_length = 1,
  status_request = 5,
  supported_groups = 10,
  ec_point_formats = 11,
  signature_algorithms = 13,
  use_srtp = 14,
  heartbeat = 15,
  application_layer_protocol_negotiation = 16,
  signed_certificate_timestamp = 18,
  client_certificate_type = 19,
  server_certificate_type = 20,
  padding = 21,
  encrypt_then_mac = 22,
  extended_master_secret = 23,
  record_size_limit = 28,
  session_ticket = 35,
  pre_shared_key = 41,
  early_data = 42,
  supported_versions = 43,
  cookie = 44,
  psk_key_exchange_modes = 45,
  certificate_authorities = 47,
  oid_filters = 48,
  post_handshake_auth = 49,
  signature_algorithms_cert = 50,
  key_share = 51,
  renegotiation_info = 0xff01,
};

// Hard limits on what a peer controls.
namespace limits {
inline constexpr size_t kMaxPlaintext = 1 << 14;              // RFC 8446 §5.1
inline constexpr size_t kMaxCiphertext13 = (1 << 14) + 256;   // RFC 8446 §5.2
inline constexpr size_t kMaxCiphertext12 = (1 << 14) + 2048;  // RFC 5246 §6.2.3
inline constexpr size_t kRecordHeader = 5;
inline constexpr size_t kMaxHandshakeMessage = 64 * 1024;  // certificate chains included
// RFC 8446 §4.1.2: the largest ClientHello its fields allow (version, random,
// legacy_session_id<0..32>, cipher_suites<2..2^16-2>, legacy_compression_methods<1..2^8-1>,
// extensions<8..2^16-1>): any list the RFC allows in it, signature_algorithms of 32,000
// schemes included, is read.
inline constexpr size_t kMaxClientHello = 2 + 32 + 1 + 32 + 2 + 0xfffe + 1 + 0xff + 2 + 0xffff;
inline constexpr size_t kMaxCertificateChain = 10;
inline constexpr size_t kMaxExtensions = 64;
inline constexpr unsigned kMaxEmptyRecords = 32;
inline constexpr unsigned kMaxKeyUpdatesInARow = 32;
inline constexpr unsigned kMaxWarningAlerts = 8;
}  // namespace limits

}  // namespace bastion
