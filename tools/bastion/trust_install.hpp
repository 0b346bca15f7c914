// `bastion cert install` and `uninstall`: trusting the local CA in the system store and in
// the NSS databases browsers read, as mkcert -install does.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/x509.hpp"

namespace bastion::cli {

// How the CA is named in the stores, from its subject's CN ("Bastion CA alice@laptop
// 1a2b3c4d", which tells two CAs apart by their key identifier).
struct CaStoreNames {
  std::string nickname;   // the NSS nickname: the CN (or the whole subject without one)
  std::string file_name;  // in the system store: "bastion-ca-alice-laptop-1a2b3c4d.crt"
};
CaStoreNames ca_store_names(const CertificateSummary& ca);

// The CA certificate to trust.
struct TrustedCa {
  Der certificate;
  std::filesystem::path pem_file;  // DIR/ca.pem
  CaStoreNames names;
};

struct TrustStores {
  bool system = true;
  bool nss = true;
};

// What happened in one store, as one line for the user.
struct StoreOutcome {
  bool ok = false;
  std::string line;  // "system store: installed as ...", or why not
};

// Reads DIR/ca.pem (one certificate).
Result<TrustedCa> read_trusted_ca(const std::filesystem::path& dir);

// Adds the CA to (or removes it from) each chosen store; every store is tried.
std::vector<StoreOutcome> install_ca(const TrustedCa& ca, const TrustStores& stores);
std::vector<StoreOutcome> uninstall_ca(const TrustedCa& ca, const TrustStores& stores);

}  // namespace bastion::cli
