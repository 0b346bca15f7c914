#include <array>
#include <fstream>
#include <optional>
#include <sstream>

#include "bastion/config.hpp"
#include "bastion/x509.hpp"
#include "config/signing_key.hpp"
#include "core/secret_file.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"

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

namespace {

// What a CertifiedKey needs of its leaf: the public key its private key must match, and the
// DNS names that SNI picks it by.
struct Leaf {
  crypto::PublicKeyParams key;
  std::vector<std::string> dns_names;
};

Result<Leaf> read_leaf(const std::vector<Der>& chain) {
  if (chain.empty()) return Error{ErrorCode::invalid_key, "no certificate in the chain"};
  auto summary = describe_certificate(chain.front());
  if (!summary) return Error{ErrorCode::invalid_key, "certificate: " + summary.error().message()};
  auto certificate = x509::Certificate::parse(chain.front());
  if (!certificate) {
    return Error{ErrorCode::invalid_key, "certificate: " + certificate.error().message()};
  }
  const auto& key = (*certificate)->public_key();
  if (!key) return Error{ErrorCode::invalid_key, "certificate key: " + key.error().message()};
  Leaf leaf{*key, {}};
  for (const auto& n : summary->dns_names) leaf.dns_names.push_back(lower(n));
  return leaf;
}

}  // namespace

namespace {

// Where from_pem_files read each input, to name it in errors (empty for from_pem).
struct Sources {
  std::string chain;
  std::string key;
};

Error from_source(const std::string& source, Error error) {
  if (!source.empty()) error.detail = source + ": " + error.detail;
  return error;
}

Result<std::shared_ptr<const CertifiedKey>> load(
    std::string_view chain_pem, std::string_view key_pem,
    const std::shared_ptr<const crypto::Provider>& provider, std::string_view passphrase,
    const Sources& from) {
  auto chain = parse_pem_certificates(chain_pem);
  if (!chain) {
    return from_source(
        from.chain, Error{ErrorCode::invalid_key, "certificate chain: " + chain.error().message()});
  }
  auto leaf = read_leaf(*chain);
  if (!leaf) return from_source(from.chain, std::move(leaf).error());
  auto key =
      (provider ? provider : default_provider())
          ->load_private_key_pem(
              key_pem, {reinterpret_cast<const uint8_t*>(passphrase.data()), passphrase.size()});
  if (!key) return from_source(from.key, std::move(key).error());
  // A key that is not the leaf's would fail every handshake at its first signature.
  const std::string leaf_name = from.chain.empty() ? "the leaf certificate" : from.chain;
  if (!crypto::same_public_key(leaf->key, (*key)->public_params())) {
    return from_source(
        from.key, Error{ErrorCode::invalid_key, "the private key is not the key of " + leaf_name});
  }
  // The schemes are chosen by the private key's type: a plain RSA key would sign PKCS#1 or
  // rsae signatures, which a certificate restricted to RSASSA-PSS does not allow.
  if (leaf->key.type == crypto::KeyType::rsa_pss && (*key)->type() != crypto::KeyType::rsa_pss) {
    return from_source(from.key, Error{ErrorCode::invalid_key,
                                       leaf_name + " holds an RSASSA-PSS key: the private key "
                                                   "must be an RSASSA-PSS key too"});
  }
  return std::make_shared<const CertifiedKey>(
      std::move(chain).value(), std::shared_ptr<const crypto::PrivateKey>(std::move(key).value()),
      std::move(leaf->dns_names));
}

// A signature algorithm that a key of this kind makes in TLS, to try a SigningKey with.
std::optional<crypto::SigAlg> probe_algorithm(const crypto::PublicKeyParams& key) {
  using crypto::SigAlg;
  switch (key.type) {
    case crypto::KeyType::ec_p256:
      return SigAlg::ecdsa_sha256;
    case crypto::KeyType::ec_p384:
      return SigAlg::ecdsa_sha384;
    case crypto::KeyType::ec_p521:
      return SigAlg::ecdsa_sha512;
    case crypto::KeyType::ed25519:
      return SigAlg::ed25519;
    case crypto::KeyType::ed448:
      return SigAlg::ed448;
    case crypto::KeyType::rsa:
    case crypto::KeyType::rsa_pss:
      for (SigAlg alg : {SigAlg::rsa_pss_sha256, SigAlg::rsa_pss_sha384, SigAlg::rsa_pss_sha512}) {
        if (crypto::key_permits(key, alg)) return alg;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_pem(
    std::string_view chain_pem, std::string_view key_pem,
    const std::shared_ptr<const crypto::Provider>& provider, std::string_view passphrase) {
  return load(chain_pem, key_pem, provider, passphrase, Sources{});
}

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_pem_files(
    const std::filesystem::path& chain_file, const std::filesystem::path& key_file,
    const std::shared_ptr<const crypto::Provider>& provider, std::string_view passphrase) {
  auto chain = read_file(chain_file);
  if (!chain) return std::move(chain).error();
  auto key = read_secret_file(key_file, kMaxKeyFile);
  if (!key) return Error{ErrorCode::invalid_key, key.error().detail};
  const auto text = key->span();
  return load(*chain, {reinterpret_cast<const char*>(text.data()), text.size()}, provider,
              passphrase, Sources{chain_file.string(), key_file.string()});
}

Result<std::shared_ptr<const CertifiedKey>> CertifiedKey::from_signing_key(
    std::vector<Der> chain, std::shared_ptr<const SigningKey> key) {
  if (!key) return Error{ErrorCode::invalid_key, "no signing key"};
  auto leaf = read_leaf(chain);
  if (!leaf) return std::move(leaf).error();
  auto wrapped = wrap_signing_key(std::move(key), leaf->key);
  // One signature, checked with the leaf's public key: a key that is not the leaf's (the wrong
  // slot of a token) is refused here rather than failing every handshake.
  const auto alg = probe_algorithm(leaf->key);
  if (!alg) return Error{ErrorCode::invalid_key, "the leaf certificate's key cannot sign in TLS"};
  std::array<uint8_t, 32> probe{};
  const auto provider = default_provider();
  provider->random(probe);
  auto signature = wrapped->sign(*alg, probe);
  if (!signature) {
    return Error{ErrorCode::invalid_key,
                 "the signing key failed a test signature: " + signature.error().message()};
  }
  auto public_key = provider->import_public_key(leaf->key);
  if (!public_key) return std::move(public_key).error();
  if (!(*public_key)->verify(*alg, probe, *signature)) {
    return Error{ErrorCode::invalid_key,
                 "the signing key is not the key of the leaf certificate (a test signature does "
                 "not verify)"};
  }
  return std::make_shared<const CertifiedKey>(std::move(chain), std::move(wrapped),
                                              std::move(leaf->dns_names));
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
