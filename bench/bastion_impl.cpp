// The scenarios through Bastion's public API.
#include <cstring>
#include <optional>
#include <stdexcept>

#include "bastion/bastion.hpp"
#include "bastion/connection.hpp"
#include "bastion/x509.hpp"
#include "implementation.hpp"

namespace bench {
namespace {

using bastion::CipherSuite;
using bastion::ClientConnection;
using bastion::Connection;
using bastion::ServerConnection;

CipherSuite to_suite(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return CipherSuite::tls_aes_128_gcm_sha256;
    case Suite::aes256gcm:
      return CipherSuite::tls_aes_256_gcm_sha384;
    case Suite::chacha20:
      return CipherSuite::tls_chacha20_poly1305_sha256;
  }
  return CipherSuite::tls_aes_128_gcm_sha256;
}

// The TLS 1.2 suite of the same AEAD with the ECDSA server of the bulk figures.
CipherSuite to_suite12(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;
    case Suite::aes256gcm:
      return CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384;
    case Suite::chacha20:
      return CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256;
  }
  return CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256;
}

template <class T>
T must(bastion::Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message());
  return std::move(r).value();
}

struct Pair {
  std::optional<ClientConnection> client;
  std::optional<ServerConnection> server;
};

// Keeps the tickets a client receives, as a real store does, but never hands one out: the
// connections that use it make full handshakes.
class KeepingStore final : public bastion::SessionStore {
 public:
  void put(std::string_view name, std::shared_ptr<const bastion::Session> session) override {
    kept_->put(name, std::move(session));
  }
  std::shared_ptr<const bastion::Session> take(std::string_view) override { return nullptr; }

 private:
  std::shared_ptr<bastion::SessionStore> kept_ = bastion::memory_session_store();
};

class BastionImpl final : public Implementation {
 public:
  BastionImpl() {
    auto provider = bastion::default_provider();
    auto ca = must(bastion::parse_pem_certificates(ca_pem()), "CA PEM");
    auto store = must(bastion::TrustStore::from_ders(ca), "trust store");
    verifier_ = bastion::webpki_verifier(store, provider);
    for (KeyKind key : {KeyKind::ecdsa_p256, KeyKind::rsa_2048}) {
      servers_[index(key)] = server_config(key, bastion::ServerOptions().pooled_buffers);
    }
    for (Suite s : {Suite::aes128gcm, Suite::aes256gcm, Suite::chacha20}) {
      clients_[static_cast<size_t>(s)] = client_config({to_suite(s)});
      clients12_[static_cast<size_t>(s)] =
          client_config({to_suite12(s)}, bastion::ClientOptions().pooled_buffers,
                        bastion::ProtocolVersion::tls12);
    }
    default_client_ = client_config({});
    default_client12_ =
        client_config({}, bastion::ClientOptions().pooled_buffers, bastion::ProtocolVersion::tls12);
    // The idle-memory figures run on configs without a buffer pool, so that every buffer a
    // connection holds is counted as its own (a pooled block would have been allocated before
    // the measurement). The behaviour is the same: a pool only changes where a released
    // buffer goes.
    idle_server_ = server_config(KeyKind::ecdsa_p256, 0);
    idle_client_ = client_config({}, 0);
    make_ticket_configs(provider);
  }

  std::string name() const override { return "bastion"; }

  Sample handshake(KeyKind key, Version version, const Params& params) override {
    Sample s;
    CpuSplit cpu;
    cpu.begin();
    const auto& client = version == Version::tls12 ? default_client12_ : default_client_;
    for (int i = 0; i < params.handshakes; ++i) {
      Pair pair;
      if (!connect(client, servers_[index(key)], pair, cpu, s.error)) return s;
      if (!pair.client->info().peer_verified) {
        s.error = "client did not verify the server";
        return s;
      }
      cpu.run(Side::client, [&] { pair.client.reset(); });
      cpu.run(Side::server, [&] { pair.server.reset(); });
    }
    return per_handshake(cpu, params.handshakes);
  }

  Sample handshake_with_tickets(const Params& params) override {
    return ticket_handshakes(keeping_client_, false, params);
  }

