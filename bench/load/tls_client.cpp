#include "tls_client.hpp"

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <stdexcept>

namespace load {
namespace {

constexpr const char* kSuite = "TLS_AES_128_GCM_SHA256";

int count_ticket(SSL* ssl, SSL_SESSION*) {
  ++static_cast<TicketCounter*>(SSL_get_app_data(ssl))->tickets;
  return 0;  // the session is not kept
}

}  // namespace

SslCtxPtr make_client_context(const std::string& ca_file) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) throw std::runtime_error(take_openssl_error("SSL_CTX_new failed"));
  const bool configured = SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION) == 1 &&
                          SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION) == 1 &&
                          SSL_CTX_set_ciphersuites(ctx.get(), kSuite) == 1 &&
                          SSL_CTX_set1_groups_list(ctx.get(), "X25519") == 1 &&
                          SSL_CTX_load_verify_locations(ctx.get(), ca_file.c_str(), nullptr) == 1;
  if (!configured) throw std::runtime_error(take_openssl_error("client configuration failed"));
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  // s_server closes without close_notify once the client has sent its own.
  SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  // The client cache mode is what makes OpenSSL report tickets; none is stored or offered.
  SSL_CTX_set_session_cache_mode(ctx.get(),
                                 SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx.get(), count_ticket);
  return ctx;
}

SslPtr make_client(SSL_CTX* ctx, int fd, const std::string& server_name, TicketCounter& counter) {
  SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1 ||
      SSL_set_tlsext_host_name(ssl.get(), server_name.c_str()) != 1 ||
      SSL_set1_host(ssl.get(), server_name.c_str()) != 1) {
    return nullptr;
  }
  SSL_set_app_data(ssl.get(), &counter);
  SSL_set_connect_state(ssl.get());
  return ssl;
}

std::string check_negotiated(SSL* ssl) {
  if (SSL_version(ssl) != TLS1_3_VERSION) return "not TLS 1.3";
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (cipher == nullptr || std::string(SSL_CIPHER_get_name(cipher)) != kSuite) {
    return "unexpected cipher suite";
  }
  if (SSL_get_negotiated_group(ssl) != NID_X25519) return "not x25519";
  if (SSL_get_verify_result(ssl) != X509_V_OK) return "certificate not verified";
  return {};
}

std::string take_openssl_error(const std::string& fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace load
