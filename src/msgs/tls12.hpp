// The handshake messages of TLS 1.2 alone (RFC 5246 §7.4, RFC 8422 §5.4 and §5.7): the 1.2
// Certificate and CertificateRequest, ServerKeyExchange for ECDHE, ServerHelloDone, and
// ClientKeyExchange for ECDHE and RSA.
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

// RFC 5246 §7.4.2: opaque ASN.1Cert<1..2^24-1>; ASN.1Cert certificate_list<0..2^24-1>.
struct Certificate12 {
  static constexpr HandshakeType kType = HandshakeType::certificate;

  std::vector<std::vector<uint8_t>> certificate_list;

  [[nodiscard]] static Result<Certificate12> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

// RFC 8422 §5.4: ServerECDHParams (curve_type named_curve, the group, the point<1..2^8-1>)
// and the signature over client_random + server_random + params (RFC 5246 §7.4.3).
struct ServerKeyExchangeEcdhe {
  static constexpr HandshakeType kType = HandshakeType::server_key_exchange;
  static constexpr uint8_t kNamedCurve = 3;

  NamedGroup group{};
  std::vector<uint8_t> public_key;
  SignatureScheme scheme{};
  std::vector<uint8_t> signature;  // <0..2^16-1>

  // Only named_curve is accepted (RFC 8422 §5.4: explicit curves are deprecated).
  [[nodiscard]] static Result<ServerKeyExchangeEcdhe> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
  // The encoded ServerECDHParams, what the signature covers after the randoms.
  std::vector<uint8_t> params() const;
};

// RFC 5246 §7.4.5: an empty body.
struct ServerHelloDone {
  static constexpr HandshakeType kType = HandshakeType::server_hello_done;

  [[nodiscard]] static Result<ServerHelloDone> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

// RFC 8422 §5.7: ClientECDiffieHellmanPublic, the point<1..2^8-1> (explicit: never implicit).
struct ClientKeyExchangeEcdhe {
  static constexpr HandshakeType kType = HandshakeType::client_key_exchange;

  std::vector<uint8_t> public_key;

  [[nodiscard]] static Result<ClientKeyExchangeEcdhe> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

// RFC 5246 §7.4.7.1: EncryptedPreMasterSecret, opaque<0..2^16-1>.
struct ClientKeyExchangeRsa {
  static constexpr HandshakeType kType = HandshakeType::client_key_exchange;

  std::vector<uint8_t> encrypted_pre_master;

  [[nodiscard]] static Result<ClientKeyExchangeRsa> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

// RFC 5246 §7.4.4: certificate_types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>,
// certificate_authorities<0..2^16-1> of DistinguishedName<1..2^16-1>.
struct CertificateRequest12 {
  static constexpr HandshakeType kType = HandshakeType::certificate_request;
  static constexpr uint8_t kRsaSign = 1;
  static constexpr uint8_t kEcdsaSign = 64;

  std::vector<uint8_t> certificate_types;
  std::vector<SignatureScheme> schemes;
  std::vector<std::vector<uint8_t>> authorities;

  [[nodiscard]] static Result<CertificateRequest12> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

// RFC 5077 §3.3: the TLS 1.2 NewSessionTicket, a lifetime hint and the ticket<0..2^16-1>.
struct NewSessionTicket12 {
  static constexpr HandshakeType kType = HandshakeType::new_session_ticket;

  uint32_t lifetime_hint = 0;
  std::vector<uint8_t> ticket;

  [[nodiscard]] static Result<NewSessionTicket12> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