  Sample resumed_handshake(Version version, const Params& params) override {
    Sample s;
    // A full handshake first, so that the client holds tickets; each resumed connection then
    // brings more.
    const auto& client = version == Version::tls12 ? resuming_client12_ : resuming_client_;
    Pair first;
    CpuSplit warm;
    if (!connect(client, ticket_server_, first, warm, s.error)) return s;
    return ticket_handshakes(client, true, params);
  }

  Sample bulk(Suite suite, size_t write_size, Version version, const Params& params) override {
    Sample s;
    Pair pair;
    CpuSplit setup;
    const auto& clients = version == Version::tls12 ? clients12_ : clients_;
    if (!connect(clients[static_cast<size_t>(suite)], servers_[0], pair, setup, s.error)) {
      return s;
    }
    uint64_t ignored = 0;
    // One batch first, so that buffers reach their steady-state size.
    if (!transfer(pair, write_size, kBulkBatch, setup, ignored, s.error)) return s;
    CpuSplit cpu;
    cpu.begin();
    if (!transfer(pair, write_size, params.bulk_bytes, cpu, ignored, s.error)) return s;
    return per_megabyte(cpu, params.bulk_bytes);
  }

  Sample idle_memory(Side side, size_t message, const Params& params) override {
    Sample s;
    const int64_t before = heap(side).live_bytes;
    std::vector<Pair> pairs(static_cast<size_t>(params.idle_connections));
    for (Pair& pair : pairs) {
      CpuSplit cpu;
      if (!connect(idle_client_, idle_server_, pair, cpu, s.error) ||
          !exchange(pair, message, cpu, s.error)) {
        return s;
      }
    }
    s.value =
        static_cast<double>(heap(side).live_bytes - before) / static_cast<double>(pairs.size());
    s.ok = true;
    for (Pair& pair : pairs) {
      SideScope client_scope(Side::client);
      pair.client.reset();
      SideScope server_scope(Side::server);
      pair.server.reset();
    }
    return s;
  }

  Sample allocs_per_record(const Params& params) override {
    Sample s;
    Pair pair;
    CpuSplit cpu;
    if (!connect(clients_[0], servers_[0], pair, cpu, s.error)) return s;
    uint64_t records = 0;
    uint64_t warm = 0;
    if (!transfer(pair, 16384, kBulkBatch, cpu, warm, s.error) ||
        !transfer(pair, 1024, kBulkBatch, cpu, warm, s.error)) {
      return s;
    }
    const uint64_t before = heap(Side::client).allocations + heap(Side::server).allocations;
    const size_t bytes = std::max(params.bulk_bytes / 4, kBulkBatch);
    if (!transfer(pair, 16384, bytes, cpu, records, s.error) ||
        !transfer(pair, 1024, bytes, cpu, records, s.error)) {
      return s;
    }
    const uint64_t after = heap(Side::client).allocations + heap(Side::server).allocations;
    s.value = static_cast<double>(after - before) / static_cast<double>(records);
    s.ok = true;
    return s;
  }

 private:
  static size_t index(KeyKind key) { return key == KeyKind::ecdsa_p256 ? 0 : 1; }

  std::shared_ptr<const bastion::ServerConfig> server_config(KeyKind key, size_t pooled_buffers) {
    auto provider = bastion::default_provider();
    bastion::ServerOptions so;
    so.groups = {bastion::NamedGroup::x25519};
    so.certificates.push_back(
        must(bastion::CertifiedKey::from_pem(leaf_cert_pem(key), leaf_key_pem(key), provider),
             "server key"));
    so.pooled_buffers = pooled_buffers;
    so.session_tickets = 0;  // as the OpenSSL side; the ticket figures have their own configs
    return must(bastion::ServerConfig::create(std::move(so)), "server config");
  }

  std::shared_ptr<const bastion::ClientConfig> client_config(
      std::vector<CipherSuite> suites,
      size_t pooled_buffers = bastion::ClientOptions().pooled_buffers,
      bastion::ProtocolVersion max = bastion::ProtocolVersion::tls13) {
    bastion::ClientOptions co;
    co.cipher_suites = std::move(suites);
    co.max_version = max;
    co.pooled_buffers = pooled_buffers;
    co.groups = {bastion::NamedGroup::x25519};
    co.verifier = verifier_;
    co.resumption = false;
    return must(bastion::ClientConfig::create(std::move(co)), "client config");
  }

