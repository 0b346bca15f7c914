// The neutral client of the load check: OpenSSL's libssl, configured the same for every server
// (TLS 1.3 only, TLS_AES_128_GCM_SHA256, x25519, the chain verified to the CA and the name
// checked, session tickets counted but never used, no session resumed).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace load {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

// Counts the NewSessionTickets a connection receives; set with SSL_set_app_data.
struct TicketCounter {
  int tickets = 0;
};

// Throws std::runtime_error when the CA file cannot be loaded.
SslCtxPtr make_client_context(const std::string& ca_file);

// A client SSL for one connection over fd, sending server_name as SNI and checking the
// certificate against it. `counter` must outlive the SSL.
SslPtr make_client(SSL_CTX* ctx, int fd, const std::string& server_name, TicketCounter& counter);

// Empty when the connection negotiated what the context asks for, else what differs.
std::string check_negotiated(SSL* ssl);

// The oldest error on OpenSSL's queue (cleared), or `fallback` when there is none.
std::string take_openssl_error(const std::string& fallback);

}  // namespace load
