#include "handshake/client.hpp"

#include <algorithm>
#include <optional>

#include "handshake/client12.hpp"
#include "handshake/client13.hpp"
#include "handshake/client_hello.hpp"
#include "msgs/msgs.hpp"

namespace bastion::handshake {
namespace {

class ClientHandshake final : public Handshake {
 public:
  ClientHandshake(std::shared_ptr<const ClientConfig> config, std::string server_name)
      : config_(std::move(config)),
        server_name_(std::move(server_name)),
        transcript_(config_->provider()) {
    if (msgs::ServerName::is_valid_host_name(server_name_)) info_.server_name = server_name_;
  }

  Result<void> start(RecordSink& sink) override {
    std::unique_ptr<crypto::KeyShare> share;
    if (config_->offers(ProtocolVersion::tls13)) {
      auto fresh = config_->provider().generate_key_share(config_->options().groups.front());
      if (!fresh) return std::move(fresh).error();
      share = std::move(fresh).value();
    }
    auto offer = build_client_hello(*config_, server_name_, std::move(share), {}, nullptr,
                                    session_to_offer(*config_, server_name_), transcript_);
    if (!offer) return std::move(offer).error();
    offer_ = std::move(offer).value();
    return emit(transcript_, msgs::encode_message(offer_->hello), sink);
  }

  Result<void> handle(const msgs::HandshakeMessage& m, RecordSink& sink) override {
    if (version_) return version_->handle(m, sink);
    // Until the version is known only the ServerHello (or HelloRetryRequest) may come.
    if (m.type != HandshakeType::server_hello || !offer_) {
      return Error{ErrorCode::unexpected_message, "handshake message type " +
                                                      std::to_string(static_cast<int>(m.type)) +
                                                      " before the ServerHello"};
    }
    auto sh = msgs::ServerHello::decode(m.body());
    if (!sh) return std::move(sh).error();
    auto version = negotiated_version(*sh);
    if (!version) return std::move(version).error();
    if (*version == ProtocolVersion::tls13) {
      version_ = make_client13(config_, server_name_, std::move(*offer_), std::move(transcript_));
      return version_->handle(m, sink);
    }
    auto tls12 =
        make_client12(config_, server_name_, std::move(*offer_), std::move(transcript_), *sh, m);
    if (!tls12) return std::move(tls12).error();
    version_ = std::move(tls12).value();
    return {};
  }

  bool complete() const override { return version_ && version_->complete(); }
  Result<void> on_change_cipher_spec(RecordSink& sink) override {
    if (version_) return version_->on_change_cipher_spec(sink);
    // RFC 8446 §5: between the first ClientHello and the peer's Finished a TLS 1.3 peer may
    // send one; a TLS 1.2 server has no reason to before its ServerHello.
    if (config_->offers(ProtocolVersion::tls13)) return {};
    return Error{ErrorCode::unexpected_message, "change_cipher_spec before the ServerHello"};
  }
  Result<void> on_new_session_ticket(const msgs::HandshakeMessage& m) override {
    return version_->on_new_session_ticket(m);
  }
  const ConnectionInfo& info() const override { return version_ ? version_->info() : info_; }
  const Exporter* exporter() const override { return version_ ? version_->exporter() : nullptr; }
  void on_fatal_error() override {
    if (version_) version_->on_fatal_error();
  }

 private:
  // RFC 8446 §4.1.3 and §4.2.1: supported_versions in the ServerHello says TLS 1.3; without it
  // legacy_version says TLS 1.2 or below.
  Result<ProtocolVersion> negotiated_version(const msgs::ServerHello& sh) const {
    auto version = msgs::find_as<msgs::SupportedVersionsServerHello>(sh.extensions);
    if (!version) return std::move(version).error();
    if (version->has_value()) {
      // RFC 8446 §4.2.1: a version not offered, or one before TLS 1.3, is illegal_parameter.
      if ((*version)->selected_version != ProtocolVersion::tls13 ||
          !config_->offers(ProtocolVersion::tls13)) {
        return illegal("server selected a version not offered: " +
                       to_string((*version)->selected_version));
      }
      return ProtocolVersion::tls13;
    }
    if (config_->offers(ProtocolVersion::tls13)) {
      // RFC 8446 §4.1.3: a TLS 1.3 client that sees TLS 1.2 or below MUST check the downgrade
      // sentinel and abort with illegal_parameter when it is there.
      if (sh.has_downgrade_sentinel()) {
        return Error{ErrorCode::downgrade_detected,
                     "ServerHello.random carries a downgrade sentinel"};
      }
    }
    // RFC 8996: nothing older than TLS 1.2.
    if (sh.legacy_version == ProtocolVersion::tls12 && config_->offers(ProtocolVersion::tls12)) {
      return ProtocolVersion::tls12;
    }
    return Error{ErrorCode::protocol_version,
                 "server chose " + to_string(sh.legacy_version) + "; offered " + offered_range()};
  }

  std::string offered_range() const {
    const bool tls12 = config_->offers(ProtocolVersion::tls12);
    const bool tls13 = config_->offers(ProtocolVersion::tls13);
    if (tls12 && tls13) return "TLSv1.2 to TLSv1.3";
    return tls13 ? "only TLSv1.3" : "only TLSv1.2";
  }

  std::shared_ptr<const ClientConfig> config_;
  std::string server_name_;
  Transcript transcript_;
  std::optional<ClientOffer> offer_;
  std::unique_ptr<Handshake> version_;  // the version's states, once the ServerHello named it
};

}  // namespace

std::unique_ptr<Handshake> make_client_handshake(std::shared_ptr<const ClientConfig> config,
                                                 std::string server_name) {
  return std::make_unique<ClientHandshake>(std::move(config), std::move(server_name));
}

}  // namespace bastion::handshake
