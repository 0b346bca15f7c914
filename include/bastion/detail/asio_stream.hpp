// The implementation of bastion::asio::stream and bastion::boost_asio::stream, written once for
// both: bastion/asio.hpp and bastion/boost_asio.hpp each open their namespace, declare `net`
// (the Asio namespace), `error_code`, `system_error` and `make_error_code(ErrorCode)` in it,
// define BASTION_ASIO_FLAVOR_NAMESPACE and include this file. No include guard on purpose: it is
// included once per flavour, each under its own header's guard. Do not include it directly.
// The operations the stream runs are in asio_operations.hpp.

#ifndef BASTION_ASIO_FLAVOR_NAMESPACE
#error "include bastion/asio.hpp or bastion/boost_asio.hpp, not bastion/detail/asio_stream.hpp"
#endif

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "bastion/connection.hpp"
#include "bastion/detail/asio_operations.hpp"  // IWYU pragma: export
#include "bastion/error.hpp"

namespace BASTION_ASIO_FLAVOR_NAMESPACE {

// A TLS stream over NextLayer (a net::ip::tcp::socket, or any Asio stream, or a reference to
// one), driven by a Bastion Connection: a client or a server, as the constructor says.
//
// Like any Asio I/O object it is not thread-safe: call it and run its handlers on one thread
// or one strand. Like Asio's ssl::stream, at most one read (async_read_some, or a composed
// read such as net::async_read) and one write (async_write_some, async_shutdown_write, or a
// composed write) may be outstanding at once, and they may be outstanding together (full
// duplex); async_handshake and async_shutdown allow no other operation beside them. Do not move
// or destroy the stream while an operation is outstanding.
//
// Errors are error_codes: TLS errors in Bastion's category ("bastion", the values of
// ErrorCode; connection().error() holds the detail, error_message() says both), transport
// errors as the next layer reported them. read_some reports net::error::eof after the peer's
// close_notify (a clean end); a transport that ends without close_notify is ErrorCode::truncated.
template <class NextLayer>
class stream {
 public:
  using next_layer_type = std::remove_reference_t<NextLayer>;
  using lowest_layer_type = typename detail::LowestLayer<next_layer_type>::type;
  using executor_type = typename next_layer_type::executor_type;

  // A client of server_name (a DNS name, sent as SNI and checked against the certificate, or an
  // IP literal). Throws bastion::Exception when the connection cannot be made.
  template <class Arg>
  stream(Arg&& next_layer, std::shared_ptr<const ClientConfig> config, std::string_view server_name)
      : stream(std::forward<Arg>(next_layer),
               ClientConnection::create(std::move(config), server_name).value()) {}
  // A server. Throws bastion::Exception when the connection cannot be made.
  template <class Arg>
  stream(Arg&& next_layer, std::shared_ptr<const ServerConfig> config)
      : stream(std::forward<Arg>(next_layer), ServerConnection::create(std::move(config)).value()) {
  }
  // Over a connection made beforehand (nothing may have been fed to it or taken from it).
  template <class Arg>
  stream(Arg&& next_layer, ClientConnection connection)
      : next_layer_(std::forward<Arg>(next_layer)),
        channel_(std::make_unique<ClientConnection>(std::move(connection))) {}
  template <class Arg>
  stream(Arg&& next_layer, ServerConnection connection)
      : next_layer_(std::forward<Arg>(next_layer)),
        channel_(std::make_unique<ServerConnection>(std::move(connection))) {}

  stream(stream&&) = default;
  stream& operator=(stream&&) = default;

  executor_type get_executor() noexcept { return next_layer_.get_executor(); }
  next_layer_type& next_layer() { return next_layer_; }
  const next_layer_type& next_layer() const { return next_layer_; }
  lowest_layer_type& lowest_layer() {
    if constexpr (std::is_same_v<lowest_layer_type, next_layer_type>) {
      return next_layer_;
    } else {
      return next_layer_.lowest_layer();
    }
  }
  const lowest_layer_type& lowest_layer() const {
    if constexpr (std::is_same_v<lowest_layer_type, next_layer_type>) {
      return next_layer_;
    } else {
      return next_layer_.lowest_layer();
    }
  }
  // The sans-I/O connection: handshake_complete(), peer_closed(), error(), key_update(),
  // export_keying_material(), ... Feeding it or taking its output directly breaks the stream.
  Connection& connection() { return channel_.connection(); }
  const Connection& connection() const { return channel_.connection(); }
  ConnectionInfo info() const { return channel_.connection().info(); }
  // One line for people about an error this stream reported: for a TLS error,
  // Connection::error()'s message with its detail; else the error code's own message.
  std::string error_message(const error_code& ec) const {
    auto error = connection().error();
    if (error && ec == detail::tls_error_code(error->code)) return error->message();
    return ec.message();
  }

