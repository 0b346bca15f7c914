// How the CLI shows certificates: summaries, PEM, chains as text and JSON, and errors that
// say what the certificate holds when it does not match.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "bastion/x509.hpp"
#include "json.hpp"

namespace bastion::cli {

// A PEM CERTIFICATE block (RFC 7468), 64 base64 characters a line, ending in a newline.
std::string pem_certificate(std::span<const uint8_t> der);

// The subjectAltName entries, "DNS:localhost, IP:127.0.0.1", or "none".
std::string certificate_names(const CertificateSummary& summary);

// One certificate, numbered, as lines of "  field: value" (a note when it does not parse),
// followed by its PEM when with_pem.
void print_certificate(std::FILE* out, size_t index, std::span<const uint8_t> der, bool with_pem);

// A chain under a heading that says what it is (whether it was verified).
void print_chain(std::FILE* out, std::string_view heading, std::span<const Der> chain);

// The chain as an array of objects: subject, issuer, not_before, not_after, dns_names,
// ip_addresses (or error when a certificate does not parse), and pem when with_pem.
void write_chain_json(JsonWriter& json, std::span<const Der> chain, bool with_pem);

// error.message(), and for a name mismatch the names the leaf of `chain` does have.
std::string explain_error(const Error& error, std::span<const Der> chain);

}  // namespace bastion::cli
