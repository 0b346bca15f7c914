// Every command of the bastion CLI with its options: the one table the parser reads and the
// --help text is made from, so that no option goes undocumented.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "args.hpp"

namespace bastion::cli {

struct CommandSpec {
  std::string_view name;      // "client", "cert issue"
  std::string_view synopsis;  // the arguments after the name: "HOST[:PORT] [options]"
  std::string_view summary;   // what it does, lines indented by two
  std::span<const OptionSpec> options;
  std::string_view notes;  // after the options in the command's own --help; may be empty
};

extern const CommandSpec kClientCommand;
extern const CommandSpec kServerCommand;
extern const CommandSpec kVerifyCommand;
extern const CommandSpec kCertCaCommand;
extern const CommandSpec kCertIssueCommand;
extern const CommandSpec kCertInstallCommand;
extern const CommandSpec kCertUninstallCommand;

// Every command that takes options, in the order `bastion --help` shows them.
std::span<const CommandSpec* const> all_commands();

// `bastion <command> --help`: usage line, summary, options, notes.
std::string command_help(const CommandSpec& command);
// `bastion cert --help`: the cert sub-commands.
std::string cert_help();
// `bastion --help`: every command and every option.
std::string full_help();

}  // namespace bastion::cli
