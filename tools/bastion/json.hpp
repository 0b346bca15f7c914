// A small JSON (RFC 8259) writer for the CLI's --json output: one document, indented by two
// spaces, every string escaped and made valid UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bastion::cli {

// `text` as a JSON string literal, quotes included: '"', '\\' and control characters escaped,
// bytes that are not valid UTF-8 replaced by U+FFFD (certificate names come from the peer).
std::string json_quote(std::string_view text);

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The name of the next member of the enclosing object.
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& string_or_null(const std::optional<std::string>& text);
  JsonWriter& boolean(bool value);
  JsonWriter& number(int64_t value);
  JsonWriter& null();
  JsonWriter& strings(const std::vector<std::string>& items);  // an array of strings

  // The document with a final newline.
  std::string finish() const { return out_ + "\n"; }

 private:
  // Separators and indentation before a value or a key.
  void start_item();
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string out_;
  std::vector<bool> has_items_;  // per open object or array
  bool after_key_ = false;
};

}  // namespace bastion::cli
