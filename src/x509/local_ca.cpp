// The local CA of include/bastion/ca.hpp: key generation and signing through the provider,
// certificates from certificate_builder, files written with the modes a CA key needs.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "bastion/ca.hpp"
#include "bastion/x509.hpp"
#include "core/secret.hpp"
#include "core/secret_file.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/certificate_builder.hpp"

namespace bastion {

namespace {

namespace fs = std::filesystem;

constexpr const char* kCaCertificateFile = "ca.pem";
constexpr const char* kCaKeyFile = "ca-key.pem";
constexpr const char* kCaOrganization = "Bastion development CA";
constexpr const char* kLeafOrganization = "Bastion development certificate";
// RFC 5280 Appendix A.1: ub-common-name is 64 characters.
constexpr size_t kMaxCommonName = 64;
// A hundred years is beyond any use of a development certificate.
constexpr int kMaxValidityDays = 36525;
// ca.pem and ca-key.pem are small; anything larger is not ours.
constexpr std::uintmax_t kMaxFileSize = 1024 * 1024;
constexpr int64_t kSecondsPerDay = 86400;

Error io_error(const fs::path& path, std::string_view what) {
  return Error{ErrorCode::io_error, std::string(what) + " " + path.string()};
}

struct KeyChoice {
  crypto::KeyType type;
  size_t bits;
};

KeyChoice key_choice(CertKeyType type) {
  switch (type) {
    case CertKeyType::ecdsa_p384:
      return {crypto::KeyType::ec_p384, 0};
    case CertKeyType::rsa_2048:
      return {crypto::KeyType::rsa, 2048};
    case CertKeyType::rsa_3072:
      return {crypto::KeyType::rsa, 3072};
    case CertKeyType::ed25519:
      return {crypto::KeyType::ed25519, 0};
    case CertKeyType::ecdsa_p256:
      break;
  }
  return {crypto::KeyType::ec_p256, 0};
}

Result<std::unique_ptr<crypto::PrivateKey>> generate_key(const crypto::Provider& provider,
                                                         CertKeyType type) {
  const KeyChoice choice = key_choice(type);
  return provider.generate_private_key(choice.type, choice.bits);
}

int64_t now_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

Result<void> check_days(int days) {
  if (days < 1 || days > kMaxValidityDays) {
    return Error{ErrorCode::invalid_config,
                 "validity must be 1 to " + std::to_string(kMaxValidityDays) + " days"};
  }
  return {};
}

// Writes a whole file with `mode`, which it keeps even when an existing file is replaced.
Result<void> write_file(const fs::path& path, std::string_view contents, mode_t mode,
                        bool replace) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) return io_error(path, "will not replace");
    return io_error(path, std::string("cannot create (") + std::strerror(errno) + ")");
  }
  bool ok = ::fchmod(fd, mode) == 0;
  while (ok && !contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) contents.remove_prefix(static_cast<size_t>(n));
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) return io_error(path, "cannot write");
  return {};
}

// The key first, so that a certificate never exists without its key; the PEM text of the
// key is wiped once written.
Result<void> write_key_and_certificate(const crypto::PrivateKey& key, const fs::path& key_file,
                                       const Der& certificate, const fs::path& certificate_file,
                                       bool replace) {
  std::string key_pem = key.to_pkcs8_pem();
  if (key_pem.empty()) return Error{ErrorCode::crypto_failure, "cannot encode the private key"};
  auto written = write_file(key_file, key_pem, 0600, replace);
  secure_wipe(key_pem.data(), key_pem.size());
  if (!written) return written;
  return write_file(certificate_file, x509::pem_encode("CERTIFICATE", certificate), 0644, replace);
}

