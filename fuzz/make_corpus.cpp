// Writes the seed corpora into fuzz/corpus/<target>/ from real handshakes between our client
// and server (with the deterministic provider, so that every flight replays), the test
// certificates, and encoded sample messages. Run after changing what a target reads:
//   build/release/fuzz/fuzz_make_corpus fuzz/corpus
// It checks that every recorded client and server flight still completes the handshake.
// With --openssl PORT NAME OPTIONS it instead records what an `openssl s_server` on
// 127.0.0.1:PORT sends to our deterministic client (fuzz/record_openssl_seeds.py runs it).
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_peers.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/traffic_secret.hpp"
#include "io/socket.hpp"
#include "msgs/msgs.hpp"
#include "record/deframer.hpp"
#include "record/fragmenter.hpp"
#include "record/protector.hpp"
#include "record_keys.hpp"

namespace {

using namespace bastion;
using Bytes = std::vector<uint8_t>;

std::filesystem::path root;
int failures = 0;

void write(const std::string& target, const std::string& name, const Bytes& bytes) {
  auto dir = root / target;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

Bytes with_prefix(uint8_t prefix, std::span<const uint8_t> rest) {
  Bytes out{prefix};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

struct Flights {
  Bytes to_client;  // everything the server sent
  Bytes to_server;  // everything the client sent
};

// Moves bytes both ways until both are quiet, recording them.
void pump(Connection& client, Connection& server, Flights& flights) {
  for (int round = 0; round < 32; ++round) {
    bool moved = false;
    for (auto [from, to, log] : {std::tuple{&client, &server, &flights.to_server},
                                 std::tuple{&server, &client, &flights.to_client}}) {
      auto bytes = from->pending_output();
      if (bytes.empty()) continue;
      Bytes copy(bytes.begin(), bytes.end());
      from->consume_output(copy.size());
      log->insert(log->end(), copy.begin(), copy.end());
      (void)to->receive(copy);
      moved = true;
    }
    if (!moved) return;
  }
}

// A whole session: handshake, then `talker` writes, updates its keys asking for an update, writes
// again and closes.
Flights session(Connection& client, Connection& server, Connection& talker) {
  Flights flights;
  pump(client, server, flights);
  if (!client.handshake_complete() || !server.handshake_complete()) {
    std::fprintf(stderr, "handshake did not complete\n");
    ++failures;
    return flights;
  }
  const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
  (void)talker.write(hello);
  (void)talker.key_update(true);
  (void)talker.write(hello);
  pump(client, server, flights);
  talker.close();
  pump(client, server, flights);
  return flights;
}

void check_replay(bool client_side, uint8_t options, const Bytes& input) {
  auto provider = fuzz::deterministic(client_side ? fuzz::kClientSeed : fuzz::kServerSeed);
  std::optional<Connection> c;
  if (client_side) {
    auto client = fuzz::fuzzed_client(options, provider);
    client->consume_output(client->pending_output().size());
    c.emplace(std::move(*client));
  } else {
    c.emplace(std::move(*fuzz::fuzzed_server(options, provider)));
  }
  fuzz::feed(*c, std::span(input).subspan(1), (options & fuzz::kTrickle) != 0);
  if (!c->handshake_complete() || c->failed()) {
    std::fprintf(stderr, "recorded %s flight (options %d) does not replay\n",
                 client_side ? "server" : "client", options);
    ++failures;
  }
}

// The client target reads the server's bytes; `peer_options` builds the recording server.
Bytes client_corpus(const std::string& name, uint8_t options, uint8_t peer_options) {
  auto client = fuzz::fuzzed_client(options, fuzz::deterministic(fuzz::kClientSeed));
  std::array<uint8_t, 4> seed{'p', 's', 'r', 'v'};
  auto server = fuzz::fuzzed_server(peer_options, fuzz::deterministic(seed));
  Flights flights = session(*client, *server, *server);
  Bytes input = with_prefix(options, flights.to_client);
  write("client", name, input);
  check_replay(true, options, input);
  return flights.to_server;
}

// The server target reads the client's bytes.
Flights server_corpus(const std::string& name, uint8_t options) {
  std::array<uint8_t, 4> seed{'p', 'c', 'l', 't'};
  auto client = fuzz::fuzzed_client(options & ~fuzz::kServerOnlyP256, fuzz::deterministic(seed));
  auto server = fuzz::fuzzed_server(options, fuzz::deterministic(fuzz::kServerSeed));
  Flights flights = session(*client, *server, *client);
  Bytes input = with_prefix(options, flights.to_server);
  write("server", name, input);
  check_replay(false, options, input);
  return flights;
}

// The handshake messages of a plaintext record stream (the part before keys).
std::vector<msgs::HandshakeMessage> plaintext_messages(Bytes stream) {
  std::vector<msgs::HandshakeMessage> out;
  record::Deframer deframer;
  msgs::HandshakeReassembler reassembler;
  std::span<uint8_t> rest(stream);
  while (true) {
    auto next = deframer.next(rest);
    if (!next || !next->record) break;
    auto rec = *next->record;
    rest = rest.subspan(rec.size());
    if (rec.type != ContentType::handshake) {
      if (rec.type == ContentType::application_data) break;
      continue;
    }
    if (!reassembler.push(rec.fragment)) break;
    while (auto m = reassembler.next()) out.push_back(std::move(*m));
  }
  return out;
}

// Indices into kDecoders in messages.cpp.
enum Decoder : uint8_t {
  kClientHello = 0,
  kServerHello,
  kEncryptedExtensions,
  kCertificate,
  kCertificateRequest,
  kCertificateVerify,
  kFinished32,
  kFinished48,
  kKeyUpdate,
  kNewSessionTicket,
  kEndOfEarlyData,
  kFramed,
  kExtensionBlock,
  kAlpn,
  kCertificateAuthorities,
  kCookie,
  kEarlyDataIndication,
  kEarlyDataTicket,
  kKeyShareClientHello,
  kKeyShareServerHello,
  kKeyShareHelloRetryRequest,
  kMaxFragmentLength,
  kPadding,
  kPostHandshakeAuth,
  kPskModes,
  kPskClientHello,
  kPskServerHello,
  kRecordSizeLimit,
  kServerName,
  kServerNameAck,
  kSignatureAlgorithms,
  kSignatureAlgorithmsCert,
  kStatusRequest,
  kStatusRequestAck,
  kCertificateStatus,
  kSupportedGroups,
  kSupportedVersionsClientHello,
  kSupportedVersionsServerHello,
  kRenegotiationInfo,
  kExtendedMasterSecret,
  kEcPointFormats,
  kSessionTicket,
};

void message_corpus(const Flights& plain, const Flights& hrr) {
  int n = 0;
  auto put = [&](Decoder d, std::span<const uint8_t> body) {
    write("messages", "m" + std::to_string(n++), with_prefix(d, body));
  };
  auto client_msgs = plaintext_messages(plain.to_server);
  auto server_msgs = plaintext_messages(plain.to_client);
  auto hrr_msgs = plaintext_messages(hrr.to_client);
  if (client_msgs.empty() || server_msgs.empty() || hrr_msgs.empty()) {
    std::fprintf(stderr, "no plaintext handshake messages captured\n");
    ++failures;
    return;
  }
  const auto& ch = client_msgs.front();
  put(kClientHello, ch.body());
  put(kFramed, ch.raw);
  put(kServerHello, server_msgs.front().body());
  put(kServerHello, hrr_msgs.front().body());
  auto ch_decoded = msgs::ClientHello::decode(ch.body());
  if (ch_decoded) {
    put(kExtensionBlock, msgs::encode_extensions(ch_decoded->extensions).value());
    for (const auto& ext : ch_decoded->extensions) {
      switch (ext.type) {
        case ExtensionType::server_name:
          put(kServerName, ext.data);
          break;
        case ExtensionType::supported_versions:
          put(kSupportedVersionsClientHello, ext.data);
          break;
        case ExtensionType::supported_groups:
          put(kSupportedGroups, ext.data);
          break;
        case ExtensionType::signature_algorithms:
          put(kSignatureAlgorithms, ext.data);
          put(kSignatureAlgorithmsCert, ext.data);
          break;
        case ExtensionType::key_share:
          put(kKeyShareClientHello, ext.data);
          break;
        case ExtensionType::application_layer_protocol_negotiation:
          put(kAlpn, ext.data);
          break;
        default:
          break;
      }
    }
  }
  for (const auto* hello : {&server_msgs.front(), &hrr_msgs.front()}) {
    auto sh = msgs::ServerHello::decode(hello->body());
    if (!sh) continue;
    for (const auto& ext : sh->extensions) {
      if (ext.type == ExtensionType::key_share) {
        put(sh->is_hello_retry_request() ? kKeyShareHelloRetryRequest : kKeyShareServerHello,
            ext.data);
      } else if (ext.type == ExtensionType::supported_versions) {
        put(kSupportedVersionsServerHello, ext.data);
      }
    }
  }
  msgs::EncryptedExtensions ee;
  ee.extensions.push_back(msgs::to_extension(msgs::ServerNameAck{}).value());
  ee.extensions.push_back(msgs::to_extension(msgs::Alpn{{"h2"}}).value());
  put(kEncryptedExtensions, ee.encode().value());
  msgs::Certificate cert;
  cert.certificate_list.push_back({fuzz::ed25519_der(), {}});
  put(kCertificate, cert.encode().value());
  msgs::CertificateRequest request;
  request.extensions.push_back(
      msgs::to_extension(msgs::SignatureAlgorithms{
                             {SignatureScheme::ed25519, SignatureScheme::ecdsa_secp256r1_sha256}})
          .value());
  put(kCertificateRequest, request.encode().value());
  put(kCertificateVerify,
      msgs::CertificateVerify{SignatureScheme::ed25519, Bytes(64, 0x5a)}.encode().value());
  put(kFinished32, Bytes(32, 0xf1));
  put(kFinished48, Bytes(48, 0xf2));
  put(kKeyUpdate, Bytes{1});
  msgs::NewSessionTicket ticket;
  ticket.ticket_lifetime = 7200;
  ticket.ticket_age_add = 0x01020304;
  ticket.ticket_nonce = {0};
  ticket.ticket = Bytes(32, 0x77);
  ticket.extensions.push_back({ExtensionType::early_data, {0, 0, 0x40, 0}});
  put(kNewSessionTicket, ticket.encode().value());
  put(kEndOfEarlyData, {});
  put(kCookie, msgs::Cookie{Bytes(16, 0xc0)}.encode().value());
  put(kPadding, Bytes(8, 0));
  put(kRecordSizeLimit, Bytes{0x40, 0x00});
  put(kPskModes, Bytes{1, 1});
  put(kExtendedMasterSecret, {});
  put(kPostHandshakeAuth, {});
  put(kServerNameAck, {});
  put(kEcPointFormats, Bytes{1, 0});
  put(kRenegotiationInfo, Bytes{0});
  put(kMaxFragmentLength, Bytes{1});
  put(kEarlyDataIndication, {});
  put(kEarlyDataTicket, Bytes{0, 0, 0x40, 0});
  put(kStatusRequest, Bytes{1, 0, 0, 0, 0});
  put(kStatusRequestAck, {});
  put(kCertificateStatus, Bytes{1, 0, 0, 3, 'o', 'k', '!'});
  put(kCertificateAuthorities, Bytes{0, 5, 0, 3, 0x30, 0x01, 0x00});
  Bytes psk{0, 11, 0, 5, 'a', 'b', 'c', 'd', 'e', 0, 0, 0, 1, 0, 33, 32};
  psk.resize(psk.size() + 32, 0xb1);
  put(kPskClientHello, psk);
  put(kPskServerHello, Bytes{0, 0});
  put(kSessionTicket, {});
}

void record_corpus(const Flights& plain) {
  // Plaintext: the client's first flight and the server's, up to its first protected record.
  write("record", "client-hello", with_prefix(0, plain.to_server));
  write("record", "server-flight", with_prefix(0, plain.to_client));
  Bytes odd;
  record::append_plaintext_records(ContentType::handshake, Bytes(40, 1), odd, 0x0303, 7);
  record::append_plaintext_records(ContentType::alert, Bytes{2, 40}, odd);
  record::append_plaintext_records(ContentType::change_cipher_spec, Bytes{1}, odd);
  write("record", "fragments", with_prefix(0, odd));
  // Protected, one file per suite, with the keys the target opens with.
  for (uint8_t mode = 1; mode < fuzz::kRecordModes; ++mode) {
    auto sealer = record::RecordProtector::create(*fuzz::openssl(), record::Direction::seal,
                                                  *fuzz::record_protection(*fuzz::openssl(), mode));
    if (!sealer) {
      ++failures;
      continue;
    }
    const bool tls13 = mode <= 3;
    Bytes records;
    auto ku =
        msgs::encode_message(msgs::KeyUpdate{msgs::KeyUpdateRequest::update_requested}).value();
    auto finished = msgs::encode_message(msgs::Finished{Bytes(12, 0xf1)}).value();
    (void)sealer->seal(ContentType::handshake, tls13 ? ku : finished, 0, records);
    (void)sealer->seal(ContentType::application_data, text("data"), tls13 ? 3 : 0, records);
    (void)sealer->seal(ContentType::application_data, {}, 0, records);
    (void)sealer->seal(ContentType::alert, Bytes{1, 0}, 0, records);
    write("record", "protected-" + std::to_string(mode), with_prefix(mode, records));
  }
}

Bytes der_of(const char* pem) {
  auto ders = parse_pem_certificates(pem);
  return ders.ok() ? ders->front() : Bytes{};
}

void x509_corpus() {
  auto chain = [](std::initializer_list<Bytes> ders) {
    Bytes out;
    for (const auto& der : ders) {
      out.push_back(static_cast<uint8_t>(der.size() >> 8));
      out.push_back(static_cast<uint8_t>(der.size()));
      out.insert(out.end(), der.begin(), der.end());
    }
    return out;
  };
  const Bytes ca = der_of(test::kCaPem);
  write("x509", "ecdsa-ca", chain({der_of(test::kEcdsaCertPem), ca}));
  write("x509", "rsa", chain({der_of(test::kRsaCertPem)}));
  write("x509", "ed25519", chain({der_of(test::kEd25519CertPem)}));
  write("x509", "p384-ca", chain({der_of(test::kP384CertPem), ca}));
  write("x509", "ca", chain({ca}));
}

void pem_corpus() {
  write("pem", "ca", text(test::kCaPem));
  write("pem", "chain", text(std::string(test::kEcdsaCertPem) + test::kCaPem));
  write("pem", "ecdsa-key", text(test::kEcdsaKeyPem));
  write("pem", "ed25519-key", text(test::kEd25519KeyPem));
  write("pem", "p384-key", text(test::kP384KeyPem));
}

void cli_corpus() {
  auto args = [](std::initializer_list<std::string_view> words) {
    Bytes out;
    for (auto w : words) {
      if (!out.empty()) out.push_back(0);
      out.insert(out.end(), w.begin(), w.end());
    }
    return out;
  };
  write("cli_args", "client",
        args({"example.com:443", "--servername", "example.com", "--alpn=h2,http/1.1", "--pipe"}));
  write("cli_args", "lists",
        args({"[::1]:8443", "--groups", "x25519,secp256r1",
              "--ciphers=TLS_AES_128_GCM_SHA256,TLS_CHACHA20_POLY1305_SHA256"}));
  write("cli_args", "server", args({"--listen", "127.0.0.1:4433", "--echo", "--", "--x"}));
}

// Our deterministic client against a real server over TCP; the server's bytes become a
// client seed.
int record_openssl(uint16_t port, const std::string& name, uint8_t options) {
  auto client = fuzz::fuzzed_client(options, fuzz::deterministic(fuzz::kClientSeed));
  auto fd = io::connect_tcp("127.0.0.1", port);
  if (!client || !fd) {
    std::fprintf(stderr, "cannot connect to 127.0.0.1:%u\n", port);
    return 1;
  }
  timeval timeout{2, 0};
  setsockopt(*fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  Bytes from_server;
  std::array<uint8_t, 4096> buf{};
  // Until the server has been quiet for the timeout (after its NewSessionTickets).
  while (!client->failed() && !client->peer_closed()) {
    auto out = client->pending_output();
    if (!out.empty()) {
      if (!io::send_all(*fd, out)) break;
      client->consume_output(out.size());
    }
    auto n = io::recv_some(*fd, buf);
    if (!n || *n == 0) break;
    from_server.insert(from_server.end(), buf.begin(), buf.begin() + static_cast<long>(*n));
    (void)client->receive(std::span(buf).first(*n));
  }
  close(*fd);
  Bytes input = with_prefix(options, from_server);
  write("client", name, input);
  check_replay(true, options, input);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::string_view(argv[2]) == "--openssl") {
    root = argv[1];
    return record_openssl(static_cast<uint16_t>(std::atoi(argv[3])), argv[4],
                          static_cast<uint8_t>(std::atoi(argv[5])));
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [--openssl PORT NAME OPTIONS]\n", argv[0]);
    return 2;
  }
  root = argv[1];
  client_corpus("plain", 0, 0);
  client_corpus("alpn", fuzz::kOfferAlpn, fuzz::kOfferAlpn);
  client_corpus("client-auth", fuzz::kClientAuth, fuzz::kClientAuth);
  client_corpus("hello-retry", 0, fuzz::kServerOnlyP256);
  client_corpus("trickle", fuzz::kTrickle, 0);
  client_corpus("tls12", fuzz::kTls12, fuzz::kTls12);
  client_corpus("tls12-client-auth", fuzz::kTls12 | fuzz::kClientAuth,
                fuzz::kTls12 | fuzz::kClientAuth);
  client_corpus("tls12-to-a-server-with-tls13", 0, fuzz::kTls12);
  Flights plain = server_corpus("plain", 0);
  server_corpus("alpn", fuzz::kOfferAlpn);
  server_corpus("client-auth", fuzz::kClientAuth);
  Flights hrr = server_corpus("hello-retry", fuzz::kServerOnlyP256);
  server_corpus("trickle", fuzz::kTrickle);
  server_corpus("tls12", fuzz::kTls12);
  server_corpus("tls12-client-auth", fuzz::kTls12 | fuzz::kClientAuth);
  message_corpus(plain, hrr);
  record_corpus(plain);
  x509_corpus();
  pem_corpus();
  cli_corpus();
  if (failures != 0) {
    std::fprintf(stderr, "%d problems\n", failures);
    return 1;
  }
  return 0;
}
