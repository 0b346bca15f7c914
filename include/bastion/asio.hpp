// Bastion for standalone Asio: bastion::asio::stream<NextLayer>, a TLS stream over an Asio
// stream (usually asio::ip::tcp::socket) in the manner of asio::ssl::stream, with
// async_handshake, async_read_some, async_write_some and async_shutdown taking any completion
// token (co_await with asio::use_awaitable included), and their blocking forms.
//
// Header-only, and no part of the library: it needs Asio's headers (Debian: libasio-dev), and a
// program that includes it links Bastion::bastion as any other. For Boost.Asio include
// bastion/boost_asio.hpp instead (bastion::boost_asio::stream).
#pragma once

#include <asio/async_result.hpp>
#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/error.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <optional>
#include <system_error>

#include "bastion/connection.hpp"
#include "bastion/error.hpp"

namespace bastion::asio {

namespace net = ::asio;
using error_code = std::error_code;
using system_error = std::system_error;

// A Bastion error as this flavour's error code: the category is bastion::error_category(), so
// `ec == bastion::ErrorCode::truncated` works too.
inline error_code make_error_code(ErrorCode code) {
  return bastion::make_error_code(code);
}

// The Bastion error an error code carries, nullopt for codes of other categories.
inline std::optional<ErrorCode> bastion_error(const error_code& ec) {
  if (!ec || ec.category() != bastion::error_category()) return std::nullopt;
  return static_cast<ErrorCode>(ec.value());
}

}  // namespace bastion::asio

#define BASTION_ASIO_FLAVOR_NAMESPACE bastion::asio
#include "bastion/detail/asio_stream.hpp"  // IWYU pragma: export
#undef BASTION_ASIO_FLAVOR_NAMESPACE
