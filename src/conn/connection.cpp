#include "bastion/connection.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>

#include "conn/connection_impl.hpp"
#include "handshake/client.hpp"
#include "handshake/server.hpp"

namespace bastion {
namespace {

// The application's code runs inside these calls (a CertificateVerifier, a KeyLog, a
// SessionStore): an exception it throws ends the connection with internal_error, as any fatal
// error does, instead of leaving it half-way through a state change.
std::string thrown_what() {
  try {
    throw;
  } catch (const std::exception& e) {
    return std::string("an application callback threw: ") + e.what();
  } catch (...) {
    return "an application callback threw";
  }
}

template <class Call>
Result<void> guarded(Connection::Impl& impl, Call&& call) {
  try {
    return call();
  } catch (...) {
    return impl.fail(Error{ErrorCode::internal_error, thrown_what()});
  }
}

template <class Call>
Result<void> guarded_start(Call&& call) {
  try {
    return call();
  } catch (...) {
    return Error{ErrorCode::internal_error, thrown_what()};
  }
}

}  // namespace

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

Result<void> Connection::receive(std::span<const uint8_t> data) {
  return guarded(*impl_, [&] { return impl_->receive(data); });
}

Result<void> Connection::receive_eof() {
  return impl_->receive_eof();
}

std::span<const uint8_t> Connection::pending_output() const {
  return impl_->pending_output();
}

void Connection::consume_output(size_t n) {
  impl_->consume_output(n);
}

size_t Connection::read(std::span<uint8_t> out) {
  return impl_->read(out);
}

std::span<uint8_t> Connection::prepare_receive(size_t max) {
  return impl_->prepare_receive(max);
}

Result<void> Connection::commit_receive(size_t n) {
  return guarded(*impl_, [&] { return impl_->commit_receive(n); });
}

std::span<const uint8_t> Connection::peek_read() const {
  return impl_->peek_read();
}

void Connection::consume_read(size_t n) {
  impl_->consume_read(n);
}

std::span<uint8_t> Connection::prepare_write(size_t max) {
  return impl_->prepare_write(max);
}

Result<void> Connection::commit_write(size_t n) {
  return impl_->commit_write(n);
}

void Connection::release_buffers() {
  impl_->release_buffers();
}

size_t Connection::readable() const {
  return impl_->readable;
}

Result<void> Connection::write(std::span<const uint8_t> data) {
  return impl_->write(data);
}

Result<void> Connection::write(std::string_view text) {
  return impl_->write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

void Connection::close() {
  impl_->close();
}

Result<void> Connection::key_update(bool request_peer) {
  return impl_->key_update(request_peer);
}

bool Connection::handshake_complete() const {
  return impl_->hs->complete();
}
bool Connection::peer_closed() const {
  return impl_->received_close;
}
bool Connection::failed() const {
  return impl_->error.has_value();
}

std::optional<Error> Connection::error() const {
  return impl_->error;
}

ConnectionStatus Connection::status() const {
  ConnectionStatus status;
  if (impl_->error) {
    status.state = ConnectionState::failed;
  } else if (!impl_->hs->complete()) {
    status.state = ConnectionState::handshaking;
  } else if (impl_->sent_close && impl_->received_close) {
    status.state = ConnectionState::closed;
  } else if (impl_->sent_close) {
    status.state = ConnectionState::closing;
  } else if (impl_->received_close) {
    status.state = ConnectionState::peer_closed;
  } else {
    status.state = ConnectionState::open;
  }
  status.wants_input = wants_read();
  status.has_output = !impl_->pending_output().empty();
  status.readable = impl_->readable;
  return status;
}

bool Connection::wants_read() const {
  return !impl_->error && !impl_->received_close && readable() == 0;
}

ConnectionInfo Connection::info() const {
  return impl_->hs->info();
}

Result<void> Connection::export_keying_material(
    std::string_view label, std::span<uint8_t> out,
    std::optional<std::span<const uint8_t>> context) const {
  const handshake::Exporter* exporter = impl_->hs->exporter();
  if (impl_->error) return *impl_->error;
  if (!impl_->hs->complete() || !exporter) {
    return Error{ErrorCode::closed, "keying material is exported after the handshake"};
  }
  const crypto::Bytes given = context ? *context : crypto::Bytes{};
  return exporter->export_keying_material(label, context ? &given : nullptr, out);
}

Result<ClientConnection> ClientConnection::create(std::shared_ptr<const ClientConfig> config,
                                                  std::string_view server_name) {
  if (!config) return Error{ErrorCode::invalid_config, "no client config"};
  const crypto::Provider& provider = config->provider();
  std::shared_ptr<BufferPool> pool = config->buffer_pool();
  auto impl = std::make_unique<Impl>(
      provider, std::move(pool),
      handshake::make_client_handshake(std::move(config), std::string(server_name)), true);
  if (auto ok = guarded_start([&] { return impl->hs->start(*impl); }); !ok) {
    return std::move(ok).error();
  }
  return ClientConnection(std::move(impl));
}

Result<ServerConnection> ServerConnection::create(std::shared_ptr<const ServerConfig> config) {
  if (!config) return Error{ErrorCode::invalid_config, "no server config"};
  const crypto::Provider& provider = config->provider();
  std::shared_ptr<BufferPool> pool = config->buffer_pool();
  auto impl = std::make_unique<Impl>(provider, std::move(pool),
                                     handshake::make_server_handshake(std::move(config)), false);
  if (auto ok = guarded_start([&] { return impl->hs->start(*impl); }); !ok) {
    return std::move(ok).error();
  }
  return ServerConnection(std::move(impl));
}

}  // namespace bastion
