/* The C API used from C99: a client and a server in memory, with the callbacks written in C.
 * usage: test_capi_c99 CA.pem CERT.pem KEY.pem (a certificate for localhost issued by CA.pem)
 * Built with -std=c99 -Wall -Wextra -Werror -pedantic against libbastion.so. */
#include <stdio.h>
#include <string.h>

#include "bastion.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Moves bytes both ways until neither side has any; the first receive code that is not OK. */
static bastion_result pump(bastion_connection* client, bastion_connection* server) {
  bastion_result first = BASTION_OK;
  int round;
  for (round = 0; round < 64; ++round) {
    int moved = 0;
    int side;
    for (side = 0; side < 2; ++side) {
      bastion_connection* from = side == 0 ? client : server;
      bastion_connection* to = side == 0 ? server : client;
      const uint8_t* data = NULL;
      size_t len = 0;
      size_t taken = 0;
      bastion_result r;
      if (bastion_connection_pending_output(from, &data, &len) != BASTION_OK || len == 0) continue;
      moved = 1;
      r = bastion_connection_receive(to, data, len, &taken);
      CHECK(r != BASTION_OK || taken == len);
      CHECK(bastion_connection_consume_output(from, len) == BASTION_OK);
      if (r != BASTION_OK && first == BASTION_OK) first = r;
    }
    if (!moved) return first;
  }
  return BASTION_INTERNAL_ERROR;
}

static int key_log_lines = 0;

static void count_key_log(void* userdata, const char* label, const uint8_t* client_random,
                          size_t client_random_len, const uint8_t* secret, size_t secret_len) {
  int* count = (int*)userdata;
  (void)client_random;
  (void)secret;
  if (strstr(label, "TRAFFIC_SECRET") && client_random_len == 32 && secret_len > 0) ++*count;
}

/* Accepts a one-certificate chain for "localhost" only. */
static int verify_localhost(void* userdata, const bastion_bytes* chain, size_t chain_len,
                            const char* server_name) {
  int* calls = (int*)userdata;
  ++*calls;
  if (chain_len != 1 || chain[0].len == 0 || chain[0].data[0] != 0x30) {
    return BASTION_BAD_CERTIFICATE;
  }
  return server_name && strcmp(server_name, "localhost") == 0 ? BASTION_OK
                                                              : BASTION_CERTIFICATE_NAME_MISMATCH;
}

/* A session store of one slot. */
static bastion_session* stored = NULL;

static void put_session(void* userdata, const char* server_name, bastion_session* session) {
  (void)userdata;
  (void)server_name;
  bastion_session_free(stored);
  stored = session;
}

static bastion_session* take_session(void* userdata, const char* server_name) {
  bastion_session* s = stored;
  (void)userdata;
  if (!s || strcmp(bastion_session_server_name(s), server_name) != 0) return NULL;
  stored = NULL;
  return s;
}

static void one_connection(const bastion_client_config* cc, const bastion_server_config* sc,
                           int expect_resumed) {
  bastion_connection* client = NULL;
  bastion_connection* server = NULL;
  uint8_t buf[64];
  size_t n = 0;
  CHECK(bastion_client_connection_new(cc, "localhost", &client) == BASTION_OK);
  CHECK(bastion_server_connection_new(sc, &server) == BASTION_OK);
  CHECK(pump(client, server) == BASTION_OK);
  CHECK(bastion_connection_is_handshake_complete(client));
  CHECK(bastion_connection_protocol_version(client) == BASTION_TLS13);
  CHECK(strcmp(bastion_connection_alpn(server), "echo/1") == 0);
  CHECK(bastion_connection_is_resumed(client) == (expect_resumed != 0));
  CHECK(bastion_connection_write(client, (const uint8_t*)"hello", 5) == BASTION_OK);
  CHECK(bastion_connection_close(client) == BASTION_OK);
  CHECK(pump(client, server) == BASTION_OK);
  CHECK(bastion_connection_read(server, buf, sizeof buf, &n) == BASTION_OK);
  CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
  CHECK(bastion_connection_peer_closed(server));
  CHECK(bastion_connection_receive_eof(server) == BASTION_OK);
  /* The client's peer never closed: EOF now is a truncation. */
  CHECK(bastion_connection_receive_eof(client) == BASTION_TRUNCATED);
  bastion_connection_free(client);
  bastion_connection_free(server);
}

