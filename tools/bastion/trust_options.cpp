// --cafile and --capath, shared by bastion client and bastion verify.
#include <filesystem>

#include "commands.hpp"

namespace bastion::cli {

Result<std::shared_ptr<const TrustStore>> load_trust_store(const ParsedArgs& args) {
  if (auto dir = args.value("capath")) return TrustStore::from_directory(*dir);
  if (auto cafile = args.value("cafile")) {
    if (std::filesystem::is_directory(*cafile)) return TrustStore::from_directory(*cafile);
    return TrustStore::from_pem_file(*cafile);
  }
  return TrustStore::system();
}

std::optional<std::string> trust_option_conflict(const ParsedArgs& args) {
  if (args.has("cafile") && args.has("capath")) {
    return "--cafile and --capath exclude each other";
  }
  return std::nullopt;
}

}  // namespace bastion::cli
