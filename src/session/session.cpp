#include "bastion/session.hpp"

#include <algorithm>

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
  // RFC 8446 §4.6.1: clients MUST NOT cache tickets for longer than 7 days, counted from the
  // authentication they carry, however many times it was renewed by resumption.
  return std::min(data_->received + data_->lifetime, data_->auth_time + kMaxSessionAge);
}

}  // namespace bastion
