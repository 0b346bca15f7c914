// The server's side of a HelloRetryRequest (RFC 8446 §4.1.4): the message itself, the digest of
// what the second ClientHello must repeat from the first, and the transcript rebuilt from a
// cookie.
#pragma once

#include <array>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "crypto/provider.hpp"
#include "handshake/transcript.hpp"
#include "msgs/client_hello.hpp"

namespace bastion::handshake {

// RFC 8446 §4.1.2: the second ClientHello repeats the first but for key_share, early_data,
// cookie, pre_shared_key and padding. A digest (SHA-256) of everything else, with the
// extensions compared by type whatever their order.
std::array<uint8_t, 32> client_hello_invariants(const crypto::Provider& provider,
                                                const msgs::ClientHello& hello);

// The HelloRetryRequest, framed, with a cookie when `cookie` is not empty.
Result<std::vector<uint8_t>> encode_hello_retry_request(const std::vector<uint8_t>& session_id,
                                                        CipherSuite suite, NamedGroup group,
                                                        const std::vector<uint8_t>& cookie);

// The transcript after a HelloRetryRequest (RFC 8446 §4.4.1): message_hash of ClientHello1,
// then the HelloRetryRequest message.
Result<Transcript> retry_transcript(const crypto::Provider& provider, crypto::HashAlg hash,
                                    crypto::Bytes client_hello1_hash,
                                    crypto::Bytes hello_retry_request);

}  // namespace bastion::handshake
