// bastion_*_connection_new and the sans-I/O calls of bastion_connection_*: bytes in and out,
// plaintext in and out, close.
#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>

#include "bastion.h"
#include "capi/boundary.hpp"
#include "capi/handles.hpp"

using bastion::capi::check;
using bastion::capi::fail;
using bastion::capi::guarded;
using bastion::capi::null_argument;

namespace {

// Runs `body` on the connection: the body of every call that can fail. A null connection has
// nowhere to keep a message.
template <class Body>
bastion_result with_connection(bastion_connection* conn, Body&& body) noexcept {
  if (!conn) return BASTION_INTERNAL_ERROR;
  return guarded(&conn->error, [&] { return body(*conn->conn, conn->error); });
}

bastion_connection* new_handle(std::unique_ptr<bastion::Connection> conn) {
  auto handle = std::make_unique<bastion_connection>();
  handle->conn = std::move(conn);
  return handle.release();
}

bastion_result misuse(std::string& error, std::string detail) {
  return fail(error, bastion::Error{bastion::ErrorCode::internal_error, std::move(detail)});
}

}  // namespace

extern "C" {

bastion_result bastion_client_connection_new(const bastion_client_config* config,
                                             const char* server_name,
                                             bastion_connection** conn) noexcept {
  if (conn) *conn = nullptr;
  if (!config || !server_name || !conn) return BASTION_INTERNAL_ERROR;
  return guarded(nullptr, [&] {
    auto made = bastion::ClientConnection::create(config->config, server_name);
    if (!made) return bastion::capi::to_result(made.error().code);
    *conn = new_handle(std::make_unique<bastion::ClientConnection>(std::move(made).value()));
    return BASTION_OK;
  });
}

bastion_result bastion_server_connection_new(const bastion_server_config* config,
                                             bastion_connection** conn) noexcept {
  if (conn) *conn = nullptr;
  if (!config || !conn) return BASTION_INTERNAL_ERROR;
  return guarded(nullptr, [&] {
    auto made = bastion::ServerConnection::create(config->config);
    if (!made) return bastion::capi::to_result(made.error().code);
    *conn = new_handle(std::make_unique<bastion::ServerConnection>(std::move(made).value()));
    return BASTION_OK;
  });
}

void bastion_connection_free(bastion_connection* conn) noexcept {
  delete conn;
}

bastion_result bastion_connection_receive(bastion_connection* conn, const uint8_t* data, size_t len,
                                          size_t* taken) noexcept {
  if (taken) *taken = 0;
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    if (!taken) return null_argument(error, "taken");
    if (!data && len > 0) return null_argument(error, "data");
    // Through the connection's own receive buffer, which does not grow for a caller who does
    // not read: the input stops being taken when unread plaintext fills it.
    size_t done = 0;
    while (done < len) {
      std::span<uint8_t> room = c.prepare_receive(len - done);
      if (room.empty()) break;
      std::memcpy(room.data(), data + done, room.size());
      auto ok = c.commit_receive(room.size());
      done += room.size();
      if (!ok) {
        *taken = done;
        return fail(error, ok.error());
      }
    }
    if (auto failure = c.error()) return fail(error, *failure);
    // RFC 8446 §6.1: what follows close_notify is ignored.
    *taken = c.peer_closed() ? len : done;
    return BASTION_OK;
  });
}

bastion_result bastion_connection_receive_eof(bastion_connection* conn) noexcept {
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    return check(error, c.receive_eof());
  });
}

bastion_result bastion_connection_pending_output(bastion_connection* conn, const uint8_t** data,
                                                 size_t* len) noexcept {
  if (data) *data = nullptr;
  if (len) *len = 0;
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    if (!data) return null_argument(error, "data");
    if (!len) return null_argument(error, "len");
    const std::span<const uint8_t> out = c.pending_output();
    *data = out.data();
    *len = out.size();
    return BASTION_OK;
  });
}

bastion_result bastion_connection_consume_output(bastion_connection* conn, size_t n) noexcept {
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    const size_t pending = c.pending_output().size();
    if (n > pending) {
      return misuse(error, "consume_output of " + std::to_string(n) + " bytes, but " +
                               std::to_string(pending) + " are pending");
    }
    c.consume_output(n);
    return BASTION_OK;
  });
}

bastion_result bastion_connection_take_output(bastion_connection* conn, uint8_t* buf, size_t len,
                                              size_t* written) noexcept {
  if (written) *written = 0;
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    if (!written) return null_argument(error, "written");
    if (!buf && len > 0) return null_argument(error, "buf");
    const std::span<const uint8_t> out = c.pending_output();
    const size_t n = std::min(out.size(), len);
    if (n > 0) std::memcpy(buf, out.data(), n);
    c.consume_output(n);
    *written = n;
    return BASTION_OK;
  });
}

bastion_result bastion_connection_read(bastion_connection* conn, uint8_t* buf, size_t len,
                                       size_t* n) noexcept {
  if (n) *n = 0;
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    if (!n) return null_argument(error, "n");
    if (!buf && len > 0) return null_argument(error, "buf");
    *n = len > 0 ? c.read(std::span(buf, len)) : 0;
    if (*n == 0) {
      if (auto failure = c.error()) return fail(error, *failure);
    }
    return BASTION_OK;
  });
}

bastion_result bastion_connection_write(bastion_connection* conn, const uint8_t* data,
                                        size_t len) noexcept {
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    if (!data && len > 0) return null_argument(error, "data");
    return check(error, c.write(std::span(data, len)));
  });
}

bastion_result bastion_connection_close(bastion_connection* conn) noexcept {
  return with_connection(conn, [&](bastion::Connection& c, std::string& error) {
    c.close();
    if (auto failure = c.error()) return fail(error, *failure);
    return BASTION_OK;
  });
}

}  // extern "C"
