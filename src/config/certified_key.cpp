#include <fstream>
#include <sstream>

#include "bastion/config.hpp"
#include "bastion/x509.hpp"
#include "core/secret_file.hpp"
#include "crypto/provider.hpp"

namespace bastion {
namespace {

// Key files are PEM text; certificate chains are public and read the ordinary way.
constexpr size_t kMaxKeyFile = 1024 * 1024;

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::invalid_key, "cannot read " + path.string()};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

CertifiedKey::CertifiedKey(std::vector<Der> chain, std::shared_ptr<const crypto::PrivateKey> key,
                           std::vector<std::string> dns_names)
    : chain_(std::move(chain)), key_(std::move(key)), dns_names_(std::move(dns_names)) {}

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_pem(
    std::string_view chain_pem, std::string_view key_pem,
    const std::shared_ptr<const crypto::Provider>& provider) {
  auto chain = parse_pem_certificates(chain_pem);
  if (!chain) return Error{ErrorCode::invalid_key, "certificate chain: " + chain.error().message()};
  if (chain->empty()) return Error{ErrorCode::invalid_key, "no certificate in the chain file"};
  auto summary = describe_certificate(chain->front());
  if (!summary) return Error{ErrorCode::invalid_key, "certificate: " + summary.error().message()};
  auto key = (provider ? provider : default_provider())->load_private_key_pem(key_pem);
  if (!key) return std::move(key).error();
  std::vector<std::string> names;
  for (const auto& n : summary->dns_names) names.push_back(lower(n));
  return std::make_shared<const CertifiedKey>(
      std::move(chain).value(), std::shared_ptr<const crypto::PrivateKey>(std::move(key).value()),
      std::move(names));
}

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_pem_files(
    const std::filesystem::path& chain_file, const std::filesystem::path& key_file,
    const std::shared_ptr<const crypto::Provider>& provider) {
  auto chain = read_file(chain_file);
  if (!chain) return std::move(chain).error();
  auto key = read_secret_file(key_file, kMaxKeyFile);
  if (!key) return Error{ErrorCode::invalid_key, key.error().detail};
  const auto text = key->span();
  return from_pem(*chain, {reinterpret_cast<const char*>(text.data()), text.size()}, provider);
}

bool CertifiedKey::matches_name(std::string_view host) const {
  std::string h = lower(host);
  for (const auto& name : dns_names_) {
    if (name == h) return true;
    // A wildcard covers exactly one leftmost label (RFC 9525 §6.3).
    if (name.size() > 2 && name.starts_with("*.")) {
      auto dot = h.find('.');
      if (dot != std::string::npos && dot > 0 && h.substr(dot) == name.substr(1)) return true;
    }
  }
  return false;
}

}  // namespace bastion
