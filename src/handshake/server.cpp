#include "handshake/server.hpp"

#include <algorithm>

#include "handshake/cipher_suite.hpp"
#include "handshake/server12.hpp"
#include "handshake/server13.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {
namespace {

class ServerHandshake final : public Handshake {
 public:
  explicit ServerHandshake(std::shared_ptr<const ServerConfig> config)
      : config_(std::move(config)) {}

  Result<void> start(RecordSink&) override { return {}; }

  Result<void> handle(const msgs::HandshakeMessage& m, RecordSink& sink) override {
    if (version_) return version_->handle(m, sink);
    if (m.type != HandshakeType::client_hello) {
      return Error{ErrorCode::unexpected_message, "handshake message type " +
                                                      std::to_string(static_cast<int>(m.type)) +
                                                      " before the ClientHello"};
    }
    auto ch = msgs::ClientHello::decode(m.body());
    if (!ch) return std::move(ch).error();
    auto version = choose_version(*ch);
    if (!version) return std::move(version).error();
    if (*version == ProtocolVersion::tls13) {
      version_ = make_server13(config_);
      return version_->handle(m, sink);
    }
    auto tls12 = make_server12(config_, *ch, m, sink);
    if (!tls12) return std::move(tls12).error();
    version_ = std::move(tls12).value();
    return {};
  }

  bool complete() const override { return version_ && version_->complete(); }
  Result<void> on_change_cipher_spec(RecordSink& sink) override {
    if (version_) return version_->on_change_cipher_spec(sink);
    return Error{ErrorCode::unexpected_message, "change_cipher_spec before the ClientHello"};
  }
  Result<void> on_new_session_ticket(const msgs::HandshakeMessage&) override {
    return Error{ErrorCode::unexpected_message, "NewSessionTicket sent by a client"};
  }
  const ConnectionInfo& info() const override { return version_ ? version_->info() : info_; }
  const Exporter* exporter() const override { return version_ ? version_->exporter() : nullptr; }
  void on_fatal_error() override {
    if (version_) version_->on_fatal_error();
  }

 private:
  Result<ProtocolVersion> choose_version(const msgs::ClientHello& ch) const {
    // RFC 8446 Appendix D.5: a legacy_version of 0x0300 (SSL 3.0) or less MUST be refused with
    // protocol_version, whatever supported_versions says.
    if (static_cast<uint16_t>(ch.legacy_version) <= 0x0300) {
      return Error{
          ErrorCode::protocol_version,
          "ClientHello.legacy_version " + to_string(ch.legacy_version) + " is SSL 3.0 or older"};
    }
    auto listed = msgs::find_as<msgs::SupportedVersionsClientHello>(ch.extensions);
    if (!listed) return std::move(listed).error();
    // The client's highest version: from supported_versions (RFC 8446 §4.2.1), else from
    // legacy_version (RFC 5246 Appendix E.1).
    auto offered = [&](ProtocolVersion v) {
      if (listed->has_value()) {
        const auto& versions = (*listed)->versions;
        return std::find(versions.begin(), versions.end(), v) != versions.end();
      }
      return v == ProtocolVersion::tls12 && ch.legacy_version >= ProtocolVersion::tls12;
    };
    std::optional<ProtocolVersion> chosen;
    for (ProtocolVersion v : {ProtocolVersion::tls13, ProtocolVersion::tls12}) {
      if (offered(v) && config_->accepts(v)) {
        chosen = v;
        break;
      }
    }
    // RFC 8996: TLS 1.0 and 1.1 are refused with protocol_version, as is no version in common.
    if (!chosen) {
      return Error{ErrorCode::protocol_version, "no protocol version in common"};
    }
    // RFC 7507 §3: a fallback to below the highest version this server supports is an attack.
    const bool fallback = std::find(ch.cipher_suites.begin(), ch.cipher_suites.end(),
                                    kFallbackScsv) != ch.cipher_suites.end();
    if (fallback && *chosen == ProtocolVersion::tls12 && config_->accepts(ProtocolVersion::tls13) &&
        !offered(ProtocolVersion::tls13)) {
      return Error{ErrorCode::inappropriate_fallback,
                   "TLS_FALLBACK_SCSV from a client that could negotiate TLSv1.3"};
    }
    return *chosen;
  }

  std::shared_ptr<const ServerConfig> config_;
  std::unique_ptr<Handshake> version_;  // the version's states, once the ClientHello chose it
};

}  // namespace

std::unique_ptr<Handshake> make_server_handshake(std::shared_ptr<const ServerConfig> config) {
  return std::make_unique<ServerHandshake>(std::move(config));
}

}  // namespace bastion::handshake
