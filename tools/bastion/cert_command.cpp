// bastion cert ca | issue | install | uninstall: create a local CA, issue certificates from
// it, and trust it on this machine.
#include "cert_command.hpp"

#include <charconv>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "args.hpp"
#include "bastion/ca.hpp"
#include "bastion/x509.hpp"
#include "commands.hpp"
#include "help.hpp"
#include "trust_install.hpp"

namespace bastion::cli {
namespace {

int print_usage() {
  std::fputs(cert_help().c_str(), stdout);
  return 0;
}

int print_help(const CommandSpec& command) {
  std::fputs(command_help(command).c_str(), stdout);
  return 0;
}

Parsed<CertKeyType> key_type_option(const ParsedArgs& args) {
  const auto text = args.value("key-type");
  if (!text) return {CertKeyType::ecdsa_p256, {}};
  if (auto type = parse_cert_key_type(*text)) return {*type, {}};
  return {std::nullopt,
          "unknown --key-type '" + *text + "' (ecdsa, ecdsa-p384, rsa2048, rsa3072 or ed25519)"};
}

Parsed<int> days_option(const ParsedArgs& args) {
  const auto text = args.value("days");
  if (!text) return {kLeafValidityDays, {}};
  int days = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), days);
  if (ec != std::errc() || end != text->data() + text->size() || days < 1) {
    return {std::nullopt, "--days needs a positive number of days, not '" + *text + "'"};
  }
  return {days, {}};
}

// "subject" and "valid until" of a certificate we just wrote.
void print_certificate(const Der& der) {
  auto summary = describe_certificate(der);
  if (!summary) return;
  std::printf("  subject:     %s\n", summary->subject.c_str());
  std::printf("  valid until: %s\n", summary->not_after.c_str());
}

int create_ca(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kCertCaCommand.options);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) return print_help(kCertCaCommand);
  if (!args.positional.empty()) return usage_error("unexpected argument " + args.positional[0]);
  auto key_type = key_type_option(args);
  if (!key_type.value) return usage_error(key_type.error);

  auto ca = LocalCa::create(args.value("dir").value_or("."), *key_type.value, default_provider());
  if (!ca) return fail(ca.error().message());
  std::printf("created a local CA (%s key)\n", std::string(to_string(*key_type.value)).c_str());
  std::printf("  certificate: %s  (trust it: bastion client --cafile %s ...)\n",
              ca->certificate_file().c_str(), ca->certificate_file().c_str());
  std::printf("  private key: %s  (mode 0600: keep it secret)\n", ca->key_file().c_str());
  print_certificate(ca->certificate());
  return 0;
}

int issue_certificate(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kCertIssueCommand.options);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) return print_help(kCertIssueCommand);
  if (args.positional.empty()) return usage_error("cert issue needs at least one NAME");
  auto key_type = key_type_option(args);
  if (!key_type.value) return usage_error(key_type.error);
  auto days = days_option(args);
  if (!days.value) return usage_error(days.error);

  const auto provider = default_provider();
  auto ca = LocalCa::load(args.value("ca").value_or("."), provider);
  if (!ca) return fail(ca.error().message() + " (create one with: bastion cert ca)");
  auto issued =
      ca->issue(args.positional, args.value("dir").value_or("."), *key_type.value, *days.value);
  if (!issued) return fail(issued.error().message());

  std::printf("issued a certificate (%s key) for", std::string(to_string(*key_type.value)).c_str());
  for (const auto& name : args.positional) std::printf(" %s", name.c_str());
  std::printf("\n  certificate: %s\n", issued->certificate_file.c_str());
  std::printf("  private key: %s  (mode 0600)\n", issued->key_file.c_str());
  std::printf("  issuer:      %s\n", ca->certificate_file().c_str());
  print_certificate(issued->certificate);
  return 0;
}

Parsed<TrustStores> stores_option(const ParsedArgs& args) {
  const auto text = args.value("store");
  if (!text) return {TrustStores{}, {}};
  if (*text == "system") return {TrustStores{true, false}, {}};
  if (*text == "nss") return {TrustStores{false, true}, {}};
  return {std::nullopt, "unknown --store '" + *text + "' (system or nss)"};
}

// cert install and cert uninstall: every chosen store is tried; one line each.
int change_trust(std::span<char* const> raw_args, const CommandSpec& command, bool install) {
  auto parsed = parse_args(raw_args, command.options);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) return print_help(command);
  if (!args.positional.empty()) return usage_error("unexpected argument " + args.positional[0]);
  auto stores = stores_option(args);
  if (!stores.value) return usage_error(stores.error);

  auto ca = read_trusted_ca(args.value("dir").value_or("."));
  if (!ca) return fail(ca.error().message());
  std::printf("%s the local CA \"%s\" (%s)\n", install ? "trusting" : "removing",
              ca->names.nickname.c_str(), ca->pem_file.c_str());
  const auto outcomes = install ? install_ca(*ca, *stores.value) : uninstall_ca(*ca, *stores.value);
  int status = 0;
  for (const auto& outcome : outcomes) {
    if (outcome.ok) {
      std::printf("  %s\n", outcome.line.c_str());
    } else {
      std::fflush(stdout);
      status = fail(outcome.line);
    }
  }
  return status;
}

}  // namespace

int run_cert_command(std::span<char* const> args) {
  if (args.empty()) return usage_error("cert needs a sub-command: ca, issue, install or uninstall");
  const std::string_view sub_command = args[0];
  if (sub_command == "ca") return create_ca(args.subspan(1));
  if (sub_command == "issue") return issue_certificate(args.subspan(1));
  if (sub_command == "install") return change_trust(args.subspan(1), kCertInstallCommand, true);
  if (sub_command == "uninstall") {
    return change_trust(args.subspan(1), kCertUninstallCommand, false);
  }
  if (sub_command == "help" || sub_command == "--help" || sub_command == "-h") {
    return print_usage();
  }
  return usage_error("unknown cert sub-command '" + std::string(sub_command) + "'");
}

}  // namespace bastion::cli
