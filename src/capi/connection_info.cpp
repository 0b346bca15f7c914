// The status and negotiated-info queries of bastion_connection_*.
#include <string>
#include <string_view>
#include <vector>

#include "bastion.h"
#include "capi/boundary.hpp"
#include "capi/handles.hpp"

using bastion::capi::guarded_value;

namespace {

// What was negotiated, kept in the handle the first time it is asked for once the handshake
// has completed or failed (it does not change afterwards); null before that.
const bastion::ConnectionInfo* settled_info(const bastion_connection* conn) {
  if (!conn) return nullptr;
  if (!conn->info) {
    if (!conn->conn->handshake_complete() && !conn->conn->failed()) return nullptr;
    bastion::ConnectionInfo info = conn->conn->info();
    conn->version_name = info.version ? bastion::to_string(*info.version) : "";
    conn->suite_name = info.cipher_suite ? bastion::to_string(*info.cipher_suite) : "";
    conn->info = std::move(info);
  }
  return &*conn->info;
}

// Reads one field of the settled info; `fallback` before there is any (or on an exception).
template <class T, class Field>
T info_field(const bastion_connection* conn, T fallback, Field&& field) noexcept {
  return guarded_value<T>(fallback, [&]() -> T {
    const bastion::ConnectionInfo* info = settled_info(conn);
    return info ? field(*info) : fallback;
  });
}

const uint8_t* certificate_at(const std::vector<bastion::Der>& chain, size_t index, size_t* len) {
  if (len) *len = 0;
  if (index >= chain.size()) return nullptr;
  if (len) *len = chain[index].size();
  return chain[index].data();
}

}  // namespace

extern "C" {

bool bastion_connection_is_handshake_complete(const bastion_connection* conn) noexcept {
  return conn && conn->conn->handshake_complete();
}

bool bastion_connection_wants_read(const bastion_connection* conn) noexcept {
  return conn && conn->conn->wants_read();
}

bool bastion_connection_has_output(const bastion_connection* conn) noexcept {
  return conn && !conn->conn->pending_output().empty();
}

size_t bastion_connection_readable(const bastion_connection* conn) noexcept {
  return conn ? conn->conn->readable() : 0;
}

bool bastion_connection_peer_closed(const bastion_connection* conn) noexcept {
  return conn && conn->conn->peer_closed();
}

bool bastion_connection_failed(const bastion_connection* conn) noexcept {
  return conn && conn->conn->failed();
}

bastion_result bastion_connection_error(const bastion_connection* conn) noexcept {
  return guarded_value(BASTION_INTERNAL_ERROR, [&] {
    if (!conn) return BASTION_INTERNAL_ERROR;
    auto failure = conn->conn->error();
    return failure ? bastion::capi::to_result(failure->code) : BASTION_OK;
  });
}

size_t bastion_connection_error_message(const bastion_connection* conn, char* buf,
                                        size_t len) noexcept {
  return guarded_value<size_t>(bastion::capi::copy_message("", buf, len), [&] {
    if (!conn) return bastion::capi::copy_message("", buf, len);
    if (!conn->error.empty()) return bastion::capi::copy_message(conn->error, buf, len);
    auto failure = conn->conn->error();
    return bastion::capi::copy_message(failure ? failure->message() : "", buf, len);
  });
}

uint16_t bastion_connection_protocol_version(const bastion_connection* conn) noexcept {
  return info_field<uint16_t>(conn, 0, [](const bastion::ConnectionInfo& i) {
    return i.version ? static_cast<uint16_t>(*i.version) : uint16_t{0};
  });
}

const char* bastion_connection_protocol_version_name(const bastion_connection* conn) noexcept {
  return info_field<const char*>(
      conn, "", [&](const bastion::ConnectionInfo&) { return conn->version_name.c_str(); });
}

uint16_t bastion_connection_cipher_suite(const bastion_connection* conn) noexcept {
  return info_field<uint16_t>(conn, 0, [](const bastion::ConnectionInfo& i) {
    return i.cipher_suite ? static_cast<uint16_t>(*i.cipher_suite) : uint16_t{0};
  });
}

const char* bastion_connection_cipher_suite_name(const bastion_connection* conn) noexcept {
  return info_field<const char*>(
      conn, "", [&](const bastion::ConnectionInfo&) { return conn->suite_name.c_str(); });
}

const char* bastion_connection_alpn(const bastion_connection* conn) noexcept {
  return info_field<const char*>(conn, "",
                                 [](const bastion::ConnectionInfo& i) { return i.alpn.c_str(); });
}

const char* bastion_connection_server_name(const bastion_connection* conn) noexcept {
  return info_field<const char*>(
      conn, "", [](const bastion::ConnectionInfo& i) { return i.server_name.c_str(); });
}

bool bastion_connection_is_resumed(const bastion_connection* conn) noexcept {
  return info_field<bool>(conn, false, [](const bastion::ConnectionInfo& i) { return i.resumed; });
}

bool bastion_connection_peer_verified(const bastion_connection* conn) noexcept {
  return info_field<bool>(conn, false,
                          [](const bastion::ConnectionInfo& i) { return i.peer_verified; });
}

size_t bastion_connection_peer_certificate_count(const bastion_connection* conn) noexcept {
  return info_field<size_t>(
      conn, 0, [](const bastion::ConnectionInfo& i) { return i.peer_certificates.size(); });
}

const uint8_t* bastion_connection_peer_certificate(const bastion_connection* conn, size_t index,
                                                   size_t* len) noexcept {
  if (len) *len = 0;
  return info_field<const uint8_t*>(conn, nullptr, [&](const bastion::ConnectionInfo& i) {
    return certificate_at(i.peer_certificates, index, len);
  });
}

size_t bastion_connection_unverified_peer_certificate_count(
    const bastion_connection* conn) noexcept {
  return info_field<size_t>(conn, 0, [](const bastion::ConnectionInfo& i) {
    return i.unverified_peer_certificates.size();
  });
}

const uint8_t* bastion_connection_unverified_peer_certificate(const bastion_connection* conn,
                                                              size_t index, size_t* len) noexcept {
  if (len) *len = 0;
  return info_field<const uint8_t*>(conn, nullptr, [&](const bastion::ConnectionInfo& i) {
    return certificate_at(i.unverified_peer_certificates, index, len);
  });
}

}  // extern "C"
