// The operations behind bastion::asio::stream and bastion::boost_asio::stream (see
// asio_stream.hpp, which includes this once per flavour, like itself: no include guard).
//
// The Connection is sans-I/O; an operation is the loop that feeds it: each step says what it
// waits for (a transport write, a transport read, or nothing: done), and a driver does that I/O,
// asynchronously with net::async_compose or synchronously with the next layer's blocking calls.

#ifndef BASTION_ASIO_FLAVOR_NAMESPACE
#error "include bastion/asio.hpp or bastion/boost_asio.hpp, not bastion/detail/asio_operations.hpp"
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "bastion/connection.hpp"
#include "bastion/error.hpp"

namespace BASTION_ASIO_FLAVOR_NAMESPACE {

namespace detail {

inline constexpr size_t kMaxPlaintext = size_t{1} << 14;
// A transport read takes up to two records (header, plaintext and the largest expansion).
inline constexpr size_t kReceiveSize = 2 * (5 + kMaxPlaintext + 256);
// One write_some seals up to four records and sends them in one transport write.
inline constexpr size_t kWriteBatch = 4 * kMaxPlaintext;
// The ciphertext buffer is given back after a flush larger than this, so that an idle stream
// keeps no large block (the connection hands its own buffers back to its pool likewise).
inline constexpr size_t kKeptSendCapacity = 4096;

// What an operation waits for next: the driver writes, reads, or completes.
enum class Wait : uint8_t { write, read, done };

struct Step {
  Wait wait = Wait::done;
  error_code ec{};
  size_t bytes = 0;
  std::span<uint8_t> room{};  // Wait::read: where the transport read goes
};

// Qualified: ADL would also find bastion::make_error_code, which makes a std::error_code.
inline error_code tls_error_code(ErrorCode code) {
  return BASTION_ASIO_FLAVOR_NAMESPACE::make_error_code(code);
}

inline Step done(error_code ec, size_t bytes = 0) {
  return {Wait::done, ec, bytes, {}};
}
inline Step done(ErrorCode code) {
  return done(tls_error_code(code));
}
inline Step flush() {
  return {Wait::write, {}, 0, {}};
}
inline Step receive_into(std::span<uint8_t> room) {
  return {Wait::read, {}, 0, room};
}

// What the operations of one stream share: the connection, and the ciphertext taken from it
// that a transport write is sending. The connection's own send buffer may move when it queues
// a record, and the peer's input queues some (a KeyUpdate answer, an alert) while a write of
// ours may be under way: so what is written to the transport is always a copy, in FIFO order.
class Channel {
 public:
  explicit Channel(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

  Connection& connection() { return *connection_; }
  const Connection& connection() const { return *connection_; }
  bool writing() const { return writing_; }
  // A transport write failed: part of a record may have gone out, so nothing more can.
  const error_code& write_error() const { return write_error_; }
  // The error that ended the connection, as an error code (none while it is alive).
  error_code tls_error() const {
    auto error = connection_->error();
    return error ? tls_error_code(error->code) : error_code{};
  }

  // Takes what the connection queued behind what waits to be sent (never while a write is under
  // way, which sends sending_).
  void stage() {
    std::span<const uint8_t> out = connection_->pending_output();
    sending_.insert(sending_.end(), out.begin(), out.end());
    connection_->consume_output(out.size());
  }
  // Whether a transport write may start now and has something to send.
  bool ready_to_flush() {
    if (writing_ || write_error_) return false;
    stage();
    return !sending_.empty();
  }
  std::span<const uint8_t> begin_flush() {
    writing_ = true;
    return sending_;
  }
  void end_flush(const error_code& ec) {
    writing_ = false;
    if (ec) write_error_ = ec;
    if (sending_.capacity() > kKeptSendCapacity) {
      std::vector<uint8_t>().swap(sending_);
    } else {
      sending_.clear();
    }
  }

 private:
  std::unique_ptr<Connection> connection_;
  std::vector<uint8_t> sending_;
  bool writing_ = false;
  error_code write_error_;
};

// Hands what a transport read brought to the connection. TLS errors stay in the connection
// (its error() says them); the transport's own error is returned, an end of stream excepted:
// that is the connection's to judge (clean after close_notify, truncated before).
inline error_code take_received(Connection& connection, const error_code& ec, size_t n) {
  static_cast<void>(connection.commit_receive(n));
  if (ec == net::error::eof) {
    static_cast<void>(connection.receive_eof());
    return {};
  }
  return ec;
}

// Copies received plaintext into a buffer sequence, across records; returns the bytes copied.
template <class MutableBuffers>
size_t copy_plaintext(Connection& connection, const MutableBuffers& buffers) {
  size_t copied = 0;
  for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
       ++it) {
    net::mutable_buffer to(*it);
    while (to.size() > 0) {
      std::span<const uint8_t> from = connection.peek_read();
      if (from.empty()) return copied;
      const size_t n = std::min(to.size(), from.size());
      std::memcpy(to.data(), from.data(), n);
      connection.consume_read(n);
      to += n;
      copied += n;
    }
  }
  return copied;
}

// Copies the bytes of a buffer sequence that start at `offset` into `to`; returns how many.
template <class ConstBuffers>
size_t gather(const ConstBuffers& buffers, size_t offset, std::span<uint8_t> to) {
  size_t copied = 0;
  for (auto it = net::buffer_sequence_begin(buffers);
       it != net::buffer_sequence_end(buffers) && copied < to.size(); ++it) {
    net::const_buffer from(*it);
    if (offset >= from.size()) {
      offset -= from.size();
      continue;
    }
    from += offset;
    offset = 0;
    const size_t n = std::min(from.size(), to.size() - copied);
    std::memcpy(to.data() + copied, from.data(), n);
    copied += n;
  }
  return copied;
}

// The handshake: flush what the connection queued, read until it completes or fails.
class HandshakeOp {
 public:
  static constexpr bool kReportsBytes = false;

