// The client state machine against a fuzzed server. Input: an options byte (fuzz_peers.hpp),
// then every byte the server sends after our ClientHello (which is deterministic).
#include "fuzz_peers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bastion;
  if (size < 1) return 0;
  const uint8_t options = data[0];
  auto client = fuzz::fuzzed_client(options, fuzz::deterministic(fuzz::kClientSeed));
  if (!client) __builtin_trap();
  client->consume_output(client->pending_output().size());
  fuzz::feed(*client, std::span(data + 1, size - 1), (options & fuzz::kTrickle) != 0);
  fuzz::exercise(*client);
  return 0;
}
