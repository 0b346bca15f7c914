// bastion_server_config_builder_* and bastion_server_config_*.
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

using Builder = bastion_server_config_builder;

// Runs `change` on the builder's options: the body of every setter. A null builder has nowhere
// to keep a message.
template <class Change>
bastion_result with_builder(Builder* builder, Change&& change) noexcept {
  if (!builder) return BASTION_INTERNAL_ERROR;
  return guarded(&builder->error, [&] { return change(builder->options, builder->error); });
}

bastion_result add_certificate(bastion::ServerOptions& options, std::string& error,
                               bastion::Result<std::shared_ptr<const bastion::CertifiedKey>> key) {
  if (!key) return fail(error, key.error());
  options.certificates.push_back(std::move(key).value());
  return BASTION_OK;
}

}  // namespace

extern "C" {

bastion_server_config_builder* bastion_server_config_builder_new(void) noexcept {
  return bastion::capi::guarded_value<Builder*>(nullptr, [] { return new Builder{}; });
}

void bastion_server_config_builder_free(bastion_server_config_builder* builder) noexcept {
  delete builder;
}

size_t bastion_server_config_builder_error_message(const bastion_server_config_builder* builder,
                                                   char* buf, size_t len) noexcept {
  return bastion::capi::copy_message(builder ? builder->error : std::string_view(), buf, len);
}

bastion_result bastion_server_config_builder_add_certificate_files(
    bastion_server_config_builder* builder, const char* chain_path, const char* key_path) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    return add_certificate(o, error, bastion::capi::certified_key_from_files(chain_path, key_path));
  });
}

bastion_result bastion_server_config_builder_add_certificate_pem(
    bastion_server_config_builder* builder, const uint8_t* chain_pem, size_t chain_len,
    const uint8_t* key_pem, size_t key_len) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    return add_certificate(
        o, error, bastion::capi::certified_key_from_pem(chain_pem, chain_len, key_pem, key_len));
  });
}

bastion_result bastion_server_config_builder_add_alpn(bastion_server_config_builder* builder,
                                                      const uint8_t* protocol,
                                                      size_t len) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    auto name = bastion::capi::alpn_protocol(protocol, len);
    if (!name) return fail(error, name.error());
    o.alpn.push_back(std::move(name).value());
    return BASTION_OK;
  });
}

bastion_result bastion_server_config_builder_set_versions(bastion_server_config_builder* builder,
                                                          uint16_t min_version,
                                                          uint16_t max_version) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    auto range = bastion::capi::version_range(min_version, max_version);
    if (!range) return fail(error, range.error());
    o.min_version = range->min;
    o.max_version = range->max;
    return BASTION_OK;
  });
}

bastion_result bastion_server_config_builder_set_client_auth(bastion_server_config_builder* builder,
                                                             int mode) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    switch (mode) {
      case BASTION_CLIENT_AUTH_NONE:
        o.client_auth = bastion::ClientAuth::none;
        return BASTION_OK;
      case BASTION_CLIENT_AUTH_REQUEST:
        o.client_auth = bastion::ClientAuth::request;
        return BASTION_OK;
      case BASTION_CLIENT_AUTH_REQUIRE:
        o.client_auth = bastion::ClientAuth::require;
        return BASTION_OK;
      default:
        return fail(error, bastion::Error{bastion::ErrorCode::invalid_config,
                                          "client auth is NONE, REQUEST or REQUIRE"});
    }
  });
}

bastion_result bastion_server_config_builder_load_client_ca_file(
    bastion_server_config_builder* builder, const char* path) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    auto verifier = bastion::capi::verifier_from_ca_file(path);
    if (!verifier) return fail(error, verifier.error());
    o.client_verifier = std::move(verifier).value();
    return BASTION_OK;
  });
}

bastion_result bastion_server_config_builder_set_client_verify_callback(
    bastion_server_config_builder* builder, bastion_verify_callback callback,
    void* userdata) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    if (!callback) return null_argument(error, "callback");
    o.client_verifier = bastion::capi::callback_verifier(callback, userdata);
    return BASTION_OK;
  });
}

bastion_result bastion_server_config_builder_set_key_log(bastion_server_config_builder* builder,
                                                         bastion_key_log_callback callback,
                                                         void* userdata) noexcept {
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    if (!callback) return null_argument(error, "callback");
    o.key_log = bastion::capi::callback_key_log(callback, userdata);
    return BASTION_OK;
  });
}

bastion_result bastion_server_config_builder_build(bastion_server_config_builder* builder,
                                                   const bastion_server_config** config) noexcept {
  if (config) *config = nullptr;
  return with_builder(builder, [&](bastion::ServerOptions& o, std::string& error) {
    if (!config) return null_argument(error, "config");
    auto made = bastion::ServerConfig::create(o);
    if (!made) return fail(error, made.error());
    *config = new bastion_server_config{std::move(made).value()};
    return BASTION_OK;
  });
}

void bastion_server_config_free(const bastion_server_config* config) noexcept {
  delete config;
}

}  // extern "C"
