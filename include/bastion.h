// Bastion's C API (C99, also usable from C++): TLS 1.3 and 1.2 clients and servers over a
// sans-I/O connection, for C programs and for other languages' foreign-function interfaces
// (examples/python/https_get.py binds it with Python's ctypes).
//
// Handles are opaque. Configurations are made by builders and are immutable and thread-safe
// once built; a connection is used by one thread at a time and never touches a socket: feed it
// the bytes the transport received, send what it has pending, read and write plaintext.
//
// Errors are the stable numbers of bastion_result (0 is success). Calls that take a handle
// keep the message of the last error they returned in it (the *_error_message calls); calls
// without a handle return a code only. A null handle or a null argument that must not be null
// returns BASTION_INTERNAL_ERROR, the code the library uses for API misuse. No C++ exception
// ever leaves a call: one caught at the boundary becomes BASTION_INTERNAL_ERROR.
//
// Strings are NUL-terminated UTF-8 unless a length goes with them. Pointers returned by the
// library stay valid for as long as each call says, at most until their handle is freed. The
// *_free calls accept NULL, as free() does.
#ifndef BASTION_H
#define BASTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define BASTION_C_API __attribute__((visibility("default")))
#else
#define BASTION_C_API
#endif

#ifdef __cplusplus
#define BASTION_NOEXCEPT noexcept
extern "C" {
#else
#define BASTION_NOEXCEPT
#endif

// --- Results ------------------------------------------------------------------------------
// The values of bastion::ErrorCode (include/bastion/error.hpp), one for one: stable, never
// reused. A new code may be added in a later version, so treat an unknown value as an error.
typedef enum bastion_result {
  BASTION_OK = 0,
  // Wire decoding.
  BASTION_DECODE_ERROR = 1,
  BASTION_TRAILING_DATA = 2,
  // Record layer.
  BASTION_RECORD_OVERFLOW = 10,
  BASTION_BAD_RECORD_MAC = 11,
  BASTION_BAD_CONTENT_TYPE = 12,
  BASTION_EMPTY_RECORD = 13,
  BASTION_UNEXPECTED_RECORD = 14,
  BASTION_SEQUENCE_EXHAUSTED = 15,
  // Handshake.
  BASTION_UNEXPECTED_MESSAGE = 20,
  BASTION_MESSAGE_TOO_LARGE = 21,
  BASTION_DUPLICATE_EXTENSION = 22,
  BASTION_UNSUPPORTED_EXTENSION = 23,
  BASTION_MISSING_EXTENSION = 24,
  BASTION_ILLEGAL_PARAMETER = 25,
  BASTION_PROTOCOL_VERSION = 26,
  BASTION_NO_COMMON_CIPHER_SUITE = 27,
  BASTION_NO_COMMON_GROUP = 28,
  BASTION_NO_COMMON_SIGNATURE = 29,
  BASTION_BAD_KEY_SHARE = 30,
  BASTION_SECOND_HELLO_RETRY = 31,
  BASTION_DOWNGRADE_DETECTED = 32,
  BASTION_INAPPROPRIATE_FALLBACK = 33,
  BASTION_NO_EXTENDED_MASTER_SECRET = 34,
  BASTION_BAD_RENEGOTIATION_INFO = 35,
  BASTION_BAD_FINISHED = 36,
  BASTION_BAD_BINDER = 37,
  BASTION_BAD_SIGNATURE = 38,
  BASTION_NO_APPLICATION_PROTOCOL = 39,
  BASTION_UNRECOGNIZED_NAME = 40,
  BASTION_CERTIFICATE_REQUIRED = 41,
  BASTION_NO_CLIENT_CERTIFICATE = 42,
  BASTION_TOO_MANY_KEY_UPDATES = 43,
  BASTION_TOO_MANY_MESSAGES = 44,
  // Certificates.
  BASTION_BAD_CERTIFICATE = 60,
  BASTION_UNSUPPORTED_CERTIFICATE = 61,
  BASTION_CERTIFICATE_EXPIRED = 62,
  BASTION_CERTIFICATE_NOT_YET_VALID = 63,
  BASTION_UNKNOWN_ISSUER = 64,
  BASTION_CERTIFICATE_BAD_SIGNATURE = 65,
  BASTION_CERTIFICATE_NAME_MISMATCH = 66,
  BASTION_NOT_A_CA = 67,
  BASTION_PATH_TOO_LONG = 68,
  BASTION_NAME_CONSTRAINT_VIOLATED = 69,
  BASTION_BAD_EXTENDED_KEY_USAGE = 70,
  BASTION_BAD_KEY_USAGE = 71,
  BASTION_CERTIFICATE_UNTRUSTED = 72,
  // The peer.
  BASTION_PEER_ALERT = 90,  // the peer sent a fatal alert
  BASTION_TRUNCATED = 91,   // the transport ended without close_notify
  // Local.
  BASTION_INTERNAL_ERROR = 100,  // a bug, API misuse (a null argument), or a caught exception
  BASTION_CRYPTO_FAILURE = 101,
  BASTION_IO_ERROR = 102,
  BASTION_TIMED_OUT = 103,
  BASTION_INVALID_CONFIG = 104,
  BASTION_INVALID_KEY = 105,
  BASTION_CLOSED = 106  // the connection is closed, or not open yet for this call
} bastion_result;

// The short lower-case name of a code ("unknown_issuer"), "ok" for BASTION_OK, "unknown" for
// a value this version does not know. Static storage. Values that come from the caller (this
// argument, a verify callback's answer, a client auth mode) are ints: a C enum variable may hold
// any int, which a C++ enum may not.
BASTION_C_API const char* bastion_error_name(int code) BASTION_NOEXCEPT;

// The version of the library linked in ("0.1.0"). Static storage.
BASTION_C_API const char* bastion_version(void) BASTION_NOEXCEPT;

// Protocol versions, as on the wire.
#define BASTION_TLS12 0x0303
#define BASTION_TLS13 0x0304

// --- Callbacks ----------------------------------------------------------------------------
// A callback gets back the userdata pointer given with it. It may be called from any thread
// that uses a connection of the config, possibly from several at once, and must not call back
// into the connection that called it. Userdata must outlive every config and connection that
// can call it.

typedef struct bastion_bytes {
  const uint8_t* data;
  size_t len;
} bastion_bytes;

// Decides about the peer's certificate chain (DER, end-entity certificate first). server_name
// is the name the client connects to (a DNS name or an IP literal), or NULL when a server
// verifies a client. Returns BASTION_OK to accept; any other bastion_result rejects the chain
// and ends the handshake with that code (a value that is none becomes
// BASTION_CERTIFICATE_UNTRUSTED). The buffers are valid during the call only.
typedef int (*bastion_verify_callback)(void* userdata, const bastion_bytes* chain, size_t chain_len,
                                       const char* server_name);

// Receives one secret in the NSS key-log format, whose line is
// "LABEL <client_random as hex> <secret as hex>". The buffers are valid during the call only.
typedef void (*bastion_key_log_callback)(void* userdata, const char* label,
                                         const uint8_t* client_random, size_t client_random_len,
                                         const uint8_t* secret, size_t secret_len);

// A resumable TLS session (a ticket and its secrets), opaque, kept in memory only.
typedef struct bastion_session bastion_session;

// A client's session store. put hands over a session received from server_name: the callee
// owns it and frees it with bastion_session_free when it drops it. take asks for a session for
// server_name and returns one the callee owns (the library then owns and frees it), or NULL.
// A session must be handed out once only (RFC 8446 §C.4): take removes it from the store.
typedef void (*bastion_session_put_callback)(void* userdata, const char* server_name,
                                             bastion_session* session);
typedef bastion_session* (*bastion_session_take_callback)(void* userdata, const char* server_name);

BASTION_C_API void bastion_session_free(bastion_session* session) BASTION_NOEXCEPT;
// The server name the session was received from ("" for NULL); valid until the session is
// freed.
BASTION_C_API const char* bastion_session_server_name(const bastion_session* session)
    BASTION_NOEXCEPT;
// When the session stops being usable, in seconds since the Unix epoch (0 for NULL).
BASTION_C_API int64_t bastion_session_expires(const bastion_session* session) BASTION_NOEXCEPT;

// --- Client configuration -----------------------------------------------------------------
typedef struct bastion_client_config_builder bastion_client_config_builder;
typedef struct bastion_client_config bastion_client_config;

// A builder with the defaults: TLS 1.2 and 1.3, the system's trust store with WebPKI rules,
// resumption through an in-memory store. NULL when memory runs out.
BASTION_C_API bastion_client_config_builder* bastion_client_config_builder_new(void)
    BASTION_NOEXCEPT;
BASTION_C_API void bastion_client_config_builder_free(bastion_client_config_builder* builder)
    BASTION_NOEXCEPT;
// Copies the message of the builder's last error into buf (len bytes, NUL-terminated,
// truncated to fit; nothing is written when len is 0) and returns its full length without the
// NUL, as snprintf does. 0 when there was no error.
BASTION_C_API size_t bastion_client_config_builder_error_message(
    const bastion_client_config_builder* builder, char* buf, size_t len) BASTION_NOEXCEPT;

// How the server is authenticated: each of these calls replaces what an earlier one set.
// Trust anchors from a PEM bundle, from the *.pem and *.crt files of a directory, from PEM text,
// or the system's bundle; all with WebPKI path validation and the server name checked.
BASTION_C_API bastion_result bastion_client_config_builder_load_ca_file(
    bastion_client_config_builder* builder, const char* path) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_client_config_builder_load_ca_dir(
    bastion_client_config_builder* builder, const char* path) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_client_config_builder_load_ca_pem(
    bastion_client_config_builder* builder, const uint8_t* pem, size_t len) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_client_config_builder_use_system_roots(
    bastion_client_config_builder* builder) BASTION_NOEXCEPT;
// The callback alone decides whether the server's chain is acceptable.
BASTION_C_API bastion_result bastion_client_config_builder_set_verify_callback(
    bastion_client_config_builder* builder, bastion_verify_callback callback,
    void* userdata) BASTION_NOEXCEPT;
// INSECURE, for tests only: any certificate is accepted, and anyone can impersonate the server.
BASTION_C_API bastion_result bastion_client_config_builder_insecure_skip_verify(
    bastion_client_config_builder* builder) BASTION_NOEXCEPT;

// Appends an ALPN protocol (1 to 255 bytes) to those offered, in preference order.
BASTION_C_API bastion_result bastion_client_config_builder_add_alpn(
    bastion_client_config_builder* builder, const uint8_t* protocol, size_t len) BASTION_NOEXCEPT;
// The versions offered, BASTION_TLS12 or BASTION_TLS13 each (checked by build).
BASTION_C_API bastion_result bastion_client_config_builder_set_versions(
    bastion_client_config_builder* builder, uint16_t min_version,
    uint16_t max_version) BASTION_NOEXCEPT;
// The client certificate, presented when the server asks for one: a PEM chain (leaf first)
// and the leaf's PEM private key, from files or from memory.
BASTION_C_API bastion_result bastion_client_config_builder_set_certificate_files(
    bastion_client_config_builder* builder, const char* chain_path,
    const char* key_path) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_client_config_builder_set_certificate_pem(
    bastion_client_config_builder* builder, const uint8_t* chain_pem, size_t chain_len,
    const uint8_t* key_pem, size_t key_len) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_client_config_builder_set_key_log(
    bastion_client_config_builder* builder, bastion_key_log_callback callback,
    void* userdata) BASTION_NOEXCEPT;
// Sessions are kept through these callbacks instead of the config's in-memory store.
BASTION_C_API bastion_result bastion_client_config_builder_set_session_store(
    bastion_client_config_builder* builder, bastion_session_put_callback put,
    bastion_session_take_callback take, void* userdata) BASTION_NOEXCEPT;

// Makes a config from what the builder holds; the builder stays usable (and must still be
// freed). *config is NULL on failure.
BASTION_C_API bastion_result bastion_client_config_builder_build(
    bastion_client_config_builder* builder, const bastion_client_config** config) BASTION_NOEXCEPT;
// Connections made from a config keep what they need of it: it may be freed before them.
BASTION_C_API void bastion_client_config_free(const bastion_client_config* config) BASTION_NOEXCEPT;

// --- Server configuration -----------------------------------------------------------------
typedef struct bastion_server_config_builder bastion_server_config_builder;
typedef struct bastion_server_config bastion_server_config;

typedef enum bastion_client_auth {
  BASTION_CLIENT_AUTH_NONE = 0,
  BASTION_CLIENT_AUTH_REQUEST = 1,  // asked for; a client without one is accepted
  BASTION_CLIENT_AUTH_REQUIRE = 2
} bastion_client_auth;

// A builder with the defaults: TLS 1.2 and 1.3, session tickets, no client authentication.
// NULL when memory runs out.
BASTION_C_API bastion_server_config_builder* bastion_server_config_builder_new(void)
    BASTION_NOEXCEPT;
BASTION_C_API void bastion_server_config_builder_free(bastion_server_config_builder* builder)
    BASTION_NOEXCEPT;
BASTION_C_API size_t bastion_server_config_builder_error_message(
    const bastion_server_config_builder* builder, char* buf, size_t len) BASTION_NOEXCEPT;

// Adds a certificate chain (PEM, leaf first) and its private key (PEM). The first is the
// default; another is chosen when the client's SNI matches its names.
BASTION_C_API bastion_result bastion_server_config_builder_add_certificate_files(
    bastion_server_config_builder* builder, const char* chain_path,
    const char* key_path) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_config_builder_add_certificate_pem(
    bastion_server_config_builder* builder, const uint8_t* chain_pem, size_t chain_len,
    const uint8_t* key_pem, size_t key_len) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_config_builder_add_alpn(
    bastion_server_config_builder* builder, const uint8_t* protocol, size_t len) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_config_builder_set_versions(
    bastion_server_config_builder* builder, uint16_t min_version,
    uint16_t max_version) BASTION_NOEXCEPT;
// Client certificates: whether they are asked for, and how they are verified (either of the
// last two calls, the later one winning): against the anchors of a PEM bundle with WebPKI
// rules, or by the callback (server_name NULL).
BASTION_C_API bastion_result bastion_server_config_builder_set_client_auth(
    bastion_server_config_builder* builder, int mode) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_config_builder_load_client_ca_file(
    bastion_server_config_builder* builder, const char* path) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_config_builder_set_client_verify_callback(
    bastion_server_config_builder* builder, bastion_verify_callback callback,
    void* userdata) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_config_builder_set_key_log(
    bastion_server_config_builder* builder, bastion_key_log_callback callback,
    void* userdata) BASTION_NOEXCEPT;

BASTION_C_API bastion_result bastion_server_config_builder_build(
    bastion_server_config_builder* builder, const bastion_server_config** config) BASTION_NOEXCEPT;
BASTION_C_API void bastion_server_config_free(const bastion_server_config* config) BASTION_NOEXCEPT;

// --- Connections --------------------------------------------------------------------------
typedef struct bastion_connection bastion_connection;

// A client connection to server_name: a DNS name (sent as SNI, checked against the
// certificate) or an IP literal (checked against its IP addresses). The ClientHello is
// pending at once. *conn is NULL on failure.
BASTION_C_API bastion_result
bastion_client_connection_new(const bastion_client_config* config, const char* server_name,
                              bastion_connection** conn) BASTION_NOEXCEPT;
BASTION_C_API bastion_result bastion_server_connection_new(
    const bastion_server_config* config, bastion_connection** conn) BASTION_NOEXCEPT;
// Wipes the connection's secrets and buffers.
BASTION_C_API void bastion_connection_free(bastion_connection* conn) BASTION_NOEXCEPT;

// Feeds bytes received from the peer and processes every complete record in them. *taken says
// how many were taken: fewer than len when unread plaintext fills the connection's buffer (read
// it, then feed the rest again). Bytes after the peer's close_notify are taken and ignored. On
// a fatal error the alert for the peer is pending: send it, then close the transport.
BASTION_C_API bastion_result bastion_connection_receive(bastion_connection* conn,
                                                        const uint8_t* data, size_t len,
                                                        size_t* taken) BASTION_NOEXCEPT;
// Tells the connection that the transport ended (recv() returned 0). BASTION_OK after the
// peer's close_notify; before it, BASTION_TRUNCATED: the data may have been cut short by an
// attacker (RFC 8446 §6.1), and the connection has failed.
BASTION_C_API bastion_result bastion_connection_receive_eof(bastion_connection* conn)
    BASTION_NOEXCEPT;

// Bytes waiting to be sent: *data and *len point into the connection and stay valid until the
// next call on it other than a status or info query. Send some, then consume that many.
BASTION_C_API bastion_result bastion_connection_pending_output(bastion_connection* conn,
                                                               const uint8_t** data,
                                                               size_t* len) BASTION_NOEXCEPT;
// Marks n pending bytes as sent (more than are pending is BASTION_INTERNAL_ERROR, and nothing
// is consumed).
BASTION_C_API bastion_result bastion_connection_consume_output(bastion_connection* conn,
                                                               size_t n) BASTION_NOEXCEPT;
// Copies up to len pending bytes into buf and consumes them; *written says how many.
BASTION_C_API bastion_result bastion_connection_take_output(bastion_connection* conn, uint8_t* buf,
                                                            size_t len,
                                                            size_t* written) BASTION_NOEXCEPT;

// Copies up to len bytes of received plaintext into buf; *n says how many. 0 bytes and
// BASTION_OK: nothing is readable now (after the peer's close_notify, nothing ever will be).
// Plaintext received before a failure is still read; then the failure's code is returned.
BASTION_C_API bastion_result bastion_connection_read(bastion_connection* conn, uint8_t* buf,
                                                     size_t len, size_t* n) BASTION_NOEXCEPT;
// Queues all of data as application data records. BASTION_CLOSED before the handshake
// completes and after bastion_connection_close.
BASTION_C_API bastion_result bastion_connection_write(bastion_connection* conn, const uint8_t* data,
                                                      size_t len) BASTION_NOEXCEPT;
// Queues close_notify; nothing can be written afterwards. Send the pending output, then keep
// reading until the peer's close_notify (or the end of the transport) if its data matters.
BASTION_C_API bastion_result bastion_connection_close(bastion_connection* conn) BASTION_NOEXCEPT;

// Status queries (false or 0 for NULL).
BASTION_C_API bool bastion_connection_is_handshake_complete(const bastion_connection* conn)
    BASTION_NOEXCEPT;
// The handshake or a read waits on bytes from the peer.
BASTION_C_API bool bastion_connection_wants_read(const bastion_connection* conn) BASTION_NOEXCEPT;
BASTION_C_API bool bastion_connection_has_output(const bastion_connection* conn) BASTION_NOEXCEPT;
BASTION_C_API size_t bastion_connection_readable(const bastion_connection* conn) BASTION_NOEXCEPT;
// The peer's close_notify came.
BASTION_C_API bool bastion_connection_peer_closed(const bastion_connection* conn) BASTION_NOEXCEPT;
// A fatal error ended the connection (sent, received, or a truncation).
BASTION_C_API bool bastion_connection_failed(const bastion_connection* conn) BASTION_NOEXCEPT;
// The code of the error that ended the connection, BASTION_OK while it has not failed.
BASTION_C_API bastion_result bastion_connection_error(const bastion_connection* conn)
    BASTION_NOEXCEPT;
// The message of the last error a call on this connection returned ("unknown_issuer: ..."),
// or of the error that ended it; copied as bastion_client_config_builder_error_message does.
BASTION_C_API size_t bastion_connection_error_message(const bastion_connection* conn, char* buf,
                                                      size_t len) BASTION_NOEXCEPT;

// What was negotiated, once the handshake has completed (or failed, for the unverified
// certificates); before that, 0, false, "" or NULL. Strings and certificates stay valid until
// the connection is freed.
BASTION_C_API uint16_t bastion_connection_protocol_version(const bastion_connection* conn)
    BASTION_NOEXCEPT;
// "TLSv1.3", "TLSv1.2"
BASTION_C_API const char* bastion_connection_protocol_version_name(const bastion_connection* conn)
    BASTION_NOEXCEPT;
BASTION_C_API uint16_t bastion_connection_cipher_suite(const bastion_connection* conn)
    BASTION_NOEXCEPT;
// The IANA name: "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256".
BASTION_C_API const char* bastion_connection_cipher_suite_name(const bastion_connection* conn)
    BASTION_NOEXCEPT;
// The negotiated ALPN protocol, "" when none.
BASTION_C_API const char* bastion_connection_alpn(const bastion_connection* conn) BASTION_NOEXCEPT;
// The SNI name sent (client) or received (server), "" when none.
BASTION_C_API const char* bastion_connection_server_name(const bastion_connection* conn)
    BASTION_NOEXCEPT;
BASTION_C_API bool bastion_connection_is_resumed(const bastion_connection* conn) BASTION_NOEXCEPT;
// The peer's chain was accepted by the verifier (false without one, or with
// bastion_client_config_builder_insecure_skip_verify).
BASTION_C_API bool bastion_connection_peer_verified(const bastion_connection* conn)
    BASTION_NOEXCEPT;
// The peer's certificates (DER, end-entity first): index from 0 to count - 1; NULL beyond.
BASTION_C_API size_t bastion_connection_peer_certificate_count(const bastion_connection* conn)
    BASTION_NOEXCEPT;
BASTION_C_API const uint8_t* bastion_connection_peer_certificate(const bastion_connection* conn,
                                                                 size_t index,
                                                                 size_t* len) BASTION_NOEXCEPT;
// The chain the peer presented when the verifier rejected it, so that a program can show it.
// Never trust it.
BASTION_C_API size_t bastion_connection_unverified_peer_certificate_count(
    const bastion_connection* conn) BASTION_NOEXCEPT;
BASTION_C_API const uint8_t* bastion_connection_unverified_peer_certificate(
    const bastion_connection* conn, size_t index, size_t* len) BASTION_NOEXCEPT;

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // BASTION_H
