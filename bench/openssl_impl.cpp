// The scenarios through OpenSSL's libssl: SSL_CTX and SSL objects whose BIOs read and write
// the harness's in-memory pipes, configured like Bastion (TLS 1.3 only, x25519, the client
// verifying chain and host name, no session tickets, no session cache), except for the ticket
// and resumption figures, whose contexts send tickets (OpenSSL's default two) and keep them.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "implementation.hpp"

namespace bench {
namespace {

template <auto Free>
struct Freer {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using SslPtr = std::unique_ptr<SSL, Freer<SSL_free>>;
using CtxPtr = std::unique_ptr<SSL_CTX, Freer<SSL_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Freer<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Freer<BIO_free_all>>;

[[noreturn]] void fail(const std::string& what) {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
  throw std::runtime_error("openssl: " + what + ": " + buf);
}

// A BIO over a harness Pipe, the in-memory stand-in for a socket.
int pipe_write(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  static_cast<Pipe*>(BIO_get_data(bio))
      ->push({reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len)});
  return len;
}

int pipe_read(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  auto* pipe = static_cast<Pipe*>(BIO_get_data(bio));
  if (pipe->empty()) {
    BIO_set_retry_read(bio);
    return -1;
  }
  const size_t n = std::min(pipe->readable().size(), static_cast<size_t>(len));
  std::memcpy(out, pipe->readable().data(), n);
  pipe->pop(n);
  return static_cast<int>(n);
}

long pipe_ctrl(BIO* bio, int cmd, long, void*) {
  auto* pipe = static_cast<Pipe*>(BIO_get_data(bio));
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return static_cast<long>(pipe->readable().size());
    default:
      return 0;
  }
}

int pipe_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

BIO_METHOD* pipe_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench pipe");
    if (m == nullptr || !BIO_meth_set_write(m, pipe_write) || !BIO_meth_set_read(m, pipe_read) ||
        !BIO_meth_set_ctrl(m, pipe_ctrl) || !BIO_meth_set_create(m, pipe_create)) {
      fail("BIO_meth_new");
    }
    return m;
  }();
  return method;
}

BIO* pipe_bio(Pipe& pipe) {
  SideScope scope(Side::harness);
  BIO* bio = BIO_new(pipe_method());
  if (bio == nullptr) fail("BIO_new");
  BIO_set_data(bio, &pipe);
  return bio;
}

X509Ptr read_cert(const char* pem) {
  BioPtr bio(BIO_new_mem_buf(pem, -1));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("PEM_read_bio_X509");
  return cert;
}

PkeyPtr read_key(const char* pem) {
  BioPtr bio(BIO_new_mem_buf(pem, -1));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("PEM_read_bio_PrivateKey");
  return key;
}

const char* suite_name(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return "TLS_AES_128_GCM_SHA256";
    case Suite::aes256gcm:
      return "TLS_AES_256_GCM_SHA384";
    case Suite::chacha20:
      return "TLS_CHACHA20_POLY1305_SHA256";
  }
  return "";
}

const char* suite_name12(Suite s) {
  switch (s) {
    case Suite::aes128gcm:
      return "ECDHE-ECDSA-AES128-GCM-SHA256";
    case Suite::aes256gcm:
      return "ECDHE-ECDSA-AES256-GCM-SHA384";
    case Suite::chacha20:
      return "ECDHE-ECDSA-CHACHA20-POLY1305";
  }
  return "";
}

// Servers take TLS 1.2 and 1.3 (as Bastion's); clients one version, as the figure says.
void common_setup(SSL_CTX* ctx, int min_version = TLS1_3_VERSION) {
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1 ||
      SSL_CTX_set1_groups_list(ctx, "X25519") != 1) {
    fail("context setup");
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
}

// Both ends of one connection; the pipes outlive the SSL objects that point at them.
struct OsslPair {
  Pipe c2s;
  Pipe s2c;
  SslPtr client;
  SslPtr server;
};

