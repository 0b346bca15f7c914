// The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §7.4.9, §8.1; RFC 7627 §4): the PRF, the
// master secret (extended or not), the key block as record protection per direction, and the
// Finished verify_data.
#pragma once

#include <span>
#include <string_view>

#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/key_schedule.hpp"
#include "record/protection.hpp"

namespace bastion::handshake {

// RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed), with the seed given
// in parts, into out (any length).
void prf(const crypto::Provider& provider, crypto::HashAlg hash, crypto::Bytes secret,
         std::string_view label, std::span<const crypto::Bytes> seed, crypto::MutableBytes out);

inline constexpr size_t kMasterSecretLength = 48;
inline constexpr size_t kVerifyDataLength12 = 12;

// RFC 5246 §8.1: PRF(pre_master_secret, "master secret", ClientHello.random +
// ServerHello.random)[0..47].
Secret master_secret(const crypto::Provider& provider, crypto::HashAlg hash,
                     crypto::Bytes pre_master, crypto::Bytes client_random,
                     crypto::Bytes server_random);
// RFC 7627 §4: PRF(pre_master_secret, "extended master secret", session_hash)[0..47], with
// session_hash the transcript hash up to and including the ClientKeyExchange.
Secret extended_master_secret(const crypto::Provider& provider, crypto::HashAlg hash,
                              crypto::Bytes pre_master, crypto::Bytes session_hash);

// RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random +
// client_random), cut into the write keys and IVs of each side (AEAD suites have no MAC keys).
struct KeyBlock {
  record::Protection client_write;
  record::Protection server_write;
};
KeyBlock key_block(const crypto::Provider& provider, const CipherSuiteInfo& suite,
                   const Secret& master, crypto::Bytes client_random, crypto::Bytes server_random);

// RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label,
// Hash(handshake_messages))[0..11], "client finished" or "server finished".
enum class FinishedBy : uint8_t { client, server };
Secret verify_data12(const crypto::Provider& provider, crypto::HashAlg hash, const Secret& master,
                     FinishedBy sender, crypto::Bytes transcript_hash);

// RFC 5246 §7.4.9: recipients MUST verify the peer's Finished; decrypt_error (bad_finished)
// when it does not match, compared in constant time. `from_client`: the sender of the Finished.
[[nodiscard]] Result<FinishedVerified> verify_finished12(const crypto::Provider& provider,
                                                         crypto::HashAlg hash, const Secret& master,
                                                         bool from_client,
                                                         crypto::Bytes transcript_hash,
                                                         crypto::Bytes received);

// RFC 5705 §4: PRF(master_secret, label, client_random + server_random [+ context_length +
// context]). Fails (illegal_parameter) for the labels RFC 5705 reserves.
[[nodiscard]] Result<void> export_keying_material12(
    const crypto::Provider& provider, crypto::HashAlg hash, const Secret& master,
    std::string_view label, crypto::Bytes client_random, crypto::Bytes server_random,
    const crypto::Bytes* context, crypto::MutableBytes out);

}  // namespace bastion::handshake
