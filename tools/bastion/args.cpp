#include "args.hpp"

#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace bastion::cli {
namespace {

const OptionSpec* find_spec(std::span<const OptionSpec> specs, std::string_view name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::optional<uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

template <class T, class ParseOne>
Parsed<std::vector<T>> parse_typed_list(std::string_view text, std::string_view kind,
                                        ParseOne parse_one) {
  auto names = parse_name_list(text);
  if (!names.value) return {std::nullopt, names.error};
  std::vector<T> out;
  for (const auto& name : *names.value) {
    auto parsed = parse_one(name);
    if (!parsed) return {std::nullopt, "unknown " + std::string(kind) + " '" + name + "'"};
    out.push_back(*parsed);
  }
  return {std::move(out), {}};
}

// --help: options indented by four, help from column 28 (or on the next line after a long
// name), wrapped at column 88.
constexpr size_t kOptionIndent = 4;
constexpr size_t kHelpColumn = 28;
constexpr size_t kLineWidth = 88;

// `text` in lines of at most `width` (longer words stand alone), breaking at spaces.
std::vector<std::string> wrap_words(std::string_view text, size_t width) {
  std::vector<std::string> lines(1);
  size_t at = 0;
  while (at < text.size()) {
    const size_t space = text.find(' ', at);
    const std::string_view word =
        text.substr(at, space == std::string_view::npos ? space : space - at);
    at = space == std::string_view::npos ? text.size() : space + 1;
    if (word.empty()) continue;
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width)
      lines.emplace_back();
    if (!lines.back().empty()) lines.back() += ' ';
    lines.back() += word;
  }
  return lines;
}

// A number of exactly `digits` digits at text[at...], within [min, max].
std::optional<int> fixed_digits(std::string_view text, size_t at, size_t digits, int min, int max) {
  if (at + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

bool is_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// "YYYY-MM-DD" at the start of text, checked against the calendar.
std::optional<std::chrono::sys_days> parse_date(std::string_view text) {
  const auto year = fixed_digits(text, 0, 4, 1900, 2261);
  const auto month = fixed_digits(text, 5, 2, 1, 12);
  const auto day = fixed_digits(text, 8, 2, 1, 31);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

// RFC 3339 §5.6 partial-time and time-offset after the date: "HH:MM:SS[.frac](Z|+HH:MM|-HH:MM)",
// as seconds since midnight UTC of the date (negative or past a day across an offset).
std::optional<std::chrono::seconds> parse_time_of_day(std::string_view text) {
  const auto hour = fixed_digits(text, 0, 2, 0, 23);
  const auto minute = fixed_digits(text, 3, 2, 0, 59);
  // RFC 3339 allows a leap second (60); it is taken as the second before.
  const auto second = fixed_digits(text, 6, 2, 0, 60);
  if (!hour || !minute || !second || text[2] != ':' || text[5] != ':') return std::nullopt;
  std::string_view rest = text.substr(8);
  if (rest.starts_with(".")) {
    const size_t digits_end = rest.find_first_not_of("0123456789", 1);
    if (digits_end == 1) return std::nullopt;
    rest = rest.substr(digits_end == std::string_view::npos ? rest.size() : digits_end);
  }
  std::chrono::seconds local{*hour * 3600 + *minute * 60 + std::min(*second, 59)};
  if (rest == "Z" || rest == "z") return local;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') {
    return std::nullopt;
  }
  const auto offset_hours = fixed_digits(rest, 1, 2, 0, 23);
  const auto offset_minutes = fixed_digits(rest, 4, 2, 0, 59);
  if (!offset_hours || !offset_minutes) return std::nullopt;
  const std::chrono::seconds offset{*offset_hours * 3600 + *offset_minutes * 60};
  // Local time = UTC + offset.
  return rest[0] == '+' ? local - offset : local + offset;
}

}  // namespace

std::string format_options(std::span<const OptionSpec> specs) {
  std::string out;
  const std::string help_indent(kHelpColumn, ' ');
  for (const auto& spec : specs) {
    std::string label = std::string(kOptionIndent, ' ') + "--" + std::string(spec.name);
    if (spec.takes_value()) label += " " + std::string(spec.value_name);
    out += label;
    out += label.size() + 2 > kHelpColumn ? "\n" + help_indent
                                          : std::string(kHelpColumn - label.size(), ' ');
    bool first = true;
    for (const auto& line : wrap_words(spec.help, kLineWidth - kHelpColumn)) {
      if (!first) out += help_indent;
      out += line + "\n";
      first = false;
    }
  }
  return out;
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

Parsed<ParsedArgs> parse_args(std::span<char* const> args, std::span<const OptionSpec> specs) {
  ParsedArgs out;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (options_done || !arg.starts_with("--")) {
      out.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = find_spec(specs, name);
    if (spec == nullptr) return {std::nullopt, "unknown option --" + std::string(name)};
    if (!spec->takes_value()) {
      if (inline_value) return {std::nullopt, "--" + std::string(name) + " takes no value"};
      out.values[std::string(name)] = "";
      continue;
    }
    if (inline_value) {
      out.values[std::string(name)] = std::string(*inline_value);
    } else if (i + 1 < args.size()) {
      out.values[std::string(name)] = args[++i];
    } else {
      return {std::nullopt, "--" + std::string(name) + " needs a value"};
    }
  }
  return {std::move(out), {}};
}

Parsed<Endpoint> parse_endpoint(std::string_view text, uint16_t default_port) {
  std::string_view host = text;
  std::optional<std::string_view> port_text;
  if (text.starts_with("[")) {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return {std::nullopt, "missing ']' in " + std::string(text)};
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(":")) return {std::nullopt, "bad address " + std::string(text)};
      port_text = rest.substr(1);
    }
  } else if (auto colon = text.find(':'); colon != std::string_view::npos &&
                                          text.find(':', colon + 1) == std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (host.empty()) return {std::nullopt, "missing host in '" + std::string(text) + "'"};
  uint16_t port = default_port;
  if (port_text) {
    auto parsed = parse_port(*port_text);
    if (!parsed) return {std::nullopt, "bad port '" + std::string(*port_text) + "'"};
    port = *parsed;
  }
  return {Endpoint{std::string(host), port}, {}};
}

std::string format_endpoint(const Endpoint& endpoint) {
  bool ipv6 = endpoint.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + endpoint.host + "]" : endpoint.host;
  return host + ":" + std::to_string(endpoint.port);
}

Parsed<std::chrono::milliseconds> parse_seconds(std::string_view text) {
  const std::string bad = "'" + std::string(text) + "' is not a number of seconds";
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty()) || fraction.size() > 3) {
    return {std::nullopt, bad};
  }
  unsigned seconds = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (ec != std::errc() || end != whole.data() + whole.size() || seconds > 86400) {
    return {std::nullopt, bad};
  }
  unsigned millis = 0;
  for (size_t i = 0; i < 3; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') return {std::nullopt, bad};
    millis = millis * 10 + static_cast<unsigned>(c - '0');
  }
  return {std::chrono::milliseconds(uint64_t{seconds} * 1000 + millis), {}};
}

