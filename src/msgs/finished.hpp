// Finished (RFC 8446 §4.4.4): verify_data whose length is the hash length of the suite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct Finished {
  static constexpr HandshakeType kType = HandshakeType::finished;

  std::vector<uint8_t> verify_data;

  // A body of any other length than `verify_data_length` is a decode_error.
  [[nodiscard]] static Result<Finished> decode(Bytes body, size_t verify_data_length);
  Result<std::vector<uint8_t>> encode() const { return verify_data; }
};

}  // namespace bastion::msgs
