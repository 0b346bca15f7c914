// Every handshake message and extension decoder. Input: a selector byte, then the body.
// Whatever decodes must re-encode to something that decodes again to the same encoding.
#include <cstdlib>
#include <vector>

#include "msgs/msgs.hpp"

namespace {

using namespace bastion;
using namespace bastion::msgs;

// decode -> encode -> decode -> encode must be stable.
template <class T, class Decode>
void round_trip(Bytes body, Decode decode) {
  auto first = decode(body);
  if (!first) return;
  if constexpr (requires(const T& t) { t.encode(); }) {  // some extensions are decode-only
    std::vector<uint8_t> encoded = first->encode().value();
    auto second = decode(Bytes(encoded));
    if (!second) __builtin_trap();
    if (second->encode().value() != encoded) __builtin_trap();
  }
}

template <class T>
void plain(Bytes body) {
  round_trip<T>(body, [](Bytes b) { return T::decode(b); });
}

// A list of only unknown name types decodes to an empty host_name, which has no encoding of
// its own (HostName is opaque<1..2^16-1>); nothing re-encodes a received ServerName.
void server_name(Bytes body) {
  auto decoded = ServerName::decode(body);
  if (decoded && !decoded->host_name.empty()) plain<ServerName>(body);
}

using Decoder = void (*)(Bytes);

constexpr Decoder kDecoders[] = {
    &plain<ClientHello>,
    &plain<ServerHello>,
    &plain<EncryptedExtensions>,
    &plain<Certificate>,
    &plain<CertificateRequest>,
    &plain<CertificateVerify>,
    [](Bytes b) { round_trip<Finished>(b, [](Bytes x) { return Finished::decode(x, 32); }); },
    [](Bytes b) { round_trip<Finished>(b, [](Bytes x) { return Finished::decode(x, 48); }); },
    &plain<KeyUpdate>,
    &plain<NewSessionTicket>,
    &plain<EndOfEarlyData>,
    [](Bytes b) {
      auto m = decode_handshake(b);
      if (m && m->raw.size() != b.size()) __builtin_trap();
    },
    [](Bytes b) {
      auto exts = decode_extensions(b);
      if (!exts) return;
      if (encode_extensions(*exts).value() != std::vector<uint8_t>(b.begin(), b.end()))
        __builtin_trap();
      for (auto kind : {MessageKind::client_hello, MessageKind::server_hello,
                        MessageKind::hello_retry_request, MessageKind::encrypted_extensions,
                        MessageKind::certificate, MessageKind::certificate_request,
                        MessageKind::new_session_ticket, MessageKind::server_hello_tls12}) {
        (void)check_extensions(*exts, kind);
      }
    },
    &plain<Alpn>,
    &plain<CertificateAuthorities>,
    &plain<Cookie>,
    &plain<EarlyDataIndication>,
    &plain<EarlyDataTicket>,
    &plain<KeyShareClientHello>,
    &plain<KeyShareServerHello>,
    &plain<KeyShareHelloRetryRequest>,
    &plain<MaxFragmentLength>,
    &plain<Padding>,
    &plain<PostHandshakeAuth>,
    &plain<PskKeyExchangeModes>,
    &plain<PreSharedKeyClientHello>,
    &plain<PreSharedKeyServerHello>,
    &plain<RecordSizeLimit>,
    &server_name,
    &plain<ServerNameAck>,
    &plain<SignatureAlgorithms>,
    &plain<SignatureAlgorithmsCert>,
    &plain<StatusRequest>,
    &plain<StatusRequestAck>,
    &plain<CertificateStatus>,
    &plain<SupportedGroups>,
    &plain<SupportedVersionsClientHello>,
    &plain<SupportedVersionsServerHello>,
    &plain<RenegotiationInfo>,
    &plain<ExtendedMasterSecret>,
    &plain<EcPointFormats>,
    &plain<SessionTicket>,
};
constexpr size_t kDecoderCount = sizeof(kDecoders) / sizeof(kDecoders[0]);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  kDecoders[data[0] % kDecoderCount](Bytes(data + 1, size - 1));
  return 0;
}
