// The C API's opaque handles, as the implementation sees them: each owns the C++ object it
// stands for and the message of its last error.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "bastion.h"
#include "bastion/config.hpp"
#include "bastion/connection.hpp"
#include "bastion/session.hpp"

struct bastion_client_config_builder {
  bastion::ClientOptions options;
  std::string error;
};

struct bastion_client_config {
  std::shared_ptr<const bastion::ClientConfig> config;
};

struct bastion_server_config_builder {
  bastion::ServerOptions options;
  std::string error;
};

struct bastion_server_config {
  std::shared_ptr<const bastion::ServerConfig> config;
};

struct bastion_session {
  std::shared_ptr<const bastion::Session> session;
};

struct bastion_connection {
  std::unique_ptr<bastion::Connection> conn;
  std::string error;  // the message of the last error a call returned
  // What was negotiated, taken once when the handshake completed or failed, so that the
  // strings and certificates handed out stay where they are until the handle is freed.
  mutable std::optional<bastion::ConnectionInfo> info;
  mutable std::string version_name;
  mutable std::string suite_name;
};
