#include <algorithm>

#include "bastion/config.hpp"

namespace bastion {

namespace {

class ExactVerifier final : public CertificateVerifier {
 public:
  explicit ExactVerifier(std::vector<Der> trusted) : trusted_(std::move(trusted)) {}

  Result<void> verify_server(std::span<const Der> chain, std::string_view,
                             std::chrono::system_clock::time_point) const override {
    return check(chain);
  }
  Result<void> verify_client(std::span<const Der> chain,
                             std::chrono::system_clock::time_point) const override {
    return check(chain);
  }

 private:
  // Pinning: the end-entity is either one of ours, byte for byte, or not trusted. Names,
  // times and the rest of the chain do not matter.
  Result<void> check(std::span<const Der> chain) const {
    if (chain.empty()) return Error{ErrorCode::bad_certificate, "empty certificate chain"};
    if (std::find(trusted_.begin(), trusted_.end(), chain[0]) != trusted_.end()) return {};
    return Error{ErrorCode::certificate_untrusted,
                 "certificate is not one of the pinned certificates"};
  }

  std::vector<Der> trusted_;
};

}  // namespace

Result<void> CertificateVerifier::verify_client(std::span<const Der>,
                                                std::chrono::system_clock::time_point) const {
  return Error{ErrorCode::certificate_untrusted,
               "this verifier does not accept client certificates"};
}

std::shared_ptr<const CertificateVerifier> exact_certificate_verifier(std::vector<Der> trusted) {
  return std::make_shared<const ExactVerifier>(std::move(trusted));
}

}  // namespace bastion
