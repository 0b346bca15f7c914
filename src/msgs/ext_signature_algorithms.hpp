// signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct SignatureAlgorithms {
  static constexpr ExtensionType kType = ExtensionType::signature_algorithms;

  std::vector<SignatureScheme> schemes;  // supported_signature_algorithms<2..2^16-2>

  [[nodiscard]] static Result<SignatureAlgorithms> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

struct SignatureAlgorithmsCert {
  static constexpr ExtensionType kType = ExtensionType::signature_algorithms_cert;

  std::vector<SignatureScheme> schemes;  // supported_signature_algorithms<2..2^16-2>

  [[nodiscard]] static Result<SignatureAlgorithmsCert> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