  Step next(Channel& channel) {
    Connection& connection = channel.connection();
    if (transport_) return done(transport_);
    if (channel.ready_to_flush()) return flush();
    if (channel.write_error()) return done(channel.write_error());
    if (connection.failed()) return done(channel.tls_error());
    if (connection.handshake_complete()) return done({});
    std::span<uint8_t> room = connection.prepare_receive(kReceiveSize);
    if (room.empty()) return done(ErrorCode::internal_error);
    return receive_into(room);
  }
  void on_read(Channel& channel, const error_code& ec, size_t n) {
    transport_ = take_received(channel.connection(), ec, n);
  }
  void on_written(const error_code& ec) { transport_ = ec; }

 private:
  error_code transport_;
};

// async_read_some: received plaintext, else one transport read at a time until some comes.
// It writes only to send the alert of an error that ends the connection, and only when no
// write is under way (which sends it then); what else the peer's input queued (a KeyUpdate
// answer) goes out with the next write, before our next application data as RFC 8446 §4.6.3
// asks. So a read never waits on a write.
template <class MutableBuffers>
class ReadOp {
 public:
  static constexpr bool kReportsBytes = true;
  explicit ReadOp(const MutableBuffers& buffers) : buffers_(buffers) {}

  Step next(Channel& channel) {
    Connection& connection = channel.connection();
    // Asio's rule for streams: an empty read completes at once.
    if (net::buffer_size(buffers_) == 0) return done({});
    if (connection.readable() > 0) return done({}, copy_plaintext(connection, buffers_));
    if (transport_) return done(transport_);
    if (connection.failed()) {
      if (channel.ready_to_flush()) return flush();
      return done(channel.tls_error());
    }
    if (connection.peer_closed()) return done(net::error::eof);
    if (!connection.handshake_complete()) return done(ErrorCode::closed);
    std::span<uint8_t> room = connection.prepare_receive(kReceiveSize);
    if (room.empty()) return done(ErrorCode::internal_error);
    return receive_into(room);
  }
  void on_read(Channel& channel, const error_code& ec, size_t n) {
    transport_ = take_received(channel.connection(), ec, n);
  }
  void on_written(const error_code&) {}

 private:
  MutableBuffers buffers_;
  error_code transport_;
};

// async_write_some: seals up to kWriteBatch bytes of the caller's data and writes them, with
// whatever the peer's input queued meanwhile, then reports the bytes it took.
template <class ConstBuffers>
class WriteOp {
 public:
  static constexpr bool kReportsBytes = true;
  explicit WriteOp(const ConstBuffers& buffers) : buffers_(buffers) {}

  Step next(Channel& channel) {
    if (net::buffer_size(buffers_) == 0) return done({});
    if (!sealed_) {
      sealed_ = true;
      // Only a read flushing the alert of a failure writes besides us; else two writes overlap.
      if (channel.writing() && !channel.connection().failed()) {
        return done(net::error::already_started);
      }
      seal(channel);
    }
    if (transport_) return done(transport_);
    if (channel.ready_to_flush()) return flush();
    if (accepted_ > 0) return done({}, accepted_);
    if (channel.write_error()) return done(channel.write_error());
    if (channel.connection().failed()) return done(channel.tls_error());
    // Before the handshake completed, or after a shutdown.
    return done(ErrorCode::closed);
  }
  void on_read(Channel&, const error_code&, size_t) {}
  void on_written(const error_code& ec) { transport_ = ec; }

