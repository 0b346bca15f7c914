// INSECURE. A crypto provider whose randomness is a fixed function of a seed, for fuzzing and
// for replaying recorded handshakes: with the same seed, the same calls give the same bytes,
// so a fuzz input (the peer's bytes) replays exactly. Never use it for a real connection:
// every "random" value, ephemeral key share included, is predictable from the seed.
//
// It wraps a real provider (by default openssl_provider()) and changes only:
//  - random(): the stream SHA-256(seed || counter), counter a 64-bit big-endian block index;
//  - generate_key_share(): the private key comes from that stream and goes through
//    key_share_from_private() (X25519: 32 bytes; NIST curves: a scalar below 2^(8*(n-1))).
// Everything else is forwarded. Signatures are deterministic only where the algorithm is
// (Ed25519); ECDSA and RSA-PSS still draw nonces and salts from the wrapped provider, so
// fuzz targets that must replay sign with Ed25519 keys. generate_private_key() is forwarded
// and so is not deterministic either.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "crypto/provider.hpp"

namespace bastion::crypto {

// Null when the wrapped provider is null (openssl_provider() failed).
std::shared_ptr<const Provider> insecure_deterministic_provider(
    std::span<const uint8_t> seed, std::shared_ptr<const Provider> wrapped = nullptr);

}  // namespace bastion::crypto
