#include "trust_install.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>

#include "certificate_report.hpp"
#include "process.hpp"

namespace bastion::cli {
namespace {

namespace fs = std::filesystem;

// Debian and Ubuntu: certificates of the local administrator, merged into
// /etc/ssl/certs/ca-certificates.crt (which OpenSSL, curl, Bastion and most programs read) by
// update-ca-certificates. The file must end in .crt.
constexpr const char* kSystemCaDir = "/usr/local/share/ca-certificates";
constexpr const char* kUpdateProgram = "update-ca-certificates";
constexpr const char* kSystemInstallHint =
    "run sudo bastion cert install --store system (and bastion cert install --store nss as "
    "yourself, for your browsers)";

constexpr const char* kCertutilHint =
    "install it with apt-get install libnss3-tools (Debian, Ubuntu) or dnf install nss-tools "
    "(Fedora)";

// "CN=" value of a one-line subject ("O=Bastion development CA, CN=Bastion CA a@b 1a2b3c4d").
std::optional<std::string> common_name(std::string_view subject) {
  size_t at = 0;
  std::optional<std::string> found;
  while ((at = subject.find("CN=", at)) != std::string_view::npos) {
    if (at == 0 || (at >= 2 && subject.substr(at - 2, 2) == ", ")) {
      const size_t end = subject.find(", ", at);
      found =
          std::string(subject.substr(at + 3, end == std::string_view::npos ? end : end - at - 3));
    }
    at += 3;
  }
  return found;
}

StoreOutcome succeeded(std::string line) {
  return {true, std::move(line)};
}
StoreOutcome failed(std::string line) {
  return {false, std::move(line)};
}

// The last line of a program's output that says something, for reports.
std::string last_line(const std::string& output) {
  std::istringstream lines(output);
  std::string line;
  std::string last;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  return last;
}

// Runs a program; nullopt when it exited 0, else why it failed.
std::optional<std::string> run_quietly(const std::vector<std::string>& argv) {
  auto ran = run_program(argv);
  if (!ran) return ran.error().message();
  if (ran->exit_status == 0) return std::nullopt;
  return argv[0] + " failed (exit " + std::to_string(ran->exit_status) +
         "): " + last_line(ran->output);
}

std::optional<std::string> system_store_unusable() {
  if (::geteuid() != 0) return std::string("needs root: ") + kSystemInstallHint;
  if (!find_program(kUpdateProgram)) {
    return std::string(kUpdateProgram) +
           " not found: install it with apt-get install ca-certificates (only the Debian and "
           "Ubuntu system store is supported)";
  }
  return std::nullopt;
}

StoreOutcome install_system(const TrustedCa& ca) {
  if (auto why = system_store_unusable()) return failed("system store: " + *why);
  const fs::path file = fs::path(kSystemCaDir) / ca.names.file_name;
  std::error_code ec;
  fs::create_directories(kSystemCaDir, ec);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << pem_certificate(ca.certificate);
    if (!out.flush()) return failed("system store: cannot write " + file.string());
  }
  fs::permissions(file, fs::perms(0644), ec);
  if (auto error = run_quietly({kUpdateProgram})) {
    return failed("system store: " + file.string() + " written, but " + *error);
  }
  return succeeded("system store: installed as " + file.string() + " (" + kUpdateProgram + ")");
}

StoreOutcome uninstall_system(const TrustedCa& ca) {
  const fs::path file = fs::path(kSystemCaDir) / ca.names.file_name;
  std::error_code ec;
  if (!fs::exists(file, ec))
    return succeeded("system store: not installed (no " + file.string() + ")");
  if (auto why = system_store_unusable()) return failed("system store: " + *why);
  if (!fs::remove(file, ec)) return failed("system store: cannot remove " + file.string());
  // Without --fresh, the links to a removed certificate stay in /etc/ssl/certs, dangling.
  if (auto error = run_quietly({kUpdateProgram, "--fresh"})) {
    return failed("system store: " + file.string() + " removed, but " + *error);
  }
  return succeeded("system store: removed " + file.string() + " (" + kUpdateProgram + " --fresh)");
}

// An NSS database in the SQL format (cert9.db) that browsers read.
struct NssDatabase {
  fs::path dir;
  bool create_if_missing = false;  // the shared one of Chromium and NSS-based programs
};

// $HOME/.pki/nssdb, and the profiles of Firefox (its own databases), the snap's included.
std::vector<NssDatabase> nss_databases(const fs::path& home) {
  std::vector<NssDatabase> out = {{home / ".pki" / "nssdb", true}};
  for (const auto& profiles : {home / ".mozilla" / "firefox",
                               home / "snap" / "firefox" / "common" / ".mozilla" / "firefox"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(profiles, ec)) {
      if (fs::exists(entry.path() / "cert9.db", ec)) out.push_back({entry.path(), false});
    }
  }
  return out;
}

std::optional<std::string> nss_unusable(std::optional<fs::path>& home) {
  const char* home_env = std::getenv("HOME");
  if (home_env == nullptr || *home_env == '\0') return "HOME is not set";
  if (!find_program("certutil")) return std::string("certutil not found: ") + kCertutilHint;
  home = fs::path(home_env);
  return std::nullopt;
}

bool nss_has(const NssDatabase& db, const std::string& nickname) {
  auto listed = run_program({"certutil", "-L", "-d", "sql:" + db.dir.string(), "-n", nickname});
  return listed && listed->exit_status == 0;
}

StoreOutcome install_nss(const TrustedCa& ca, const NssDatabase& db) {
  const std::string where = "NSS database " + db.dir.string() + ": ";
  std::error_code ec;
  if (!fs::exists(db.dir / "cert9.db", ec)) {
    fs::create_directories(db.dir, ec);
    if (ec) return failed(where + "cannot create the directory: " + ec.message());
    if (auto error =
            run_quietly({"certutil", "-N", "-d", "sql:" + db.dir.string(), "--empty-password"})) {
      return failed(where + "cannot create it: " + *error);
    }
  }
  // "C,,": a CA trusted to issue TLS server certificates, and nothing else.
  if (auto error = run_quietly({"certutil", "-A", "-d", "sql:" + db.dir.string(), "-t", "C,,", "-n",
                                ca.names.nickname, "-i", ca.pem_file.string()})) {
    return failed(where + *error);
  }
  return succeeded(where + "trusted as \"" + ca.names.nickname + "\"");
}

StoreOutcome uninstall_nss(const TrustedCa& ca, const NssDatabase& db) {
  const std::string where = "NSS database " + db.dir.string() + ": ";
  std::error_code ec;
  if (!fs::exists(db.dir / "cert9.db", ec) || !nss_has(db, ca.names.nickname)) {
    return succeeded(where + "not installed");
  }
  if (auto error = run_quietly(
          {"certutil", "-D", "-d", "sql:" + db.dir.string(), "-n", ca.names.nickname})) {
    return failed(where + *error);
  }
  return succeeded(where + "removed \"" + ca.names.nickname + "\"");
}

template <class PerDatabase>
void for_each_nss_database(std::vector<StoreOutcome>& outcomes, PerDatabase per_database) {
  std::optional<fs::path> home;
  if (auto why = nss_unusable(home)) {
    outcomes.push_back(failed("NSS database: " + *why));
    return;
  }
  for (const auto& db : nss_databases(*home)) outcomes.push_back(per_database(db));
}

}  // namespace

