// The server state machine against a fuzzed client. Input: an options byte (fuzz_peers.hpp),
// then every byte the client sends. The server's flight is deterministic, so a recorded client
// Finished stays valid and the fuzzer reaches the post-handshake states.
#include "fuzz_peers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bastion;
  if (size < 1) return 0;
  const uint8_t options = data[0];
  auto server = fuzz::fuzzed_server(options, fuzz::deterministic(fuzz::kServerSeed));
  if (!server) __builtin_trap();
  fuzz::feed(*server, std::span(data + 1, size - 1), (options & fuzz::kTrickle) != 0);
  fuzz::exercise(*server);
  return 0;
}