  // The ECDSA server with its default tickets; a client that keeps them without offering any,
  // and one that resumes.
  void make_ticket_configs(const std::shared_ptr<const bastion::crypto::Provider>& provider) {
    bastion::ServerOptions so;
    so.groups = {bastion::NamedGroup::x25519};
    so.certificates.push_back(
        must(bastion::CertifiedKey::from_pem(leaf_cert_pem(KeyKind::ecdsa_p256),
                                             leaf_key_pem(KeyKind::ecdsa_p256), provider),
             "server key"));
    ticket_server_ = must(bastion::ServerConfig::create(std::move(so)), "ticket server config");
    bastion::ClientOptions co;
    co.groups = {bastion::NamedGroup::x25519};
    co.verifier = verifier_;
    co.session_store = std::make_shared<KeepingStore>();
    keeping_client_ = must(bastion::ClientConfig::create(co), "ticket client config");
    co.session_store = bastion::memory_session_store();
    resuming_client_ = must(bastion::ClientConfig::create(co), "resuming client config");
    co.session_store = bastion::memory_session_store();
    co.max_version = bastion::ProtocolVersion::tls12;
    resuming_client12_ = must(bastion::ClientConfig::create(co), "resuming 1.2 client config");
  }

  // Handshakes with the ticket server; `resumed` says whether each must have been resumed.
  Sample ticket_handshakes(const std::shared_ptr<const bastion::ClientConfig>& client, bool resumed,
                           const Params& params) {
    Sample s;
    CpuSplit cpu;
    cpu.begin();
    for (int i = 0; i < params.handshakes; ++i) {
      Pair pair;
      if (!connect(client, ticket_server_, pair, cpu, s.error)) return s;
      const bastion::ConnectionInfo info = pair.client->info();
      if (info.resumed != resumed || !info.peer_verified) {
        s.error = resumed ? "the client did not resume" : "the client resumed";
        return s;
      }
      cpu.run(Side::client, [&] { pair.client.reset(); });
      cpu.run(Side::server, [&] { pair.server.reset(); });
    }
    return per_handshake(cpu, params.handshakes);
  }

  // Creates both ends and moves bytes until neither has anything to send.
  static bool connect(const std::shared_ptr<const bastion::ClientConfig>& cc,
                      const std::shared_ptr<const bastion::ServerConfig>& sc, Pair& pair,
                      CpuSplit& cpu, std::string& error) {
    bool created = true;
    cpu.run(Side::client, [&] {
      auto c = ClientConnection::create(cc, kServerName);
      if (c) pair.client.emplace(std::move(c).value());
      created = created && c.ok();
    });
    cpu.run(Side::server, [&] {
      auto c = ServerConnection::create(sc);
      if (c) pair.server.emplace(std::move(c).value());
      created = created && c.ok();
    });
    if (!created) {
      error = "cannot create the connections";
      return false;
    }
    if (!pump(pair, cpu, error)) return false;
    if (!pair.client->handshake_complete() || !pair.server->handshake_complete()) {
      error = "handshake did not complete";
      return false;
    }
    return true;
  }

  static bool flush(Connection& from, Side from_side, Connection& to, Side to_side, Pipe& pipe,
                    CpuSplit& cpu, std::string& error) {
    bool moved = false;
    cpu.run(from_side, [&] {
      auto out = from.pending_output();
      if (out.empty()) return;
      pipe.push(out);
      from.consume_output(out.size());
      moved = true;
    });
    if (!moved) return false;
    cpu.run(to_side, [&] {
      auto ok = to.receive(pipe.readable());
      if (!ok) error = ok.error().message();
      pipe.pop(pipe.readable().size());
    });
    return true;
  }

  static bool pump(Pair& pair, CpuSplit& cpu, std::string& error) {
    Pipe c2s;
    Pipe s2c;
    for (int round = 0; round < 32; ++round) {
      bool moved = flush(*pair.client, Side::client, *pair.server, Side::server, c2s, cpu, error);
      moved =
          flush(*pair.server, Side::server, *pair.client, Side::client, s2c, cpu, error) || moved;
      if (!error.empty()) return false;
      if (!moved) return true;
    }
    error = "pump did not settle";
    return false;
  }

