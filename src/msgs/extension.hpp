// Extensions (RFC 8446 §4.2): the generic list codec, the registry of which message may carry
// each known extension, and typed lookup. Unknown types (GREASE, RFC 8701) round-trip untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "core/writer.hpp"

namespace bastion::msgs {

struct Extension {
  ExtensionType type{};
  std::vector<uint8_t> data;  // extension_data<0..2^16-1>

  bool operator==(const Extension&) const = default;
};

// The messages that carry extension blocks. HelloRetryRequest is told apart from ServerHello
// because the RFC 8446 §4.2 table gives it its own column.
enum class MessageKind : uint8_t {
  client_hello,
  server_hello,  // TLS 1.3 ServerHello
  hello_retry_request,
  encrypted_extensions,
  certificate,  // CertificateEntry extensions
  certificate_request,
  new_session_ticket,
  server_hello_tls12,  // TLS 1.2 ServerHello (RFC 5246 §7.4.1.4 and the extension RFCs)
};

// --- list codec -------------------------------------------------------------------------------

// Reads `Extension extensions<min..max>` (2-byte length prefix) from `r`.
// RFC 8446 §4.2: no two extensions of the same type (duplicate_extension); at most
// limits::kMaxExtensions entries (decode_error).
[[nodiscard]] Result<std::vector<Extension>> read_extensions(Reader& r, size_t min = 0,
                                                             size_t max = 0xffff);
// Decodes a whole extensions block, length prefix included, with no trailing bytes.
[[nodiscard]] Result<std::vector<Extension>> decode_extensions(Bytes block);
// Writes the block with its 2-byte length prefix.
void write_extensions(Writer& w, const std::vector<Extension>& extensions);
[[nodiscard]] Result<std::vector<uint8_t>> encode_extensions(
    const std::vector<Extension>& extensions);

// --- lookup -----------------------------------------------------------------------------------

const Extension* find(const std::vector<Extension>& extensions, ExtensionType type);
inline bool contains(const std::vector<Extension>& extensions, ExtensionType type) {
  return find(extensions, type) != nullptr;
}

// Finds T::kType and decodes it with T::decode: nullopt if absent, an Error if malformed.
template <class T>
[[nodiscard]] Result<std::optional<T>> find_as(const std::vector<Extension>& extensions) {
  const Extension* ext = find(extensions, T::kType);
  if (ext == nullptr) return std::optional<T>{};
  Result<T> decoded = T::decode(ext->data);
  if (!decoded) return std::move(decoded).error();
  return std::optional<T>{std::move(decoded).value()};
}

// Wraps a typed extension (anything with kType and encode()) as a generic one; internal_error
// when a field is too long for its length prefix.
template <class T>
Result<Extension> to_extension(const T& value) {
  auto data = value.encode();
  if (!data) return std::move(data).error();
  return Extension{T::kType, std::move(data).value()};
}

// Appends typed extensions to a block. The first encoding failure is kept for status() and
// later additions are skipped, so a builder adds its extensions and checks once.
class ExtensionAppender {
 public:
  explicit ExtensionAppender(std::vector<Extension>& block) : block_(block) {}
  template <class T>
  void add(const T& value) {
    if (error_) return;
    auto ext = to_extension(value);
    if (!ext) {
      error_ = std::move(ext).error();
      return;
    }
    block_.push_back(std::move(ext).value());
  }
  [[nodiscard]] Result<void> status() const {
    if (error_) return *error_;
    return {};
  }

 private:
  std::vector<Extension>& block_;
  std::optional<Error> error_;
};

// --- registry ---------------------------------------------------------------------------------

// Bit per MessageKind, in declaration order.
using MessageKindSet = uint16_t;
constexpr MessageKindSet bit(MessageKind k) {
  return static_cast<MessageKindSet>(1u << static_cast<unsigned>(k));
}

struct ExtensionInfo {
  ExtensionType type;
  std::string_view name;   // IANA name
  MessageKindSet allowed;  // where it may appear (RFC 8446 §4.2 table, plus TLS 1.2 ServerHello)
};

// Every extension type Bastion recognizes.
std::span<const ExtensionInfo> extension_registry();
// nullptr for types Bastion does not recognize.
const ExtensionInfo* extension_info(ExtensionType type);
inline bool is_known(ExtensionType type) {
  return extension_info(type) != nullptr;
}
// IANA name, or "extension(0x1a1a)" for unknown types.
std::string extension_name(ExtensionType type);

// Whether a recognized extension may appear in `kind`. Unknown types return true: the RFC asks
// receivers to ignore them (in replies, check_solicited catches them).
bool check_allowed(ExtensionType type, MessageKind kind);

// RFC 8446 §4.2: a recognized extension not specified for the message it appears in is an
// illegal_parameter. Checks a whole block.
[[nodiscard]] Result<void> check_extensions(const std::vector<Extension>& extensions,
                                            MessageKind kind);

// RFC 8446 §4.2: a reply (SH, HRR, EE, TLS 1.2 SH, the server's Certificate answering the
// ClientHello, the client's Certificate answering a CertificateRequest) may only carry extensions
// the peer offered, except cookie in HelloRetryRequest: anything else is unsupported_extension.
// Runs check_extensions first, so a recognized misplaced extension is still illegal_parameter.
[[nodiscard]] Result<void> check_solicited(const std::vector<Extension>& reply, MessageKind kind,
                                           std::span<const ExtensionType> offered);
// The same, with the offer given as the extension block that was sent (for a TLS 1.2 client that
// sent TLS_EMPTY_RENEGOTIATION_INFO_SCSV instead, add renegotiation_info to the offer: RFC 5746
// §3.4 lets the server answer it).
[[nodiscard]] Result<void> check_solicited(const std::vector<Extension>& reply, MessageKind kind,
                                           const std::vector<Extension>& offered);

// RFC 8701 §2: the reserved GREASE values 0x0a0a, 0x1a1a, ..., 0xfafa (extension types, cipher
// suites, groups, signature schemes, versions); receivers treat them as unknown.
constexpr bool is_grease(uint16_t value) {
  return (value & 0x0f0f) == 0x0a0a && (value >> 12) == ((value >> 4) & 0x0f);
}

}  // namespace bastion::msgs
