// Shared by the C API tests: handles that free themselves, PEM files in a temporary
// directory, configs made through the C builders, and a client and a server C connection
// joined in memory.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bastion.h"
#include "support/test_certs.hpp"

namespace bastion::test {

struct HandleFree {
  void operator()(bastion_client_config_builder* p) const { bastion_client_config_builder_free(p); }
  void operator()(bastion_server_config_builder* p) const { bastion_server_config_builder_free(p); }
  void operator()(const bastion_client_config* p) const { bastion_client_config_free(p); }
  void operator()(const bastion_server_config* p) const { bastion_server_config_free(p); }
  void operator()(bastion_connection* p) const { bastion_connection_free(p); }
  void operator()(bastion_session* p) const { bastion_session_free(p); }
};
using ClientBuilder = std::unique_ptr<bastion_client_config_builder, HandleFree>;
using ServerBuilder = std::unique_ptr<bastion_server_config_builder, HandleFree>;
using ClientConfigHandle = std::unique_ptr<const bastion_client_config, HandleFree>;
using ServerConfigHandle = std::unique_ptr<const bastion_server_config, HandleFree>;
using ConnectionHandle = std::unique_ptr<bastion_connection, HandleFree>;

inline const uint8_t* bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

inline std::string error_message(const bastion_connection* conn) {
  std::string s(bastion_connection_error_message(conn, nullptr, 0), '\0');
  bastion_connection_error_message(conn, s.data(), s.size() + 1);
  return s;
}

inline std::string error_message(const bastion_client_config_builder* b) {
  std::string s(bastion_client_config_builder_error_message(b, nullptr, 0), '\0');
  bastion_client_config_builder_error_message(b, s.data(), s.size() + 1);
  return s;
}

inline std::string error_message(const bastion_server_config_builder* b) {
  std::string s(bastion_server_config_builder_error_message(b, nullptr, 0), '\0');
  bastion_server_config_builder_error_message(b, s.data(), s.size() + 1);
  return s;
}

// The test PKI as files: ca.pem, ecdsa.pem and ecdsa-key.pem (localhost, *.example.test and
// 127.0.0.1, issued by ca.pem), rsa.pem and rsa-key.pem (the same names, the same CA).
class PemFiles {
 public:
  PemFiles() {
    std::string templ = (std::filesystem::temp_directory_path() / "bastion-capi-XXXXXX").string();
    dir_ = ::mkdtemp(templ.data()) ? templ : std::string();
    EXPECT_FALSE(dir_.empty());
    write("ca.pem", kCaPem);
    write("ecdsa.pem", kEcdsaCertPem);
    write("ecdsa-key.pem", kEcdsaKeyPem);
    write("rsa.pem", kRsaCertPem);
    write("rsa-key.pem", kRsaKeyPem);
  }
  ~PemFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  PemFiles(const PemFiles&) = delete;
  PemFiles& operator=(const PemFiles&) = delete;

  std::string path(std::string_view name) const { return (dir_ / name).string(); }

 private:
  void write(std::string_view name, const char* text) const { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

inline ClientConfigHandle build(bastion_client_config_builder* b) {
  const bastion_client_config* config = nullptr;
  EXPECT_EQ(bastion_client_config_builder_build(b, &config), BASTION_OK) << error_message(b);
  return ClientConfigHandle(config);
}

inline ServerConfigHandle build(bastion_server_config_builder* b) {
  const bastion_server_config* config = nullptr;
  EXPECT_EQ(bastion_server_config_builder_build(b, &config), BASTION_OK) << error_message(b);
  return ServerConfigHandle(config);
}

// A client builder trusting ca.pem, and a server builder with the ECDSA certificate.
inline ClientBuilder client_builder(const PemFiles& pki) {
  ClientBuilder b(bastion_client_config_builder_new());
  EXPECT_EQ(bastion_client_config_builder_load_ca_file(b.get(), pki.path("ca.pem").c_str()),
            BASTION_OK)
      << error_message(b.get());
  return b;
}

inline ServerBuilder server_builder(const PemFiles& pki) {
  ServerBuilder b(bastion_server_config_builder_new());
  EXPECT_EQ(bastion_server_config_builder_add_certificate_files(
                b.get(), pki.path("ecdsa.pem").c_str(), pki.path("ecdsa-key.pem").c_str()),
            BASTION_OK)
      << error_message(b.get());
  return b;
}

struct CPair {
  ConnectionHandle client;
  ConnectionHandle server;
};

inline CPair connect(const bastion_client_config* cc, const bastion_server_config* sc,
                     const char* name = "localhost") {
  bastion_connection* client = nullptr;
  bastion_connection* server = nullptr;
  EXPECT_EQ(bastion_client_connection_new(cc, name, &client), BASTION_OK);
  EXPECT_EQ(bastion_server_connection_new(sc, &server), BASTION_OK);
  return {ConnectionHandle(client), ConnectionHandle(server)};
}

// Moves what `from` has to send into `to`, all of it taken (so no more than the receiver's
// buffer holds of unread plaintext); the receive's code.
inline bastion_result transfer(bastion_connection* from, bastion_connection* to) {
  const uint8_t* data = nullptr;
  size_t len = 0;
  EXPECT_EQ(bastion_connection_pending_output(from, &data, &len), BASTION_OK);
  std::vector<uint8_t> copy(data, data + len);
  EXPECT_EQ(bastion_connection_consume_output(from, len), BASTION_OK);
  size_t taken = 0;
  bastion_result r = bastion_connection_receive(to, copy.data(), copy.size(), &taken);
  if (r == BASTION_OK) {
    EXPECT_EQ(taken, copy.size());
  }
  return r;
}

// Moves bytes both ways until neither side has any to send, alerts included; the first code
// a receive returned.
inline bastion_result pump(const CPair& p) {
  bastion_result first = BASTION_OK;
  for (int round = 0; round < 64; ++round) {
    bool moved = false;
    for (auto [from, to] :
         {std::pair{p.client.get(), p.server.get()}, std::pair{p.server.get(), p.client.get()}}) {
      if (!bastion_connection_has_output(from)) continue;
      moved = true;
      bastion_result r = transfer(from, to);
      if (first == BASTION_OK) first = r;
    }
    if (!moved) return first;
  }
  return BASTION_INTERNAL_ERROR;
}

inline std::string read_all(bastion_connection* conn) {
  std::string out;
  char buf[1024];
  size_t n = 0;
  while (bastion_connection_read(conn, reinterpret_cast<uint8_t*>(buf), sizeof buf, &n) ==
             BASTION_OK &&
         n > 0) {
    out.append(buf, n);
  }
  return out;
}

}  // namespace bastion::test
