#include "client_report.hpp"

#include "bastion/x509.hpp"
#include "certificate_report.hpp"
#include "commands.hpp"

namespace bastion::cli {
namespace {

const char* resumed_by_name(ResumedBy by) {
  return by == ResumedBy::session_id ? "session_id" : "ticket";
}

std::string verification_text(const ConnectionReport& report) {
  if (report.verified) return "yes";
  if (report.verify_error.empty()) return "no (not checked: no trust store)";
  return "no (" + report.verify_error + ")";
}

template <class T>
std::optional<std::string> name_or_null(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return std::string(to_string(*value));
}

std::optional<std::string> empty_as_null(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

void write_negotiated(JsonWriter& json, const ConnectionInfo& info) {
  json.key("version").string_or_null(name_or_null(info.version));
  json.key("cipher_suite").string_or_null(name_or_null(info.cipher_suite));
  json.key("group").string_or_null(name_or_null(info.group));
  json.key("signature_scheme").string_or_null(name_or_null(info.peer_signature_scheme));
  json.key("alpn").string_or_null(empty_as_null(info.alpn));
  json.key("sni").string_or_null(empty_as_null(info.server_name));
  json.key("hello_retry").boolean(info.hello_retry);
  json.key("resumed").boolean(info.resumed);
  json.key("resumed_by")
      .string_or_null(info.resumed ? std::optional<std::string>(resumed_by_name(info.resumed_by))
                                   : std::nullopt);
  if (info.version == ProtocolVersion::tls12) {
    json.key("extended_master_secret").boolean(info.extended_master_secret);
  }
}

void write_connection(JsonWriter& json, const ClientTarget& target, const ConnectionReport& report,
                      bool with_pem) {
  json.key("host").string(target.host);
  json.key("port").number(target.port);
  json.key("server_name").string(target.server_name);
  json.key("handshake_complete").boolean(report.info.has_value());
  if (report.info) write_negotiated(json, *report.info);
  json.key("verification").begin_object();
  json.key("verified").boolean(report.verified);
  json.key("required").boolean(target.verification_required);
  json.key("error").string_or_null(empty_as_null(report.verify_error));
  json.end_object();
  // Unverified unless the verifier accepted them: the chain of a failed handshake too.
  json.key("certificates_verified").boolean(report.verified);
  json.key("certificates");
  write_chain_json(json, report.chain, with_pem);
  if (report.exported) {
    json.key("exporter").begin_object();
    json.key("label").string(report.exported->label);
    json.key("value").string(report.exported->hex);
    json.end_object();
  }
  json.key("error").string_or_null(report.error);
}

}  // namespace

void print_summary(std::FILE* out, const ConnectionReport& report) {
  if (!report.info) return;
  const ConnectionInfo& info = *report.info;
  std::fprintf(out, "version: %s\n", name_or_none(info.version).c_str());
  std::fprintf(out, "cipher: %s\n", name_or_none(info.cipher_suite).c_str());
  std::fprintf(out, "group: %s\n", name_or_none(info.group).c_str());
  std::fprintf(out, "hello_retry: %s\n", info.hello_retry ? "yes" : "no");
  if (info.version == ProtocolVersion::tls12) {
    std::fprintf(out, "extended_master_secret: %s\n", info.extended_master_secret ? "yes" : "no");
  }
  std::fprintf(out, "resumed: %s\n", info.resumed ? "yes" : "no");
  if (info.resumed) std::fprintf(out, "resumed_by: %s\n", resumed_by_name(info.resumed_by));
  std::fprintf(out, "alpn: %s\n", info.alpn.empty() ? "none" : info.alpn.c_str());
  std::fprintf(out, "signature: %s\n", name_or_none(info.peer_signature_scheme).c_str());
  if (report.chain.empty()) {
    std::fprintf(out, "subject: none\nissuer: none\nexpires: none\n");
  } else if (auto leaf = describe_certificate(report.chain.front())) {
    std::fprintf(out, "subject: %s\n", leaf->subject.c_str());
    std::fprintf(out, "issuer: %s\n", leaf->issuer.c_str());
    std::fprintf(out, "expires: %s\n", leaf->not_after.c_str());
  } else {
    std::string why = "(unreadable: " + leaf.error().message() + ")";
    std::fprintf(out, "subject: %s\nissuer: %s\nexpires: %s\n", why.c_str(), why.c_str(),
                 why.c_str());
  }
  std::fprintf(out, "verified: %s\n", verification_text(report).c_str());
  if (report.exported) std::fprintf(out, "exporter: %s\n", report.exported->hex.c_str());
  std::fflush(out);
}

void print_presented_chain(std::FILE* out, const ConnectionReport& report) {
  if (report.chain.empty()) {
    if (report.info && report.info->resumed) {
      std::fprintf(out, "--- no certificate chain: the session was resumed ---\n");
    }
    return;
  }
  const std::string count = std::to_string(report.chain.size()) +
                            (report.chain.size() == 1 ? " certificate" : " certificates");
  std::string heading = "certificate chain presented by the server, " + count + ", ";
  if (report.verified) {
    heading += "verified";
  } else if (!report.info) {
    heading += "UNVERIFIED: the handshake failed (see the error)";
  } else {
    heading += "UNVERIFIED: " + verification_text(report);
  }
  print_chain(out, heading, report.chain);
  std::fflush(out);
}

std::string client_json(const ClientTarget& target, const ConnectionReport& report,
                        const ConnectionReport* first, bool with_pem) {
  JsonWriter json;
  json.begin_object();
  write_connection(json, target, report, with_pem);
  if (first != nullptr) {
    json.key("first_connection").begin_object();
    write_connection(json, target, *first, with_pem);
    json.end_object();
  }
  json.end_object();
  return json.finish();
}

}  // namespace bastion::cli