  // --- Asynchronous operations ----------------------------------------------------------------
  // Any completion token: a handler, net::use_awaitable, net::use_future, ...

  // Completes the handshake: void(error_code). Completes at once when it already has.
  template <class Token = net::default_completion_token_t<executor_type>>
  auto async_handshake(Token&& token = net::default_completion_token_t<executor_type>()) {
    return start<void(error_code)>(detail::HandshakeOp{}, std::forward<Token>(token));
  }

  // Reads some plaintext: void(error_code, size_t). net::error::eof after the peer's
  // close_notify.
  template <class MutableBufferSequence,
            class Token = net::default_completion_token_t<executor_type>>
  auto async_read_some(const MutableBufferSequence& buffers,
                       Token&& token = net::default_completion_token_t<executor_type>()) {
    return start<void(error_code, size_t)>(detail::ReadOp<MutableBufferSequence>(buffers),
                                           std::forward<Token>(token));
  }

  // Writes some plaintext (up to 64 KiB, as whole records), completing once it went to the next
  // layer: void(error_code, size_t). ErrorCode::closed before the handshake and after a
  // shutdown. After a failed transport write every later write reports that error.
  template <class ConstBufferSequence, class Token = net::default_completion_token_t<executor_type>>
  auto async_write_some(const ConstBufferSequence& buffers,
                        Token&& token = net::default_completion_token_t<executor_type>()) {
    return start<void(error_code, size_t)>(detail::WriteOp<ConstBufferSequence>(buffers),
                                           std::forward<Token>(token));
  }

  // Sends close_notify, then reads until the peer's (application data before it is discarded):
  // void(error_code). ErrorCode::truncated when the transport ends first. The next layer stays
  // open: close the socket afterwards.
  template <class Token = net::default_completion_token_t<executor_type>>
  auto async_shutdown(Token&& token = net::default_completion_token_t<executor_type>()) {
    return start<void(error_code)>(detail::ShutdownOp(true), std::forward<Token>(token));
  }

  // Sends close_notify only, a write (a read may be outstanding): void(error_code). The peer
  // may go on sending, and reads go on until its close_notify (eof): a TLS 1.3 half-close.
  template <class Token = net::default_completion_token_t<executor_type>>
  auto async_shutdown_write(Token&& token = net::default_completion_token_t<executor_type>()) {
    return start<void(error_code)>(detail::ShutdownOp(false), std::forward<Token>(token));
  }

  // --- Blocking operations: the same, with the next layer's blocking calls ----------------------
  // The overloads without error_code throw system_error.

  void handshake(error_code& ec) { ec = run(detail::HandshakeOp{}).ec; }
  void handshake() { throw_on_error(run(detail::HandshakeOp{}).ec); }

  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers, error_code& ec) {
    detail::Step step = run(detail::ReadOp<MutableBufferSequence>(buffers));
    ec = step.ec;
    return step.bytes;
  }
  template <class MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers) {
    detail::Step step = run(detail::ReadOp<MutableBufferSequence>(buffers));
    throw_on_error(step.ec);
    return step.bytes;
  }

  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers, error_code& ec) {
    detail::Step step = run(detail::WriteOp<ConstBufferSequence>(buffers));
    ec = step.ec;
    return step.bytes;
  }
  template <class ConstBufferSequence>
  size_t write_some(const ConstBufferSequence& buffers) {
    detail::Step step = run(detail::WriteOp<ConstBufferSequence>(buffers));
    throw_on_error(step.ec);
    return step.bytes;
  }

  void shutdown(error_code& ec) { ec = run(detail::ShutdownOp(true)).ec; }
  void shutdown() { throw_on_error(run(detail::ShutdownOp(true)).ec); }
  void shutdown_write(error_code& ec) { ec = run(detail::ShutdownOp(false)).ec; }
  void shutdown_write() { throw_on_error(run(detail::ShutdownOp(false)).ec); }

 private:
  template <class Signature, class Operation, class Token>
  auto start(Operation op, Token&& token) {
    return net::async_compose<Token, Signature>(
        detail::AsyncDriver<next_layer_type, Operation>(next_layer_, channel_, std::move(op)),
        token, next_layer_);
  }
  template <class Operation>
  detail::Step run(Operation op) {
    return detail::run_blocking(next_layer_, channel_, std::move(op));
  }
  static void throw_on_error(const error_code& ec) {
    if (ec) throw system_error(ec);
  }

  NextLayer next_layer_;
  detail::Channel channel_;
};

}  // namespace BASTION_ASIO_FLAVOR_NAMESPACE