CaStoreNames ca_store_names(const CertificateSummary& ca) {
  CaStoreNames names;
  names.nickname = common_name(ca.subject).value_or(ca.subject);
  if (names.nickname.empty()) names.nickname = ca.subject.empty() ? "Bastion local CA" : ca.subject;
  std::string stem;
  for (char c : names.nickname) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      stem += static_cast<char>(c - 'A' + 'a');
    } else if (keep) {
      stem += c;
    } else if (!stem.empty() && stem.back() != '-') {
      stem += '-';
    }
  }
  constexpr size_t kMaxStem = 64;
  stem.resize(std::min(stem.size(), kMaxStem));
  while (!stem.empty() && stem.back() == '-') stem.pop_back();
  if (!stem.starts_with("bastion")) stem = stem.empty() ? "bastion-ca" : "bastion-" + stem;
  names.file_name = stem + ".crt";
  return names;
}

Result<TrustedCa> read_trusted_ca(const fs::path& dir) {
  TrustedCa ca;
  ca.pem_file = dir / "ca.pem";
  std::ifstream in(ca.pem_file, std::ios::binary);
  if (!in) {
    return Error{ErrorCode::io_error, "cannot read " + ca.pem_file.string() +
                                          " (create a CA with: bastion cert ca --dir " +
                                          dir.string() + ")"};
  }
  const std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto certificates = parse_pem_certificates(pem);
  if (!certificates) {
    Error error = std::move(certificates).error();
    error.detail = ca.pem_file.string() + ": " + error.detail;
    return error;
  }
  if (certificates->size() != 1) {
    return Error{ErrorCode::bad_certificate, ca.pem_file.string() + " holds " +
                                                 std::to_string(certificates->size()) +
                                                 " certificates; a CA file holds the CA alone"};
  }
  ca.certificate = std::move(certificates->front());
  auto summary = describe_certificate(ca.certificate);
  if (!summary) return std::move(summary).error();
  ca.names = ca_store_names(*summary);
  return ca;
}

std::vector<StoreOutcome> install_ca(const TrustedCa& ca, const TrustStores& stores) {
  std::vector<StoreOutcome> outcomes;
  if (stores.system) outcomes.push_back(install_system(ca));
  if (stores.nss) {
    for_each_nss_database(outcomes, [&](const NssDatabase& db) { return install_nss(ca, db); });
  }
  return outcomes;
}

std::vector<StoreOutcome> uninstall_ca(const TrustedCa& ca, const TrustStores& stores) {
  std::vector<StoreOutcome> outcomes;
  if (stores.system) outcomes.push_back(uninstall_system(ca));
  if (stores.nss) {
    for_each_nss_database(outcomes, [&](const NssDatabase& db) { return uninstall_nss(ca, db); });
  }
  return outcomes;
}

}  // namespace bastion::cli