class OpenSslImpl final : public Implementation {
 public:
  OpenSslImpl() {
    X509Ptr ca = read_cert(ca_pem());
    for (KeyKind key : {KeyKind::ecdsa_p256, KeyKind::rsa_2048}) {
      CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
      if (!ctx) fail("SSL_CTX_new");
      common_setup(ctx.get(), TLS1_2_VERSION);
      SSL_CTX_set_num_tickets(ctx.get(), 0);
      X509Ptr cert = read_cert(leaf_cert_pem(key));
      PkeyPtr pkey = read_key(leaf_key_pem(key));
      if (SSL_CTX_use_certificate(ctx.get(), cert.get()) != 1 ||
          SSL_CTX_use_PrivateKey(ctx.get(), pkey.get()) != 1) {
        fail("server certificate");
      }
      servers_[key == KeyKind::ecdsa_p256 ? 0 : 1] = std::move(ctx);
    }
    ticket_server_.reset(SSL_CTX_new(TLS_server_method()));
    if (!ticket_server_ ||
        SSL_CTX_set_min_proto_version(ticket_server_.get(), TLS1_2_VERSION) != 1 ||
        SSL_CTX_set1_groups_list(ticket_server_.get(), "X25519") != 1) {
      fail("ticket server context");
    }
    // Stateless tickets: no server-side cache, as Bastion's.
    SSL_CTX_set_session_cache_mode(ticket_server_.get(), SSL_SESS_CACHE_OFF);
    {
      X509Ptr cert = read_cert(leaf_cert_pem(KeyKind::ecdsa_p256));
      PkeyPtr pkey = read_key(leaf_key_pem(KeyKind::ecdsa_p256));
      if (SSL_CTX_use_certificate(ticket_server_.get(), cert.get()) != 1 ||
          SSL_CTX_use_PrivateKey(ticket_server_.get(), pkey.get()) != 1) {
        fail("ticket server certificate");
      }
    }
    for (auto [ctx_ptr, version] : {std::pair{&ticket_client_, TLS1_3_VERSION},
                                    std::pair{&ticket_client12_, TLS1_2_VERSION}}) {
      CtxPtr& ctx = *ctx_ptr;
      ctx.reset(SSL_CTX_new(TLS_client_method()));
      if (!ctx || SSL_CTX_set_min_proto_version(ctx.get(), version) != 1 ||
          SSL_CTX_set_max_proto_version(ctx.get(), version) != 1 ||
          SSL_CTX_set1_groups_list(ctx.get(), "X25519:P-256") != 1 ||
          X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca.get()) != 1) {
        fail("ticket client context");
      }
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
      // The client keeps the newest ticket through the new-session callback, as an application
      // with its own session store does.
      SSL_CTX_set_session_cache_mode(ctx.get(),
                                     SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
      SSL_CTX_set_app_data(ctx.get(), this);
      SSL_CTX_sess_set_new_cb(ctx.get(), keep_session);
    }
    for (int i = 0; i < 4; ++i) {
      CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
      if (!ctx) fail("SSL_CTX_new");
      common_setup(ctx.get());
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
      if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), ca.get()) != 1) {
        fail("X509_STORE_add_cert");
      }
      if (i < 3 && SSL_CTX_set_ciphersuites(ctx.get(), suite_name(static_cast<Suite>(i))) != 1) {
        fail("SSL_CTX_set_ciphersuites");
      }
      clients_[i] = std::move(ctx);
      CtxPtr ctx12(SSL_CTX_new(TLS_client_method()));
      if (!ctx12) fail("SSL_CTX_new");
      common_setup(ctx12.get(), TLS1_2_VERSION);
      // OpenSSL serves an ECDSA certificate in TLS 1.2 only to a client that lists its curve.
      if (SSL_CTX_set_max_proto_version(ctx12.get(), TLS1_2_VERSION) != 1 ||
          SSL_CTX_set1_groups_list(ctx12.get(), "X25519:P-256") != 1) {
        fail("TLS 1.2 client context");
      }
      SSL_CTX_set_verify(ctx12.get(), SSL_VERIFY_PEER, nullptr);
      if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx12.get()), ca.get()) != 1) {
        fail("X509_STORE_add_cert");
      }
      if (i < 3 && SSL_CTX_set_cipher_list(ctx12.get(), suite_name12(static_cast<Suite>(i))) != 1) {
        fail("SSL_CTX_set_cipher_list");
      }
      clients12_[i] = std::move(ctx12);
    }
  }

  std::string name() const override { return "openssl"; }

  Sample handshake(KeyKind key, Version version, const Params& params) override {
    Sample s;
    CpuSplit cpu;
    cpu.begin();
    SSL_CTX* client = (version == Version::tls12 ? clients12_ : clients_)[3].get();
    for (int i = 0; i < params.handshakes; ++i) {
      OsslPair pair;
      if (!connect(client, servers_[key == KeyKind::ecdsa_p256 ? 0 : 1].get(), pair, cpu,
                   s.error)) {
        return s;
      }
      cpu.run(Side::client, [&] { pair.client.reset(); });
      cpu.run(Side::server, [&] { pair.server.reset(); });
    }
    return per_handshake(cpu, params.handshakes);
  }

  Sample handshake_with_tickets(const Params& params) override {
    return ticket_handshakes(params, false, Version::tls13);
  }

  Sample resumed_handshake(Version version, const Params& params) override {
    Sample s;
    CpuSplit warm;
    OsslPair first;
    if (!session(version)) {
      if (!connect(ticket_client(version), ticket_server_.get(), first, warm, s.error, true))
        return s;
      end_cleanly(first.client.get());
    }
    return ticket_handshakes(params, true, version);
  }

  Sample bulk(Suite suite, size_t write_size, Version version, const Params& params) override {
    Sample s;
    OsslPair pair;
    CpuSplit setup;
    const auto& clients = version == Version::tls12 ? clients12_ : clients_;
    if (!connect(clients[static_cast<size_t>(suite)].get(), servers_[0].get(), pair, setup,
                 s.error)) {
      return s;
    }
    uint64_t ignored = 0;
    if (!transfer(pair, write_size, kBulkBatch, setup, ignored, s.error)) return s;
    CpuSplit cpu;
    cpu.begin();
    if (!transfer(pair, write_size, params.bulk_bytes, cpu, ignored, s.error)) return s;
    return per_megabyte(cpu, params.bulk_bytes);
  }

  Sample idle_memory(Side side, size_t message, const Params& params) override {
    Sample s;
    const int64_t before = heap(side).live_bytes;
    std::vector<OsslPair> pairs(static_cast<size_t>(params.idle_connections));
    for (OsslPair& pair : pairs) {
      CpuSplit cpu;
      if (!connect(clients_[3].get(), servers_[0].get(), pair, cpu, s.error) ||
          !exchange(pair, message, s.error)) {
        return s;
      }
    }
    s.value =
        static_cast<double>(heap(side).live_bytes - before) / static_cast<double>(pairs.size());
    s.ok = true;
    for (OsslPair& pair : pairs) {
      SideScope client_scope(Side::client);
      pair.client.reset();
      SideScope server_scope(Side::server);
      pair.server.reset();
    }
    return s;
  }

  Sample allocs_per_record(const Params& params) override {
    Sample s;
    OsslPair pair;
    CpuSplit cpu;
    if (!connect(clients_[0].get(), servers_[0].get(), pair, cpu, s.error)) return s;
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
  // True when `ret` (from SSL_do_handshake, SSL_read) only means "feed me more".
  static bool wants_read(SSL* ssl, int ret) {
    return SSL_get_error(ssl, ret) == SSL_ERROR_WANT_READ;
  }

  using SessionPtr = std::unique_ptr<SSL_SESSION, Freer<SSL_SESSION_free>>;

  static int keep_session(SSL* ssl, SSL_SESSION* session) {
    auto* self = static_cast<OpenSslImpl*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    (SSL_version(ssl) == TLS1_2_VERSION ? self->last_session12_ : self->last_session_)
        .reset(session);
    return 1;  // the reference is ours
  }

  SSL_CTX* ticket_client(Version v) const {
    return (v == Version::tls12 ? ticket_client12_ : ticket_client_).get();
  }
  SSL_SESSION* session(Version v) const {
    return (v == Version::tls12 ? last_session12_ : last_session_).get();
  }

  // SSL_free on a connection that was not shut down marks its session not resumable: a
  // connection that ends with close_notify both ways is what keeps its tickets usable.
  static void end_cleanly(SSL* ssl) {
    SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  }

  // Handshakes on the ticket contexts; with `resume`, each offers the newest ticket.
  Sample ticket_handshakes(const Params& params, bool resume, Version version) {
    Sample s;
    CpuSplit cpu;
    cpu.begin();
    for (int i = 0; i < params.handshakes; ++i) {
      OsslPair pair;
      SSL_SESSION* offer = resume ? session(version) : nullptr;
      if (!connect(ticket_client(version), ticket_server_.get(), pair, cpu, s.error, true, offer)) {
        return s;
      }
      if ((SSL_session_reused(pair.client.get()) == 1) != resume) {
        s.error = resume ? "the client did not resume" : "the client resumed";
        return s;
      }
      cpu.run(Side::client, [&] {
        end_cleanly(pair.client.get());
        pair.client.reset();
      });
      cpu.run(Side::server, [&] { pair.server.reset(); });
    }
    return per_handshake(cpu, params.handshakes);
  }

  // With `tickets`, the client reads the server's NewSessionTickets after the handshake, as
  // its first SSL_read would; `offer` is a session to resume.
  static bool connect(SSL_CTX* cctx, SSL_CTX* sctx, OsslPair& pair, CpuSplit& cpu,
                      std::string& error, bool tickets = false, SSL_SESSION* offer = nullptr) {
    cpu.run(Side::client, [&] {
      pair.client.reset(SSL_new(cctx));
      if (offer != nullptr) SSL_set_session(pair.client.get(), offer);
      SSL_set_bio(pair.client.get(), pipe_bio(pair.s2c), pipe_bio(pair.c2s));
      SSL_set_connect_state(pair.client.get());
      SSL_set_tlsext_host_name(pair.client.get(), kServerName);
      SSL_set1_host(pair.client.get(), kServerName);
    });
    cpu.run(Side::server, [&] {
      pair.server.reset(SSL_new(sctx));
      SSL_set_bio(pair.server.get(), pipe_bio(pair.c2s), pipe_bio(pair.s2c));
      SSL_set_accept_state(pair.server.get());
    });
    bool client_done = false;
    bool server_done = false;
    for (int round = 0; round < 32 && !(client_done && server_done); ++round) {
      for (auto [side, ssl, done] : {std::tuple{Side::client, pair.client.get(), &client_done},
                                     std::tuple{Side::server, pair.server.get(), &server_done}}) {
        if (*done) continue;
        int ret = 0;
        SSL* const one = ssl;
        cpu.run(side, [&] { ret = SSL_do_handshake(one); });
        if (ret == 1) {
          *done = true;
        } else if (!wants_read(ssl, ret)) {
          fail("SSL_do_handshake");
        }
      }
    }
    if (tickets && client_done) {
      cpu.run(Side::client, [&] {
        uint8_t byte = 0;
        const int ret = SSL_read(pair.client.get(), &byte, 1);
        if (ret > 0 || !wants_read(pair.client.get(), ret)) error = "SSL_read after the handshake";
      });
      if (!error.empty()) return false;
    }
    if (!client_done || !server_done || !pair.c2s.empty() || !pair.s2c.empty()) {
      error = "handshake did not complete";
      return false;
    }
    if (SSL_get_verify_result(pair.client.get()) != X509_V_OK) {
      error = "client did not verify the server";
      return false;
    }
    return true;
  }

  // A request and a response of `message` bytes each, read in full by the other side.
  static bool exchange(OsslPair& pair, size_t message, std::string& error) {
    std::vector<uint8_t> bytes(message, 0x5a);
    std::vector<uint8_t> buffer(message);
    for (auto [side, from, to] : {std::tuple{Side::client, pair.client.get(), pair.server.get()},
                                  std::tuple{Side::server, pair.server.get(), pair.client.get()}}) {
      {
        SideScope scope(side);
        if (SSL_write(from, bytes.data(), static_cast<int>(message)) != static_cast<int>(message)) {
          fail("SSL_write");
        }
      }
      SideScope scope(side == Side::client ? Side::server : Side::client);
      size_t got = 0;
      while (got < message) {
        int n = SSL_read(to, buffer.data() + got, static_cast<int>(message - got));
        if (n <= 0) break;
        got += static_cast<size_t>(n);
      }
      if (got != message) {
        error = "exchange lost data";
        return false;
      }
    }
    return true;
  }

  bool transfer(OsslPair& pair, size_t write_size, size_t total, CpuSplit& cpu, uint64_t& records,
                std::string& error) {
    if (data_.size() < write_size) data_.assign(write_size, 0x5a);
    if (sink_.size() < kReadChunk) sink_.resize(kReadChunk);
    if (pair.c2s.bytes.capacity() == 0) pair.c2s.bytes.reserve(2 * kBulkBatch);
    size_t sent = 0;
    size_t received = 0;
    while (sent < total) {
      const size_t batch_end = std::min(total, sent + kBulkBatch);
      cpu.run(Side::client, [&] {
        for (; sent < batch_end; sent += write_size) {
          if (SSL_write(pair.client.get(), data_.data(), static_cast<int>(write_size)) !=
              static_cast<int>(write_size)) {
            fail("SSL_write");
          }
          ++records;
        }
      });
      cpu.run(Side::server, [&] {
        for (;;) {
          int n = SSL_read(pair.server.get(), sink_.data(), static_cast<int>(kReadChunk));
          if (n <= 0) {
            if (!wants_read(pair.server.get(), n)) fail("SSL_read");
            break;
          }
          received += static_cast<size_t>(n);
        }
      });
    }
    if (received != sent) {
      error = "transfer lost data";
      return false;
    }
    return true;
  }

  CtxPtr servers_[2];
  CtxPtr clients_[4];    // one per suite, then the default suites
  CtxPtr clients12_[4];  // the same in TLS 1.2
  CtxPtr ticket_server_;
  CtxPtr ticket_client_;
  CtxPtr ticket_client12_;
  SessionPtr last_session_;
  SessionPtr last_session12_;
  std::vector<uint8_t> data_;
  std::vector<uint8_t> sink_;
};

}  // namespace

std::unique_ptr<Implementation> make_openssl() {
  return std::make_unique<OpenSslImpl>();
}

}  // namespace bench
