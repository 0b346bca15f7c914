// Reads the example handshakes of RFC 8448 out of its text, so that tests compare against the
// published bytes rather than a copy of them.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace bastion::test {

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : hex) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const int v = std::isdigit(static_cast<unsigned char>(c))
                      ? c - '0'
                      : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

class Rfc8448 {
 public:
  static constexpr std::string_view kSimple = "3.  Simple 1-RTT Handshake";
  static constexpr std::string_view kResumed = "4.  Resumed 0-RTT Handshake";
  static constexpr std::string_view kHelloRetry = "5.  HelloRetryRequest";

  static const Rfc8448& instance() {
    static const Rfc8448 rfc(BASTION_SHARED_DIR "/rfc/rfc8448.txt");
    return rfc;
  }

  bool loaded() const { return !lines_.empty(); }

  // The bytes of `field` ("expanded", "complete record", "ClientHello") under the
  // `occurrence`-th step of `section` whose heading contains `step`
  // (`{server}  derive secret "tls13 c hs traffic"`) and that has this field (steps marked
  // "same as ..." have none).
  std::vector<uint8_t> get(std::string_view section, std::string_view step, std::string_view field,
                           int occurrence = 0) const {
    size_t i = find_section(section);
    for (; i < lines_.size() && !is_section_heading(lines_[i]); ++i) {
      if (!is_step(lines_[i]) || lines_[i].find(step) == std::string::npos) continue;
      const size_t at = find_field(i + 1, field);
      if (at != lines_.size() && occurrence-- == 0) return read_field(at, field);
    }
    ADD_FAILURE() << "RFC 8448: no step '" << step << "' with '" << field << "' in '" << section
                  << "'";
    return {};
  }

 private:
  explicit Rfc8448(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) lines_.push_back(line);
  }

  static bool is_step(const std::string& line) { return line.rfind("   {", 0) == 0; }
  static bool is_section_heading(const std::string& line) {
    return !line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) &&
           line.find(".  ") != std::string::npos;
  }
  static std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b);
  }
  static bool is_hex_line(const std::string& line) {
    std::istringstream words(line);
    std::string w;
    bool any = false;
    while (words >> w) {
      if (w.size() != 2 || !std::isxdigit(static_cast<unsigned char>(w[0])) ||
          !std::isxdigit(static_cast<unsigned char>(w[1]))) {
        return false;
      }
      any = true;
    }
    return any;
  }

  size_t find_section(std::string_view section) const {
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i] == section) return i + 1;
    }
    ADD_FAILURE() << "RFC 8448: no section '" << section << "'";
    return lines_.size();
  }

  // The line of `field` in the step whose fields start at line i, or lines_.size().
  size_t find_field(size_t i, std::string_view field) const {
    const std::string prefix = std::string(field) + " (";
    for (; i < lines_.size() && !is_step(lines_[i]) && !is_section_heading(lines_[i]); ++i) {
      if (trim(lines_[i]).rfind(prefix, 0) == 0) return i;
    }
    return lines_.size();
  }

  std::vector<uint8_t> read_field(size_t i, std::string_view field) const {
    const std::string t = trim(lines_[i]);
    const size_t count = std::stoul(t.substr(field.size() + 2));
    std::vector<uint8_t> out;
    if (count == 0) return out;
    out = from_hex(t.substr(t.find("):") + 2));
    for (++i; out.size() < count && i < lines_.size(); ++i) {
      if (!is_hex_line(lines_[i])) continue;
      const std::vector<uint8_t> more = from_hex(lines_[i]);
      out.insert(out.end(), more.begin(), more.end());
    }
    EXPECT_EQ(out.size(), count) << "RFC 8448: field '" << field << "'";
    return out;
  }

  std::vector<std::string> lines_;
};

}  // namespace bastion::test
