// --cert, --key and the passphrase of an encrypted key (--key-password-file, or the
// BASTION_KEY_PASSWORD environment variable), shared by bastion client and bastion server.
#include <cstdlib>
#include <string_view>

#include "commands.hpp"
#include "core/secret_file.hpp"

namespace bastion::cli {
namespace {

// A passphrase file holds one line; longer files are not passphrases.
constexpr size_t kMaxPassphraseFile = 4096;

}  // namespace

Result<std::shared_ptr<const CertifiedKey>> load_certified_key(const ParsedArgs& args,
                                                               const std::string& cert,
                                                               const std::string& key) {
  auto provider = default_provider();
  if (auto file = args.value("key-password-file")) {
    auto text = read_secret_file(*file, kMaxPassphraseFile);
    if (!text) return Error{ErrorCode::invalid_key, "--key-password-file: " + text.error().detail};
    std::string_view passphrase(reinterpret_cast<const char*>(text->span().data()), text->size());
    // The first line, without its end (\n or \r\n).
    passphrase = passphrase.substr(0, passphrase.find('\n'));
    if (passphrase.ends_with('\r')) passphrase.remove_suffix(1);
    if (passphrase.empty()) {
      return Error{ErrorCode::invalid_key, "--key-password-file: " + *file + " is empty"};
    }
    return CertifiedKey::from_pem_files(cert, key, provider, passphrase);
  }
  const char* env = std::getenv("BASTION_KEY_PASSWORD");
  return CertifiedKey::from_pem_files(cert, key, provider, env != nullptr ? env : "");
}

}  // namespace bastion::cli
