#include <chrono>

#include "bastion/x509.hpp"
#include "x509/anchor_keys.hpp"
#include "x509/certificate.hpp"
#include "x509/path.hpp"

namespace bastion {

namespace {

// A peer chain longer than this is refused before any parsing (RFC 8446 gives no bound;
// real chains have 2 to 4 certificates).
constexpr size_t kMaxPeerChain = 16;

class WebPkiVerifier final : public CertificateVerifier {
 public:
  WebPkiVerifier(std::shared_ptr<const TrustStore> store,
                 std::shared_ptr<const crypto::Provider> provider)
      : store_(std::move(store)), provider_(std::move(provider)) {
    if (store_ && provider_) {
      anchor_keys_ = std::make_unique<const x509::AnchorKeys>(store_->anchors(), *provider_);
    }
  }

  Result<void> verify_server(std::span<const Der> chain, std::string_view server_name,
                             std::chrono::system_clock::time_point now) const override {
    if (server_name.empty()) {
      return Error{ErrorCode::certificate_name_mismatch, "no server name to verify against"};
    }
    return verify(chain, server_name, now, x509::KeyPurpose::server_auth);
  }

  Result<void> verify_client(std::span<const Der> chain,
                             std::chrono::system_clock::time_point now) const override {
    return verify(chain, {}, now, x509::KeyPurpose::client_auth);
  }

  std::span<const Der> client_ca_names() const override {
    if (!store_) return {};
    return store_->subject_names();
  }

 private:
  Result<void> verify(std::span<const Der> chain, std::string_view server_name,
                      std::chrono::system_clock::time_point now, x509::KeyPurpose purpose) const {
    if (!store_ || !provider_) {
      return Error{ErrorCode::invalid_config, "verifier without a trust store or provider"};
    }
    if (chain.empty()) return Error{ErrorCode::bad_certificate, "empty certificate chain"};
    if (chain.size() > kMaxPeerChain) {
      return Error{ErrorCode::bad_certificate, "certificate chain too long"};
    }
    auto leaf = x509::Certificate::parse(chain[0]);
    if (!leaf) return std::move(leaf).error();
    // Extra certificates that do not parse cannot be part of a valid path: leave them out.
    std::vector<x509::CertificatePtr> pool;
    for (size_t i = 1; i < chain.size(); ++i) {
      if (auto c = x509::Certificate::parse(chain[i])) pool.push_back(std::move(c).value());
    }
    x509::ValidationOptions options;
    options.time = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
    options.purpose = purpose;
    options.server_name = std::string(server_name);
    auto path =
        x509::build_path(store_->anchors(), *leaf, pool, options, *provider_, anchor_keys_.get());
    if (!path) return std::move(path).error();
    return {};
  }

  std::shared_ptr<const TrustStore> store_;
  std::shared_ptr<const crypto::Provider> provider_;
  std::unique_ptr<const x509::AnchorKeys> anchor_keys_;  // of store_'s anchors, by provider_
};

}  // namespace

std::shared_ptr<const CertificateVerifier> webpki_verifier(
    std::shared_ptr<const TrustStore> store, std::shared_ptr<const crypto::Provider> provider) {
  if (!provider) provider = default_provider();
  return std::make_shared<const WebPkiVerifier>(std::move(store), std::move(provider));
}

}  // namespace bastion
