#include "bastion/session.hpp"

#include "session/session_data.hpp"

namespace bastion {

Session::Session(std::unique_ptr<const Data> data) : data_(std::move(data)) {}
Session::~Session() = default;

const std::string& Session::server_name() const {
  return data_->server_name;
}

CipherSuite Session::cipher_suite() const {
  return data_->suite;
}

std::chrono::system_clock::time_point Session::received() const {
  return data_->received;
}

std::chrono::system_clock::time_point Session::expires() const {
  return data_->received + data_->lifetime;
}

}  // namespace bastion
