// A local certificate authority for development, as mkcert makes one: a root kept in a
// directory (ca.pem, ca-key.pem) that issues TLS leaf certificates for names and addresses
// (NAME.pem, NAME-key.pem). Certificates are written by Bastion's own DER code and signed
// through the crypto provider.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/config.hpp"  // Der, crypto::Provider, crypto::PrivateKey, default_provider
#include "bastion/error.hpp"

namespace bastion {

enum class CertKeyType : uint8_t { ecdsa_p256, ecdsa_p384, rsa_2048, rsa_3072, ed25519 };

// "ecdsa" (P-256), "ecdsa-p384", "rsa2048", "rsa3072", "ed25519", as the CLI spells them.
BASTION_API std::optional<CertKeyType> parse_cert_key_type(std::string_view name);
BASTION_API std::string_view to_string(CertKeyType type);

// Ten years for the CA and 825 days for leaves, as mkcert (825 days is the longest validity
// Apple platforms accept for TLS server certificates).
inline constexpr int kLocalCaValidityDays = 3652;
inline constexpr int kLeafValidityDays = 825;

// What LocalCa::issue wrote.
struct IssuedCertificate {
  std::filesystem::path certificate_file;  // DIR/NAME.pem
  std::filesystem::path key_file;          // DIR/NAME-key.pem, mode 0600
  Der certificate;
};

class BASTION_API LocalCa {
 public:
  // Creates a new CA in `dir` (made if missing): a self-signed root valid for `days` from
  // now, written as ca.pem and ca-key.pem (PKCS#8, mode 0600). Refuses to replace existing
  // files. A null provider means default_provider().
  static Result<LocalCa> create(const std::filesystem::path& dir, CertKeyType key_type,
                                std::shared_ptr<const crypto::Provider> provider,
                                int days = kLocalCaValidityDays);
  // Loads ca.pem and ca-key.pem from `dir`, checking that the certificate is a CA and that the
  // key is its key.
  static Result<LocalCa> load(const std::filesystem::path& dir,
                              std::shared_ptr<const crypto::Provider> provider);

  // Issues a TLS server and client certificate (serverAuth, clientAuth) for `names` (DNS
  // names, "*.example.com" wildcards, IPv4/IPv6 addresses, email addresses), valid for
  // `days` from now, with a new key, and writes NAME.pem and NAME-key.pem (mode 0600) into
  // `out_dir`. NAME is the first name, with "*" spelled "_wildcard" and ":" spelled "_".
  // Existing files of that name are replaced.
  Result<IssuedCertificate> issue(const std::vector<std::string>& names,
                                  const std::filesystem::path& out_dir,
                                  CertKeyType key_type = CertKeyType::ecdsa_p256,
                                  int days = kLeafValidityDays) const;

  const Der& certificate() const { return certificate_; }
  const std::filesystem::path& certificate_file() const { return certificate_file_; }
  const std::filesystem::path& key_file() const { return key_file_; }

 private:
  LocalCa(Der certificate, std::shared_ptr<const crypto::PrivateKey> key,
          std::shared_ptr<const crypto::Provider> provider, std::filesystem::path dir);

  Der certificate_;
  std::shared_ptr<const crypto::PrivateKey> key_;
  std::shared_ptr<const crypto::Provider> provider_;
  std::filesystem::path certificate_file_;
  std::filesystem::path key_file_;
};

// The file name stem LocalCa::issue uses for a first name ("*.example.com" ->
// "_wildcard.example.com", "::1" -> "__1").
BASTION_API std::string issued_file_stem(std::string_view first_name);

}  // namespace bastion
