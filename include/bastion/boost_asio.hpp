// Bastion for Boost.Asio: bastion::boost_asio::stream<NextLayer>, the same stream as
// bastion/asio.hpp's (see there and docs/API.md) over boost::asio, with boost::system::error_code.
//
// Header-only, and no part of the library: it needs Boost's headers (Debian: libboost-dev), and
// a program that includes it links Bastion::bastion as any other.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <optional>
#include <string>
#include <system_error>

#include "bastion/connection.hpp"
#include "bastion/error.hpp"

namespace bastion::boost_asio {

namespace net = ::boost::asio;
using error_code = ::boost::system::error_code;
using system_error = ::boost::system::system_error;

namespace detail {

// Bastion's error category for Boost.System (whose error_code cannot carry a std::error_code
// before Boost 1.78): the same name, messages and conditions as bastion::error_category().
// Boost 1.74's base has a public non-virtual destructor, as its own categories do.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class BoostCategory final : public ::boost::system::error_category {
 public:
  const char* name() const noexcept override { return "bastion"; }
  std::string message(int value) const override { return bastion::error_category().message(value); }
  ::boost::system::error_condition default_error_condition(int value) const noexcept override {
    std::error_condition condition = bastion::error_category().default_error_condition(value);
    if (condition.category() == std::generic_category()) {
      return {condition.value(), ::boost::system::generic_category()};
    }
    return {value, *this};
  }
};
#pragma GCC diagnostic pop

}  // namespace detail

inline const ::boost::system::error_category& error_category() {
  static const detail::BoostCategory category;
  return category;
}

// A Bastion error as this flavour's error code (category error_category() above): compare
// with `ec == bastion::boost_asio::make_error_code(bastion::ErrorCode::truncated)`.
inline error_code make_error_code(ErrorCode code) {
  return {static_cast<int>(code), error_category()};
}

// The Bastion error an error code carries, nullopt for codes of other categories.
inline std::optional<ErrorCode> bastion_error(const error_code& ec) {
  if (!ec || ec.category() != error_category()) return std::nullopt;
  return static_cast<ErrorCode>(ec.value());
}

}  // namespace bastion::boost_asio

#define BASTION_ASIO_FLAVOR_NAMESPACE bastion::boost_asio
#include "bastion/detail/asio_stream.hpp"  // IWYU pragma: export
#undef BASTION_ASIO_FLAVOR_NAMESPACE
