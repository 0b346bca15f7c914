#include "capi/callbacks.hpp"

#include <exception>
#include <string>
#include <vector>

#include "bastion/error.hpp"
#include "capi/handles.hpp"

namespace bastion::capi {
namespace {

// A callback's code as the error that rejects the chain.
Result<void> verdict(int code) {
  if (code == BASTION_OK) return {};
  if (code > 0 && code <= 0xffff &&
      error_code_name(static_cast<ErrorCode>(code)) != std::string_view("unknown")) {
    return Error{static_cast<ErrorCode>(code), "rejected by the verify callback"};
  }
  return Error{ErrorCode::certificate_untrusted,
               "rejected by the verify callback (code " + std::to_string(code) + ")"};
}

class CallbackVerifier final : public CertificateVerifier {
 public:
  CallbackVerifier(bastion_verify_callback callback, void* userdata)
      : callback_(callback), userdata_(userdata) {}

  Result<void> verify_server(std::span<const Der> chain, std::string_view server_name,
                             std::chrono::system_clock::time_point) const override {
    return call(chain, std::string(server_name).c_str());
  }
  Result<void> verify_client(std::span<const Der> chain,
                             std::chrono::system_clock::time_point) const override {
    return call(chain, nullptr);
  }

 private:
  Result<void> call(std::span<const Der> chain, const char* server_name) const {
    std::vector<bastion_bytes> certificates;
    certificates.reserve(chain.size());
    for (const Der& der : chain) certificates.push_back({der.data(), der.size()});
    // A callback written in C++ may throw; the handshake gets an error instead.
    try {
      return verdict(callback_(userdata_, certificates.data(), certificates.size(), server_name));
    } catch (const std::exception& e) {
      return Error{ErrorCode::internal_error,
                   std::string("the verify callback threw: ") + e.what()};
    } catch (...) {
      return Error{ErrorCode::internal_error, "the verify callback threw"};
    }
  }

  bastion_verify_callback callback_;
  void* userdata_;
};

class CallbackKeyLog final : public KeyLog {
 public:
  CallbackKeyLog(bastion_key_log_callback callback, void* userdata)
      : callback_(callback), userdata_(userdata) {}

  // A key log is a debugging aid: a callback that throws loses its line, nothing else.
  void log(std::string_view label, std::span<const uint8_t> client_random,
           std::span<const uint8_t> secret) const override {
    try {
      const std::string name(label);
      callback_(userdata_, name.c_str(), client_random.data(), client_random.size(), secret.data(),
                secret.size());
    } catch (...) {
    }
  }

 private:
  bastion_key_log_callback callback_;
  void* userdata_;
};

class CallbackSessionStore final : public SessionStore {
 public:
  CallbackSessionStore(bastion_session_put_callback put_callback,
                       bastion_session_take_callback take_callback, void* userdata)
      : put_(put_callback), take_(take_callback), userdata_(userdata) {}

  // The callee owns the handle from the call on, even if it throws (it may have kept it).
  void put(std::string_view server_name, std::shared_ptr<const Session> session) override {
    try {
      const std::string name(server_name);
      put_(userdata_, name.c_str(), new bastion_session{std::move(session)});
    } catch (...) {
    }
  }

  // A store that throws has nothing to offer: a full handshake follows.
  std::shared_ptr<const Session> take(std::string_view server_name) override {
    try {
      const std::string name(server_name);
      std::unique_ptr<bastion_session> handle(take_(userdata_, name.c_str()));
      return handle ? std::move(handle->session) : nullptr;
    } catch (...) {
      return nullptr;
    }
  }

 private:
  bastion_session_put_callback put_;
  bastion_session_take_callback take_;
  void* userdata_;
};

}  // namespace

std::shared_ptr<const CertificateVerifier> callback_verifier(bastion_verify_callback callback,
                                                             void* userdata) {
  return std::make_shared<const CallbackVerifier>(callback, userdata);
}

std::shared_ptr<const KeyLog> callback_key_log(bastion_key_log_callback callback, void* userdata) {
  return std::make_shared<const CallbackKeyLog>(callback, userdata);
}

std::shared_ptr<SessionStore> callback_session_store(bastion_session_put_callback put,
                                                     bastion_session_take_callback take,
                                                     void* userdata) {
  return std::make_shared<CallbackSessionStore>(put, take, userdata);
}

}  // namespace bastion::capi