int main(int argc, char** argv) {
  bastion_client_config_builder* cb;
  bastion_server_config_builder* sb;
  const bastion_client_config* cc = NULL;
  const bastion_server_config* sc = NULL;
  bastion_connection* client = NULL;
  bastion_connection* server = NULL;
  char message[256];
  int verify_calls = 0;
  if (argc != 4) {
    fprintf(stderr, "usage: %s CA.pem CERT.pem KEY.pem\n", argv[0]);
    return 2;
  }

  sb = bastion_server_config_builder_new();
  CHECK(bastion_server_config_builder_add_certificate_files(sb, argv[2], argv[3]) == BASTION_OK);
  CHECK(bastion_server_config_builder_add_alpn(sb, (const uint8_t*)"echo/1", 6) == BASTION_OK);
  CHECK(bastion_server_config_builder_build(sb, &sc) == BASTION_OK);
  bastion_server_config_builder_free(sb);

  /* Through the CA file: a wrong name fails with its code and message. */
  cb = bastion_client_config_builder_new();
  CHECK(bastion_client_config_builder_load_ca_file(cb, argv[1]) == BASTION_OK);
  CHECK(bastion_client_config_builder_build(cb, &cc) == BASTION_OK);
  CHECK(bastion_client_connection_new(cc, "wrong.example", &client) == BASTION_OK);
  CHECK(bastion_server_connection_new(sc, &server) == BASTION_OK);
  CHECK(pump(client, server) == BASTION_CERTIFICATE_NAME_MISMATCH);
  CHECK(bastion_connection_error_message(client, message, sizeof message) > 0);
  CHECK(strncmp(message, "certificate_name_mismatch", 25) == 0);
  CHECK(strcmp(bastion_error_name(bastion_connection_error(server)), "peer_alert") == 0);
  bastion_connection_free(client);
  bastion_connection_free(server);
  bastion_client_config_free(cc);
  bastion_client_config_builder_free(cb);

  /* Through C callbacks: verification, key log, session store. */
  cb = bastion_client_config_builder_new();
  CHECK(bastion_client_config_builder_set_verify_callback(cb, verify_localhost, &verify_calls) ==
        BASTION_OK);
  CHECK(bastion_client_config_builder_set_key_log(cb, count_key_log, &key_log_lines) == BASTION_OK);
  CHECK(bastion_client_config_builder_set_session_store(cb, put_session, take_session, NULL) ==
        BASTION_OK);
  CHECK(bastion_client_config_builder_add_alpn(cb, (const uint8_t*)"echo/1", 6) == BASTION_OK);
  CHECK(bastion_client_config_builder_build(cb, &cc) == BASTION_OK);
  bastion_client_config_builder_free(cb);
  one_connection(cc, sc, 0);
  CHECK(verify_calls == 1);
  CHECK(key_log_lines >= 4);
  CHECK(stored != NULL);
  one_connection(cc, sc, 1);
  CHECK(verify_calls == 1); /* resumed: no certificate to verify */

  /* Misuse returns codes. */
  CHECK(bastion_connection_write(NULL, NULL, 0) == BASTION_INTERNAL_ERROR);
  CHECK(bastion_client_connection_new(cc, NULL, &client) == BASTION_INTERNAL_ERROR);
  CHECK(client == NULL);

  bastion_session_free(stored);
  bastion_client_config_free(cc);
  bastion_server_config_free(sc);
  if (failures == 0) printf("C API from C99 (library %s): all checks passed\n", bastion_version());
  return failures == 0 ? 0 : 1;
}
