// bastion_client_config_builder_* and bastion_client_config_*.
#include <memory>
#include <utility>

#include "bastion.h"
#include "capi/boundary.hpp"
#include "capi/callbacks.hpp"
#include "capi/config_inputs.hpp"
#include "capi/handles.hpp"

using bastion::capi::fail;
using bastion::capi::guarded;
using bastion::capi::null_argument;

namespace {

using Builder = bastion_client_config_builder;

// Runs `change` on the builder's options: the body of every setter. A null builder has nowhere
// to keep a message.
template <class Change>
bastion_result with_builder(Builder* builder, Change&& change) noexcept {
  if (!builder) return BASTION_INTERNAL_ERROR;
  return guarded(&builder->error, [&] { return change(builder->options, builder->error); });
}

// Server authentication by `verifier`, replacing what an earlier call set.
bastion_result use_verifier(
    bastion::ClientOptions& options, std::string& error,
    bastion::Result<std::shared_ptr<const bastion::CertificateVerifier>> verifier) {
  if (!verifier) return fail(error, verifier.error());
  options.verifier = std::move(verifier).value();
  options.insecure_skip_verify = false;
  return BASTION_OK;
}

}  // namespace

extern "C" {

bastion_client_config_builder* bastion_client_config_builder_new(void) noexcept {
  return bastion::capi::guarded_value<Builder*>(nullptr, [] { return new Builder{}; });
}

void bastion_client_config_builder_free(bastion_client_config_builder* builder) noexcept {
  delete builder;
}

size_t bastion_client_config_builder_error_message(const bastion_client_config_builder* builder,
                                                   char* buf, size_t len) noexcept {
  return bastion::capi::copy_message(builder ? builder->error : std::string_view(), buf, len);
}

bastion_result bastion_client_config_builder_load_ca_file(bastion_client_config_builder* builder,
                                                          const char* path) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    return use_verifier(o, error, bastion::capi::verifier_from_ca_file(path));
  });
}

bastion_result bastion_client_config_builder_load_ca_dir(bastion_client_config_builder* builder,
                                                         const char* path) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    return use_verifier(o, error, bastion::capi::verifier_from_ca_dir(path));
  });
}

bastion_result bastion_client_config_builder_load_ca_pem(bastion_client_config_builder* builder,
                                                         const uint8_t* pem, size_t len) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    return use_verifier(o, error, bastion::capi::verifier_from_ca_pem(pem, len));
  });
}

bastion_result bastion_client_config_builder_use_system_roots(
    bastion_client_config_builder* builder) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    return use_verifier(o, error, bastion::capi::verifier_from_system_roots());
  });
}

bastion_result bastion_client_config_builder_set_verify_callback(
    bastion_client_config_builder* builder, bastion_verify_callback callback,
    void* userdata) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    if (!callback) return null_argument(error, "callback");
    return use_verifier(o, error, bastion::capi::callback_verifier(callback, userdata));
  });
}

bastion_result bastion_client_config_builder_insecure_skip_verify(
    bastion_client_config_builder* builder) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string&) {
    o.verifier = nullptr;
    o.insecure_skip_verify = true;
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_add_alpn(bastion_client_config_builder* builder,
                                                      const uint8_t* protocol,
                                                      size_t len) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    auto name = bastion::capi::alpn_protocol(protocol, len);
    if (!name) return fail(error, name.error());
    o.alpn.push_back(std::move(name).value());
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_set_versions(bastion_client_config_builder* builder,
                                                          uint16_t min_version,
                                                          uint16_t max_version) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    auto range = bastion::capi::version_range(min_version, max_version);
    if (!range) return fail(error, range.error());
    o.min_version = range->min;
    o.max_version = range->max;
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_set_certificate_files(
    bastion_client_config_builder* builder, const char* chain_path, const char* key_path) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    auto key = bastion::capi::certified_key_from_files(chain_path, key_path);
    if (!key) return fail(error, key.error());
    o.client_certificate = std::move(key).value();
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_set_certificate_pem(
    bastion_client_config_builder* builder, const uint8_t* chain_pem, size_t chain_len,
    const uint8_t* key_pem, size_t key_len) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    auto key = bastion::capi::certified_key_from_pem(chain_pem, chain_len, key_pem, key_len);
    if (!key) return fail(error, key.error());
    o.client_certificate = std::move(key).value();
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_set_key_log(bastion_client_config_builder* builder,
                                                         bastion_key_log_callback callback,
                                                         void* userdata) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    if (!callback) return null_argument(error, "callback");
    o.key_log = bastion::capi::callback_key_log(callback, userdata);
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_set_session_store(
    bastion_client_config_builder* builder, bastion_session_put_callback put,
    bastion_session_take_callback take, void* userdata) noexcept {
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    if (!put) return null_argument(error, "put");
    if (!take) return null_argument(error, "take");
    o.session_store = bastion::capi::callback_session_store(put, take, userdata);
    return BASTION_OK;
  });
}

bastion_result bastion_client_config_builder_build(bastion_client_config_builder* builder,
                                                   const bastion_client_config** config) noexcept {
  if (config) *config = nullptr;
  return with_builder(builder, [&](bastion::ClientOptions& o, std::string& error) {
    if (!config) return null_argument(error, "config");
    auto made = bastion::ClientConfig::create(o);
    if (!made) return fail(error, made.error());
    *config = new bastion_client_config{std::move(made).value()};
    return BASTION_OK;
  });
}

void bastion_client_config_free(const bastion_client_config* config) noexcept {
  delete config;
}

}  // extern "C"
