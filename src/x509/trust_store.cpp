#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "bastion/x509.hpp"
#include "x509/certificate.hpp"
#include "x509/path.hpp"

namespace bastion {

namespace {

constexpr const char* kSystemBundle = "/etc/ssl/certs/ca-certificates.crt";
// A bundle larger than this is not a CA file.
constexpr std::uintmax_t kMaxFileSize = 16 * 1024 * 1024;

Result<std::string> read_text(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return Error{ErrorCode::invalid_config, "cannot read " + path.string() + ": " + ec.message()};
  }
  if (size > kMaxFileSize) return Error{ErrorCode::invalid_config, path.string() + " is too large"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::invalid_config, "cannot open " + path.string()};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses anchors; with `skip_bad`, certificates we cannot parse are left out (a system
// bundle may hold a few that a strict parser refuses) instead of failing the whole store.
Result<std::shared_ptr<const TrustStore>> make_store(std::vector<Der> ders, bool skip_bad,
                                                     const std::string& origin) {
  std::vector<x509::CertificatePtr> anchors;
  for (size_t i = 0; i < ders.size(); ++i) {
    auto cert = x509::Certificate::parse(std::move(ders[i]));
    if (!cert) {
      if (skip_bad) continue;
      return Error{ErrorCode::invalid_config, origin + ": certificate " + std::to_string(i + 1) +
                                                  ": " + cert.error().message()};
    }
    anchors.push_back(std::move(cert).value());
  }
  if (anchors.empty()) return Error{ErrorCode::invalid_config, origin + ": no usable certificate"};
  return std::make_shared<const TrustStore>(
      std::make_unique<const x509::AnchorSet>(std::move(anchors)));
}

Result<std::shared_ptr<const TrustStore>> from_pem_path(const std::filesystem::path& path,
                                                        bool skip_bad) {
  auto text = read_text(path);
  if (!text) return std::move(text).error();
  auto ders = parse_pem_certificates(*text);
  if (!ders) return Error{ErrorCode::invalid_config, path.string() + ": " + ders.error().detail};
  return make_store(std::move(ders).value(), skip_bad, path.string());
}

}  // namespace

TrustStore::TrustStore(std::unique_ptr<const x509::AnchorSet> anchors)
    : anchors_(std::move(anchors)) {}

TrustStore::~TrustStore() = default;

size_t TrustStore::size() const {
  return anchors_->anchors().size();
}

const std::vector<Der>& TrustStore::subject_names() const {
  return anchors_->subject_names();
}

Result<std::shared_ptr<const TrustStore>> TrustStore::from_pem_file(
    const std::filesystem::path& path) {
  return from_pem_path(path, false);
}

Result<std::shared_ptr<const TrustStore>> TrustStore::from_directory(
    const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::directory_iterator it(path, ec);
  if (ec) {
    return Error{ErrorCode::invalid_config, "cannot list " + path.string() + ": " + ec.message()};
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : it) {
    const auto ext = entry.path().extension();
    if ((ext == ".pem" || ext == ".crt") && entry.is_regular_file(ec))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Der> ders;
  for (const auto& f : files) {
    auto text = read_text(f);
    if (!text) continue;
    auto certs = parse_pem_certificates(*text);
    if (!certs) continue;
    for (auto& d : *certs) ders.push_back(std::move(d));
  }
  return make_store(std::move(ders), true, path.string());
}

Result<std::shared_ptr<const TrustStore>> TrustStore::from_ders(std::vector<Der> ders) {
  return make_store(std::move(ders), false, "trust anchors");
}

Result<std::shared_ptr<const TrustStore>> TrustStore::system() {
  return from_pem_path(kSystemBundle, true);
}

}  // namespace bastion