  // A request and a response of `message` bytes each, read in full by the other side.
  static bool exchange(Pair& pair, size_t message, CpuSplit& cpu, std::string& error) {
    std::vector<uint8_t> bytes(message, 0x5a);
    std::vector<uint8_t> buffer(message);
    for (auto [side, from, to] :
         {std::tuple<Side, Connection*, Connection*>{Side::client, &*pair.client, &*pair.server},
          std::tuple<Side, Connection*, Connection*>{Side::server, &*pair.server, &*pair.client}}) {
      {
        SideScope scope(side);
        if (auto ok = from->write(bytes); !ok) {
          error = ok.error().message();
          return false;
        }
      }
      if (!pump(pair, cpu, error)) return false;
      SideScope scope(side == Side::client ? Side::server : Side::client);
      size_t got = 0;
      while (size_t n = to->read(std::span(buffer).subspan(got))) got += n;
      if (got != message) {
        error = "exchange lost data";
        return false;
      }
    }
    return true;
  }

  // Sends `total` bytes from client to server in `write_size` writes, through the zero-copy
  // calls: the client produces each write straight into the send buffer and hands the sealed
  // flight to the pipe (one copy, as a socket's send() would make); the server reads the pipe
  // in kReadChunk pieces straight into its receive buffer (one copy, as recv() would make) and
  // consumes the plaintext where it was decrypted.
  bool transfer(Pair& pair, size_t write_size, size_t total, CpuSplit& cpu, uint64_t& records,
                std::string& error) {
    if (wire_.bytes.capacity() == 0) wire_.bytes.reserve(2 * kBulkBatch);
    size_t sent = 0;
    size_t received = 0;
    while (sent < total) {
      const size_t batch_end = std::min(total, sent + kBulkBatch);
      cpu.run(Side::client, [&] {
        for (; sent < batch_end; sent += write_size) {
          std::span<uint8_t> space = pair.client->prepare_write(write_size);
          // The application's data, produced in place (the same bytes OpenSSL's client sends).
          std::memset(space.data(), 0x5a, space.size());
          if (auto ok = pair.client->commit_write(space.size()); !ok) error = ok.error().message();
          auto out = pair.client->pending_output();
          wire_.push(out);
          pair.client->consume_output(out.size());
          ++records;
        }
      });
      cpu.run(Side::server, [&] {
        while (!wire_.empty()) {
          auto chunk = wire_.readable();
          std::span<uint8_t> space =
              pair.server->prepare_receive(std::min(chunk.size(), kReadChunk));
          if (space.empty()) {
            error = "no room to receive";
            return;
          }
          std::memcpy(space.data(), chunk.data(), space.size());
          if (auto ok = pair.server->commit_receive(space.size()); !ok) {
            error = ok.error().message();
          }
          wire_.pop(space.size());
          for (auto plain = pair.server->peek_read(); !plain.empty();
               plain = pair.server->peek_read()) {
            received += plain.size();
            pair.server->consume_read(plain.size());
          }
        }
      });
      if (!error.empty()) return false;
    }
    if (received != sent) {
      error = "transfer lost data";
      return false;
    }
    return true;
  }

  std::shared_ptr<const bastion::CertificateVerifier> verifier_;
  std::shared_ptr<const bastion::ServerConfig> servers_[2];
  std::shared_ptr<const bastion::ClientConfig> clients_[3];
  std::shared_ptr<const bastion::ClientConfig> clients12_[3];
  std::shared_ptr<const bastion::ClientConfig> default_client_;
  std::shared_ptr<const bastion::ClientConfig> default_client12_;
  std::shared_ptr<const bastion::ServerConfig> idle_server_;
  std::shared_ptr<const bastion::ClientConfig> idle_client_;
  std::shared_ptr<const bastion::ServerConfig> ticket_server_;
  std::shared_ptr<const bastion::ClientConfig> keeping_client_;
  std::shared_ptr<const bastion::ClientConfig> resuming_client_;
  std::shared_ptr<const bastion::ClientConfig> resuming_client12_;
  Pipe wire_;
};

}  // namespace

std::unique_ptr<Implementation> make_bastion() {
  return std::make_unique<BastionImpl>();
}

}  // namespace bench
