// The CLI's one table of commands and options (tools/bastion/help.cpp): every option the
// parser accepts is in the help text, and the text fits a terminal.
#include "help.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace bastion::cli {
namespace {

// "--name" as a whole word: followed by a space, a newline or the end, not by more of a name.
bool mentions_option(const std::string& text, std::string_view name) {
  const std::regex word("(^|[^-a-z])--" + std::string(name) + "([ \n]|$)");
  return std::regex_search(text, word);
}

// The section of full_help() for one command: from "bastion NAME ..." to the next command.
std::string section_of(const std::string& help, const CommandSpec& command) {
  const std::string start = "\nbastion " + std::string(command.name) + " ";
  const size_t from = help.find(start);
  if (from == std::string::npos) return {};
  const size_t to = help.find("\nbastion ", from + 1);
  return help.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

std::vector<char*> argv_for(std::vector<std::string>& storage) {
  std::vector<char*> out;
  for (auto& arg : storage) out.push_back(arg.data());
  return out;
}

TEST(Help, EveryOptionTheParserAcceptsIsDocumented) {
  const std::string full = full_help();
  const std::string cert = cert_help();
  for (const CommandSpec* command : all_commands()) {
    const std::string own = command_help(*command);
    const std::string section = section_of(full, *command);
    ASSERT_FALSE(section.empty()) << command->name;
    for (const OptionSpec& option : command->options) {
      // The parser takes it (with a value when it needs one)...
      std::vector<std::string> storage = {"--" + std::string(option.name)};
      if (option.takes_value()) storage.emplace_back("x");
      auto argv = argv_for(storage);
      auto parsed = parse_args(argv, command->options);
      ASSERT_TRUE(parsed.value) << command->name << " --" << option.name << ": " << parsed.error;
      EXPECT_TRUE(parsed.value->has(option.name));
      // ... and every help text of the command names it, with its help.
      EXPECT_TRUE(mentions_option(own, option.name)) << command->name << " --" << option.name;
      EXPECT_TRUE(mentions_option(section, option.name)) << command->name << " --" << option.name;
      EXPECT_FALSE(option.help.empty()) << command->name << " --" << option.name;
      if (command->name.starts_with("cert ")) {
        EXPECT_TRUE(mentions_option(cert, option.name)) << command->name << " --" << option.name;
      }
    }
  }
}

TEST(Help, OptionsMissingBeforeAreThere) {
  EXPECT_TRUE(mentions_option(section_of(full_help(), kClientCommand), "reconnect"));
  EXPECT_TRUE(mentions_option(section_of(full_help(), kServerCommand), "no-tickets"));
  for (std::string_view name : {"showcerts", "json", "keylog", "capath", "timeout", "export"}) {
    EXPECT_TRUE(mentions_option(command_help(kClientCommand), name)) << name;
  }
}

TEST(Help, OptionNamesAreUniquePerCommandAndEachHasHelp) {
  for (const CommandSpec* command : all_commands()) {
    std::set<std::string_view> names;
    for (const OptionSpec& option : command->options) {
      EXPECT_TRUE(names.insert(option.name).second) << command->name << " --" << option.name;
      EXPECT_FALSE(option.name.starts_with("-")) << option.name;
    }
    EXPECT_TRUE(names.count("help")) << command->name;
  }
}

TEST(Help, UnknownOptionsAreRefused) {
  std::vector<std::string> storage = {"--no-such-option"};
  auto argv = argv_for(storage);
  for (const CommandSpec* command : all_commands()) {
    EXPECT_EQ(parse_args(argv, command->options).error, "unknown option --no-such-option");
  }
}

TEST(Help, LinesFitIn88Columns) {
  std::vector<std::string> texts = {full_help(), cert_help()};
  for (const CommandSpec* command : all_commands()) texts.push_back(command_help(*command));
  for (const auto& text : texts) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) EXPECT_LE(line.size(), 88u) << line;
  }
}

}  // namespace
}  // namespace bastion::cli
