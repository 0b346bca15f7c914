// The CLI's argument parsing (tools/bastion/args.hpp) and its JSON strings (json.hpp), which
// carry names from the peer's certificate. Input: NUL-separated arguments.
#include <string>
#include <vector>

#include "args.hpp"
#include "json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bastion::cli;
  static constexpr OptionSpec kSpecs[] = {
      {"servername", "NAME", ""}, {"cafile", "PEM", ""},   {"alpn", "LIST", ""},
      {"groups", "LIST", ""},     {"ciphers", "LIST", ""}, {"pipe", {}, ""},
      {"listen", "ADDR", ""},     {"echo", {}, ""},
  };
  std::vector<std::string> words(1);
  for (size_t i = 0; i < size && words.size() < 64; ++i) {
    if (data[i] == 0) {
      words.emplace_back();
    } else {
      words.back().push_back(static_cast<char>(data[i]));
    }
  }
  for (const std::string& word : words) {
    (void)parse_endpoint(word, 443);
    (void)parse_name_list(word);
    (void)parse_cipher_list(word);
    (void)parse_group_list(word);
    (void)parse_seconds(word);
    (void)parse_time(word);
    if (json_quote(word).size() < word.size() + 2) __builtin_trap();
  }
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  auto parsed = parse_args(argv, kSpecs);
  if (parsed.value) {
    (void)parse_tls_choices(*parsed.value);
    if (!parsed.value->positional.empty()) {
      auto endpoint = parse_endpoint(parsed.value->positional.front(), 443);
      if (endpoint.value) (void)format_endpoint(*endpoint.value);
    }
  }
  return 0;
}