Parsed<std::chrono::system_clock::time_point> parse_time(std::string_view text) {
  using std::chrono::seconds;
  using std::chrono::system_clock;
  const std::string bad = "'" + std::string(text) +
                          "' is not a time (RFC 3339 like 2026-01-01T00:00:00Z, a date, or "
                          "@UNIX-SECONDS)";
  if (text.starts_with("@")) {
    // Unix seconds up to the end of 2261, as for dates (system_clock ends in April 2262).
    constexpr int64_t kMaxUnixSeconds = 9214646399;
    const std::string_view digits = text.substr(1);
    int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (!is_digits(digits) || ec != std::errc() || end != digits.data() + digits.size() ||
        value > kMaxUnixSeconds) {
      return {std::nullopt, bad};
    }
    return {system_clock::time_point(seconds(value)), {}};
  }
  const auto date = parse_date(text);
  if (!date) return {std::nullopt, bad};
  if (text.size() == 10) return {system_clock::time_point(*date), {}};
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return {std::nullopt, bad};
  const auto time_of_day = parse_time_of_day(text.substr(11));
  if (!time_of_day) return {std::nullopt, bad};
  return {system_clock::time_point(*date) + *time_of_day, {}};
}

Parsed<size_t> parse_count(std::string_view text, size_t max) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > max) {
    return {std::nullopt,
            "'" + std::string(text) + "' is not a count from 1 to " + std::to_string(max)};
  }
  return {value, {}};
}

Parsed<std::vector<std::string>> parse_name_list(std::string_view text) {
  std::vector<std::string> out;
  for (;;) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    if (item.empty()) return {std::nullopt, "empty item in list"};
    out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return {std::move(out), {}};
}

Parsed<std::vector<CipherSuite>> parse_cipher_list(std::string_view text) {
  return parse_typed_list<CipherSuite>(text, "cipher suite", parse_cipher_suite);
}

Parsed<std::vector<NamedGroup>> parse_group_list(std::string_view text) {
  return parse_typed_list<NamedGroup>(text, "group", parse_named_group);
}

Parsed<ProtocolVersion> parse_version(std::string_view text) {
  if (text == "1.2") return {ProtocolVersion::tls12, {}};
  if (text == "1.3") return {ProtocolVersion::tls13, {}};
  return {std::nullopt, "unknown version '" + std::string(text) + "' (1.2 or 1.3)"};
}

Parsed<TlsChoices> parse_tls_choices(const ParsedArgs& args) {
  TlsChoices out;
  for (auto [name, field] :
       {std::pair{"min-version", &out.min_version}, std::pair{"max-version", &out.max_version}}) {
    if (auto text = args.value(name)) {
      auto version = parse_version(*text);
      if (!version.value) return {std::nullopt, "--" + std::string(name) + ": " + version.error};
      *field = *version.value;
    }
  }
  if (auto text = args.value("ciphers")) {
    auto suites = parse_cipher_list(*text);
    if (!suites.value) return {std::nullopt, suites.error};
    out.cipher_suites = std::move(*suites.value);
  }
  if (auto text = args.value("groups")) {
    auto groups = parse_group_list(*text);
    if (!groups.value) return {std::nullopt, groups.error};
    out.groups = std::move(*groups.value);
  }
  if (auto text = args.value("alpn")) {
    auto names = parse_name_list(*text);
    if (!names.value) return {std::nullopt, "--alpn: " + names.error};
    out.alpn = std::move(*names.value);
  }
  return {std::move(out), {}};
}

}  // namespace bastion::cli