Result<std::string> read_small_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return io_error(path, "cannot read");
  if (size > kMaxFileSize) return io_error(path, "too large:");
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(path, "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "user@host", as mkcert names its CAs, so that a CA in a trust store says where it came from.
std::string user_at_host() {
  const char* user = std::getenv("USER");
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(user != nullptr ? user : "user") + "@" + (host[0] ? host : "localhost");
}

std::string hex_prefix(std::span<const uint8_t> bytes, size_t count) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < count && i < bytes.size(); ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

// "Bastion CA alice@laptop 1a2b3c4d": the key identifier's start tells two CAs of one user
// apart, whose names would otherwise be equal.
std::string ca_common_name(std::span<const uint8_t> key_id) {
  const std::string suffix = " " + hex_prefix(key_id, 4);
  std::string name = "Bastion CA " + user_at_host();
  name.resize(std::min(name.size(), kMaxCommonName - suffix.size()));
  return name + suffix;
}

}  // namespace

std::optional<CertKeyType> parse_cert_key_type(std::string_view name) {
  if (name == "ecdsa" || name == "ecdsa-p256") return CertKeyType::ecdsa_p256;
  if (name == "ecdsa-p384") return CertKeyType::ecdsa_p384;
  if (name == "rsa2048") return CertKeyType::rsa_2048;
  if (name == "rsa3072") return CertKeyType::rsa_3072;
  if (name == "ed25519") return CertKeyType::ed25519;
  return std::nullopt;
}

std::string_view to_string(CertKeyType type) {
  switch (type) {
    case CertKeyType::ecdsa_p256:
      return "ecdsa";
    case CertKeyType::ecdsa_p384:
      return "ecdsa-p384";
    case CertKeyType::rsa_2048:
      return "rsa2048";
    case CertKeyType::rsa_3072:
      return "rsa3072";
    case CertKeyType::ed25519:
      return "ed25519";
  }
  return "unknown";
}

std::string issued_file_stem(std::string_view first_name) {
  std::string stem;
  for (char c : first_name) {
    if (c == '*') {
      stem += "_wildcard";
    } else if (c == ':') {
      stem += '_';
    } else {
      stem += c;
    }
  }
  return stem;
}

LocalCa::LocalCa(Der certificate, std::shared_ptr<const crypto::PrivateKey> key,
                 std::shared_ptr<const crypto::Provider> provider, std::filesystem::path dir)
    : certificate_(std::move(certificate)),
      key_(std::move(key)),
      provider_(std::move(provider)),
      certificate_file_(dir / kCaCertificateFile),
      key_file_(dir / kCaKeyFile) {}

Result<LocalCa> LocalCa::create(const std::filesystem::path& dir, CertKeyType key_type,
                                std::shared_ptr<const crypto::Provider> provider, int days) {
  if (!provider) provider = default_provider();
  if (auto valid = check_days(days); !valid) return std::move(valid).error();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error(dir, "cannot create the directory");
  for (const char* file : {kCaCertificateFile, kCaKeyFile}) {
    if (fs::exists(dir / file, ec)) return io_error(dir / file, "a CA already exists:");
  }

  auto key = generate_key(*provider, key_type);
  if (!key) return std::move(key).error();
  x509::CertificateSpec spec;
  spec.role = x509::CertificateRole::local_root;
  spec.public_key = (*key)->public_params();
  const auto key_id = x509::key_identifier(spec.public_key, *provider);
  spec.subject = x509::encode_name({ca_common_name(key_id), kCaOrganization});
  spec.not_before = now_seconds();
  spec.not_after = spec.not_before + days * kSecondsPerDay;
  auto certificate = x509::build_self_signed(spec, **key, *provider);
  if (!certificate) return std::move(certificate).error();

  LocalCa ca(std::move(certificate).value(), std::move(key).value(), std::move(provider), dir);
  auto written = write_key_and_certificate(*ca.key_, ca.key_file_, ca.certificate_,
                                           ca.certificate_file_, false);
  if (!written) return std::move(written).error();
  return ca;
}

