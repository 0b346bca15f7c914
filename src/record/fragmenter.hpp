// Writing plaintext records (RFC 8446 §5.1): the initial ClientHello/ServerHello flight,
// change_cipher_spec, and alerts before keys exist.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/wire.hpp"
#include "crypto/provider.hpp"

namespace bastion::record {

// Writes one record of `type` holding `fragment` (at most 2^14 bytes) into `out`, which has
// exactly limits::kRecordHeader + fragment.size() bytes.
void write_plaintext_record(ContentType type, crypto::Bytes fragment, std::span<uint8_t> out,
                            uint16_t legacy_version = 0x0303);

// Appends `data` to `out` as records of `type` with at most `max_fragment` (<= 2^14) bytes
// each; an empty `data` writes nothing (RFC 8446 §5.1 forbids empty handshake fragments).
// `legacy_version` is 0x0303, or 0x0301 for an initial ClientHello (RFC 8446 §5.1).
void append_plaintext_records(ContentType type, crypto::Bytes data, std::vector<uint8_t>& out,
                              uint16_t legacy_version = 0x0303,
                              size_t max_fragment = limits::kMaxPlaintext);

}  // namespace bastion::record
