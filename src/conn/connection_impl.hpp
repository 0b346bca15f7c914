// The sans-I/O connection: records in, records out, a handshake state machine in between.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "bastion/connection.hpp"
#include "handshake/handshake.hpp"
#include "msgs/handshake.hpp"
#include "record/deframer.hpp"
#include "record/protector.hpp"

namespace bastion {

struct Connection::Impl final : handshake::RecordSink {
  Impl(const crypto::Provider& crypto, std::unique_ptr<handshake::Handshake> handshake, bool client)
      : provider(crypto), hs(std::move(handshake)), is_client(client) {}

  // RecordSink
  Result<void> send_handshake(std::span<const uint8_t> message) override;
  void send_change_cipher_spec() override;
  Result<void> set_write_secret(const handshake::CipherSuiteInfo& suite,
                                const Secret& secret) override;
  Result<void> set_read_secret(const handshake::CipherSuiteInfo& suite,
                               const Secret& secret) override;

  Result<void> receive(std::span<const uint8_t> data);
  Result<void> write(std::span<const uint8_t> data);
  void close();
  Result<void> key_update(bool request_peer);

  // Records a fatal error, queues its alert unless the peer sent one, and returns it.
  Error fail(Error error);

  const crypto::Provider& provider;
  std::unique_ptr<handshake::Handshake> hs;
  bool is_client;

  // Received bytes. The records before in_pos have been handled; application data among them
  // was decrypted in place and stays here until read, as the spans in `plaintext`.
  std::vector<uint8_t> in;
  size_t in_pos = 0;
  struct Plaintext {
    size_t offset;  // into `in`
    size_t size;
  };
  std::vector<Plaintext> plaintext;  // unread application data, oldest first
  size_t plaintext_head = 0;         // the first entry not fully read
  size_t readable = 0;               // unread application data bytes
  // Bytes to send: [out_pos, out.size()) is what pending_output() shows.
  std::vector<uint8_t> out;
  size_t out_pos = 0;
  // Whether the last application record sealed was full: more are likely to follow, so the
  // send buffer is kept when it empties (see consume_output).
  bool streaming = false;
  bool sent_application_data = false;

  std::span<const uint8_t> pending_output() const { return std::span(out).subspan(out_pos); }
  void consume_output(size_t n);
  size_t read(std::span<uint8_t> dest);

 private:
  Result<void> process_record(record::RecordView record);
  Result<void> on_plaintext(ContentType type, std::span<uint8_t> content);
  Result<void> on_handshake_fragment(std::span<const uint8_t> fragment);
  Result<void> on_post_handshake(const msgs::HandshakeMessage& message);
  Result<void> on_alert(std::span<const uint8_t> content);
  Result<void> on_change_cipher_spec(std::span<const uint8_t> fragment);
  Result<void> seal(ContentType type, std::span<const uint8_t> content);
  Result<void> send_key_update(bool request_peer);
  void send_alert(Alert alert, bool fatal);
  void make_room_for_input(size_t incoming);
  void compact_output();
  void release_input_if_drained();

 public:
  record::Deframer deframer;
  msgs::HandshakeReassembler reassembler;
  std::optional<record::RecordProtector> reader;
  std::optional<record::RecordProtector> writer;
  std::optional<Error> error;
  bool sent_first_record = false;
  bool sent_close = false;
  bool received_close = false;
  bool opened_protected_record = false;
  unsigned change_cipher_specs = 0;
  unsigned empty_records = 0;
  unsigned key_updates_in_a_row = 0;
  unsigned warning_alerts = 0;
};

}  // namespace bastion