Result<LocalCa> LocalCa::load(const std::filesystem::path& dir,
                              std::shared_ptr<const crypto::Provider> provider) {
  if (!provider) provider = default_provider();
  const fs::path certificate_file = dir / kCaCertificateFile;
  auto pem = read_small_file(certificate_file);
  if (!pem) return std::move(pem).error();
  auto ders = parse_pem_certificates(*pem);
  if (!ders)
    return Error{ErrorCode::invalid_config, certificate_file.string() + ": " + ders.error().detail};
  auto certificate = x509::Certificate::parse(ders->front());
  if (!certificate) {
    return Error{ErrorCode::invalid_config,
                 certificate_file.string() + ": " + certificate.error().message()};
  }
  const auto& cert = **certificate;
  if (!cert.basic_constraints() || !cert.basic_constraints()->ca ||
      !cert.has_key_usage(x509::KeyUsageBit::key_cert_sign)) {
    return Error{ErrorCode::invalid_config, certificate_file.string() + " is not a CA"};
  }

  const fs::path key_file = dir / kCaKeyFile;
  auto key_pem = read_secret_file(key_file, kMaxFileSize);
  if (!key_pem) return std::move(key_pem).error();
  auto key = provider->load_private_key_pem(
      {reinterpret_cast<const char*>(key_pem->span().data()), key_pem->size()}, {});
  if (!key) return Error{ErrorCode::invalid_key, key_file.string() + ": " + key.error().message()};
  if (!cert.public_key().ok() || !crypto::same_public_key(*cert.public_key(), (*key)->public_params())) {
    return Error{ErrorCode::invalid_key,
                 key_file.string() + " is not the key of " + certificate_file.string()};
  }
  return LocalCa(std::move(ders->front()), std::move(key).value(), std::move(provider), dir);
}

Result<IssuedCertificate> LocalCa::issue(const std::vector<std::string>& names,
                                         const std::filesystem::path& out_dir, CertKeyType key_type,
                                         int days) const {
  if (names.empty()) return Error{ErrorCode::invalid_config, "no name to issue a certificate for"};
  if (auto valid = check_days(days); !valid) return std::move(valid).error();
  auto ca = x509::Certificate::parse(certificate_);
  if (!ca) return std::move(ca).error();
  const auto& ca_cert = **ca;

  auto key = generate_key(*provider_, key_type);
  if (!key) return std::move(key).error();
  x509::CertificateSpec spec;
  spec.role = x509::CertificateRole::tls_leaf;
  spec.public_key = (*key)->public_params();
  // RFC 9525 §6.3 matches subjectAltName only; the CN just names the certificate for people.
  const std::string& first = names.front();
  spec.subject = x509::encode_name(
      {first.size() <= kMaxCommonName ? first : std::string(), kLeafOrganization});
  spec.not_before = now_seconds();
  spec.not_after = spec.not_before + days * kSecondsPerDay;
  spec.names = names;

  x509::IssuerSpec issuer;
  const auto ca_name = ca_cert.subject_raw();
  issuer.name.assign(ca_name.begin(), ca_name.end());
  // RFC 5280 §4.2.1.1: the AKI keyIdentifier is the issuer's subjectKeyIdentifier.
  if (auto ski = ca_cert.subject_key_id()) {
    issuer.key_id.assign(ski->begin(), ski->end());
  } else {
    issuer.key_id = x509::key_identifier(key_->public_params(), *provider_);
  }
  issuer.key = key_.get();
  auto certificate = x509::build_certificate(spec, issuer, *provider_);
  if (!certificate) return std::move(certificate).error();

  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return io_error(out_dir, "cannot create the directory");
  const std::string stem = issued_file_stem(first);
  IssuedCertificate issued{out_dir / (stem + ".pem"), out_dir / (stem + "-key.pem"),
                           std::move(certificate).value()};
  auto written = write_key_and_certificate(**key, issued.key_file, issued.certificate,
                                           issued.certificate_file, true);
  if (!written) return std::move(written).error();
  return issued;
}

}  // namespace bastion
