// The sans-I/O connection: records in, records out, a handshake state machine in between.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "bastion/connection.hpp"
#include "conn/record_buffer.hpp"
#include "core/buffer_pool.hpp"
#include "handshake/handshake.hpp"
#include "msgs/handshake.hpp"
#include "record/deframer.hpp"
#include "record/protector.hpp"

namespace bastion {

inline Error unexpected(std::string detail) {
  return Error{ErrorCode::unexpected_message, std::move(detail)};
}

struct BASTION_INTERNAL Connection::Impl final : handshake::RecordSink {
  Impl(const crypto::Provider& crypto, std::shared_ptr<BufferPool> buffer_pool,
       std::unique_ptr<handshake::Handshake> handshake, bool client)
      : provider(crypto),
        pool(std::move(buffer_pool)),
        hs(std::move(handshake)),
        is_client(client) {}
  // A write prepared but never committed may hold plaintext; the send buffer's block would
  // otherwise go back to the pool with it.
  ~Impl() override { wipe_prepared_write(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // RecordSink
  Result<void> send_handshake(std::span<const uint8_t> message) override;
  void send_change_cipher_spec() override;
  Result<void> set_write_keys(handshake::DirectionKeys keys) override;
  Result<void> set_read_keys(handshake::DirectionKeys keys) override;

  // The public calls (see connection.hpp).
  Result<void> receive(std::span<const uint8_t> data);
  std::span<uint8_t> prepare_receive(size_t max);
  Result<void> commit_receive(size_t n);
  std::span<const uint8_t> peek_read() const;
  void consume_read(size_t n);
  size_t read(std::span<uint8_t> dest);
  Result<void> write(std::span<const uint8_t> data);
  std::span<uint8_t> prepare_write(size_t max);
  Result<void> commit_write(size_t n);
  std::span<const uint8_t> pending_output() const {
    return {out.data() + out_pos, out_end - out_pos};
  }
  void consume_output(size_t n);
  void release_buffers();
  void close();
  Result<void> key_update(bool request_peer);

  // Records a fatal error, queues its alert unless the peer sent one, and returns it.
  Error fail(Error error);
  Result<void> receive_eof();

  static constexpr uint8_t kAlertWarning = 1;
  static constexpr uint8_t kAlertFatal = 2;

  const crypto::Provider& provider;
  // Declared before the buffers, which hand their blocks back to it when destroyed.
  std::shared_ptr<BufferPool> pool;
  std::unique_ptr<handshake::Handshake> hs;
  bool is_client;

  // Received bytes: [0, in_pos) holds handled records (application data among them was
  // decrypted in place and stays there until read, as the spans in `plaintext`), and
  // [in_pos, in_end) the start of the next record, which needs in_need more bytes.
  RecordBuffer in{*pool};
  size_t in_pos = 0;
  size_t in_end = 0;
  size_t in_need = limits::kRecordHeader;
  // The span prepare_receive() handed out, until commit_receive().
  size_t in_offered = 0;
  // Whether that span was cut where the current record ends (see input_space), and the last
  // input filled it: the peer is streaming, so the buffer is kept when it drains.
  bool in_cut = false;
  bool in_streaming = false;
  struct Plaintext {
    size_t offset;  // into `in`
    size_t size;
  };
  std::vector<Plaintext> plaintext;  // unread application data, oldest first
  size_t plaintext_head = 0;         // the first entry not fully read
  size_t readable = 0;               // unread application data bytes

  // Bytes to send: [out_pos, out_end) is what pending_output() shows. After a prepare_write()
  // the next record's content is being written at out_end + header, `prepared` bytes of it.
  // While that span is out, nothing the peer causes is written to the buffer: the answers it
  // asks for wait (owed) until the span is committed or withdrawn.
  RecordBuffer out{*pool};
  size_t out_pos = 0;
  size_t out_end = 0;
  size_t prepared = 0;
  bool key_update_owed = false;  // RFC 8446 §4.6.3: before our next application data
  bool alert_owed = false;       // the fatal alert for `error`

 private:
  Result<void> process_input();
  Result<void> process_record(record::RecordView record);
  Result<void> on_plaintext(ContentType type, std::span<uint8_t> content);
  Result<void> on_handshake_fragment(std::span<const uint8_t> fragment);
  // The version's record policy (record_policy.cpp): which records are protected, what
  // change_cipher_spec, alerts and post-handshake messages mean.
  bool tls12() const { return hs->info().version == ProtocolVersion::tls12; }
  Result<void> on_post_handshake(const msgs::HandshakeMessage& message);
  Result<void> on_post_handshake12(const msgs::HandshakeMessage& message);
  Result<void> on_alert(std::span<const uint8_t> content);
  Result<void> on_change_cipher_spec(std::span<const uint8_t> fragment);
  Result<void> seal(ContentType type, std::span<const uint8_t> content);
  void append_plaintext(ContentType type, std::span<const uint8_t> content, uint16_t version);
  Result<void> send_key_update(bool request_peer);
  Result<void> update_write_keys();
  Result<void> seal_key_update_before_prepared(size_t n);
  void send_alert(Alert alert, bool fatal);
  std::optional<Error> write_refusal() const;
  std::span<uint8_t> output_space(size_t size);
  void wipe_prepared_write();
  void withdraw_prepared_write();
  void send_owed();
  std::span<uint8_t> input_space(size_t max, bool may_grow);
  void compact_input();
  void settle_input();

 public:
  record::Deframer deframer;
  // A server reads a ClientHello as large as the RFC allows; a client never takes one.
  msgs::HandshakeReassembler reassembler{
      limits::kMaxHandshakeMessage,
      is_client ? limits::kMaxHandshakeMessage : limits::kMaxClientHello};
  std::optional<record::RecordProtector> reader;
  std::optional<record::RecordProtector> writer;
  // TLS 1.3: the traffic secrets of the installed keys, which KeyUpdate advances.
  std::optional<handshake::TrafficSecret> read_secret;
  std::optional<handshake::TrafficSecret> write_secret;
  std::optional<Error> error;
  bool sent_first_record = false;
  bool sent_close = false;
  bool received_close = false;
  bool opened_protected_record = false;
  unsigned change_cipher_specs = 0;
  unsigned empty_records = 0;
  unsigned key_updates_in_a_row = 0;
  unsigned warning_alerts = 0;
  unsigned renegotiation_attempts = 0;
};

}  // namespace bastion
