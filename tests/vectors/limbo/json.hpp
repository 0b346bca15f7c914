// A small, bounded JSON reader (RFC 8259) for the x509-limbo test suite: a document tree of
// null, booleans, numbers, strings, arrays and objects. Depth and size are bounded; errors
// are reported as values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bastion::limbo {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() = default;
  explicit Json(bool b) : v_(b) {}
  explicit Json(double d) : v_(d) {}
  explicit Json(std::string s) : v_(std::move(s)) {}
  explicit Json(Array a) : v_(std::move(a)) {}
  explicit Json(Object o) : v_(std::move(o)) {}

  bool is_null() const { return v_.index() == 0; }
  const bool* boolean() const { return std::get_if<bool>(&v_); }
  const double* number() const { return std::get_if<double>(&v_); }
  const std::string* string() const { return std::get_if<std::string>(&v_); }
  const Array* array() const { return std::get_if<Array>(&v_); }
  const Object* object() const { return std::get_if<Object>(&v_); }
  // The member `key` of an object, or null when absent or not an object.
  const Json& operator[](std::string_view key) const;

 private:
  std::variant<std::monostate, bool, double, std::string, Array, Object> v_;
};

// Parses a whole document; on failure returns nullopt and sets `error`.
std::optional<Json> parse_json(std::string_view text, std::string& error);

}  // namespace bastion::limbo