 private:
  void seal(Channel& channel) {
    if (channel.writing() || channel.write_error()) return;
    Connection& connection = channel.connection();
    const size_t total = std::min(net::buffer_size(buffers_), kWriteBatch);
    while (accepted_ < total) {
      std::span<uint8_t> room = connection.prepare_write(total - accepted_);
      if (room.empty()) return;
      const size_t n = gather(buffers_, accepted_, room);
      if (!connection.commit_write(n)) return;
      accepted_ += n;
      channel.stage();
    }
  }

  ConstBuffers buffers_;
  bool sealed_ = false;
  size_t accepted_ = 0;
  error_code transport_;
};

// async_shutdown_write sends close_notify only; async_shutdown then waits for the peer's,
// discarding the application data that comes before it.
class ShutdownOp {
 public:
  static constexpr bool kReportsBytes = false;
  explicit ShutdownOp(bool wait_for_peer) : wait_for_peer_(wait_for_peer) {}

  Step next(Channel& channel) {
    Connection& connection = channel.connection();
    if (!closed_) {
      closed_ = true;
      connection.close();
    }
    if (transport_) return done(transport_);
    if (channel.ready_to_flush()) return flush();
    if (channel.write_error()) return done(channel.write_error());
    if (connection.failed()) return done(channel.tls_error());
    if (!wait_for_peer_ || connection.peer_closed() || !connection.handshake_complete()) {
      return done({});
    }
    connection.consume_read(connection.readable());
    std::span<uint8_t> room = connection.prepare_receive(kReceiveSize);
    if (room.empty()) return done(ErrorCode::internal_error);
    return receive_into(room);
  }
  void on_read(Channel& channel, const error_code& ec, size_t n) {
    transport_ = take_received(channel.connection(), ec, n);
  }
  void on_written(const error_code& ec) { transport_ = ec; }

 private:
  bool wait_for_peer_;
  bool closed_ = false;
  error_code transport_;
};

// Runs an operation for net::async_compose: each call handles the I/O the last step asked for
// and does what the next one asks.
template <class NextLayer, class Operation>
class AsyncDriver {
 public:
  AsyncDriver(NextLayer& next_layer, Channel& channel, Operation op)
      : next_layer_(&next_layer), channel_(&channel), op_(std::move(op)) {}

  template <class Self>
  void operator()(Self& self, error_code ec = {}, size_t n = 0) {
    switch (std::exchange(waiting_, Wait::done)) {
      case Wait::read:
        op_.on_read(*channel_, ec, n);
        break;
      case Wait::write:
        channel_->end_flush(ec);
        op_.on_written(ec);
        break;
      case Wait::done:
        if (result_) return complete(self, *result_);
        break;
    }
    Step step = op_.next(*channel_);
    switch (step.wait) {
      case Wait::write: {
        waiting_ = Wait::write;
        did_io_ = true;
        std::span<const uint8_t> out = channel_->begin_flush();
        net::async_write(*next_layer_, net::buffer(out.data(), out.size()), std::move(self));
        return;
      }
      case Wait::read:
        waiting_ = Wait::read;
        did_io_ = true;
        next_layer_->async_read_some(net::buffer(step.room.data(), step.room.size()),
                                     std::move(self));
        return;
      case Wait::done:
        if (did_io_) return complete(self, step);
        // Done without I/O: the handler must not run inside the initiating call.
        result_ = step;
        net::post(std::move(self));
        return;
    }
  }

 private:
  template <class Self>
  static void complete(Self& self, const Step& step) {
    if constexpr (Operation::kReportsBytes) {
      self.complete(step.ec, step.bytes);
    } else {
      self.complete(step.ec);
    }
  }

  NextLayer* next_layer_;
  Channel* channel_;
  Operation op_;
  Wait waiting_ = Wait::done;
  bool did_io_ = false;
  std::optional<Step> result_;
};

// Runs an operation with the next layer's blocking calls.
template <class NextLayer, class Operation>
Step run_blocking(NextLayer& next_layer, Channel& channel, Operation op) {
  for (;;) {
    Step step = op.next(channel);
    switch (step.wait) {
      case Wait::write: {
        std::span<const uint8_t> out = channel.begin_flush();
        error_code ec;
        net::write(next_layer, net::buffer(out.data(), out.size()), ec);
        channel.end_flush(ec);
        op.on_written(ec);
        break;
      }
      case Wait::read: {
        error_code ec;
        const size_t n = next_layer.read_some(net::buffer(step.room.data(), step.room.size()), ec);
        op.on_read(channel, ec, n);
        break;
      }
      case Wait::done:
        return step;
    }
  }
}

template <class T>
struct LowestLayer {
  using type = T;
};
template <class T>
requires requires {
  typename T::lowest_layer_type;
}
struct LowestLayer<T> {
  using type = typename T::lowest_layer_type;
};

}  // namespace detail

}  // namespace BASTION_ASIO_FLAVOR_NAMESPACE
