#include "handlers.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/x509.hpp"
#include "commands.hpp"

namespace bastion::cli {
namespace {

constexpr size_t kMaxRequestHead = 16 * 1024;
// A response goes out in records this full: the head and the start of the body share the first.
constexpr size_t kResponseChunk = 64 * 1024;

struct Request {
  std::string method;
  std::string target;
};

// Reads until the blank line that ends an HTTP request head, within `deadline` (a client that
// trickles its head cannot hold the connection). nullopt when the client closed first, failed,
// was too slow, or sent too much.
std::optional<std::string> read_request_head(Stream& stream, std::chrono::milliseconds deadline) {
  if (deadline.count() > 0) stream.set_deadline(std::chrono::steady_clock::now() + deadline);
  std::string head;
  std::array<uint8_t, 4096> buffer;
  while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
    if (head.size() > kMaxRequestHead) return std::nullopt;
    auto n = stream.read(buffer);
    if (!n || *n == 0) return std::nullopt;
    head.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
  stream.set_deadline(std::nullopt);
  return head;
}

std::optional<Request> parse_request_line(std::string_view head) {
  std::string_view line = head.substr(0, head.find_first_of("\r\n"));
  auto first_space = line.find(' ');
  if (first_space == std::string_view::npos) return std::nullopt;
  auto second_space = line.find(' ', first_space + 1);
  Request request;
  request.method = line.substr(0, first_space);
  request.target = line.substr(first_space + 1, second_space - first_space - 1);
  if (request.target.empty()) return std::nullopt;
  return request;
}

std::string response_head(std::string_view status, std::string_view content_type, uint64_t length) {
  return "HTTP/1.1 " + std::string(status) +
         "\r\nServer: bastion\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(length) + "\r\nConnection: close\r\n\r\n";
}

// From now on the response of `size` bytes must go out within the limits.
void start_response(Stream& stream, const HttpLimits& limits, uint64_t size) {
  if (limits.request_head.count() == 0) return;
  const auto sending = std::chrono::milliseconds(size * 1000 / kMinSendRate);
  stream.set_deadline(std::chrono::steady_clock::now() + limits.request_head + sending);
}

// Head and body in one write, so that a short response is one record.
void send_response(Stream& stream, std::string_view status, std::string_view content_type,
                   std::string_view body) {
  static_cast<void>(
      stream.write(response_head(status, content_type, body.size()) + std::string(body)));
}

void send_error(Stream& stream, std::string_view status) {
  send_response(stream, status, "text/plain", std::string(status) + "\n");
}

// The head, then the file, in chunks that fill whole records.
void send_file(Stream& stream, const OpenFile& file, bool head_only) {
  std::string chunk = response_head("200 OK", file.content_type(), file.size());
  if (head_only) {
    static_cast<void>(stream.write(chunk));
    return;
  }
  size_t used = chunk.size();
  chunk.resize(std::max(kResponseChunk, used));
  uint64_t left = file.size();
  while (left > 0 || used > 0) {
    while (left > 0 && used < chunk.size()) {
      const ssize_t n =
          ::read(file.fd(), chunk.data() + used, std::min<uint64_t>(chunk.size() - used, left));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the file shrank: the client sees a short body and the close
      used += static_cast<size_t>(n);
      left -= static_cast<uint64_t>(n);
    }
    if (!stream.write(std::string_view(chunk.data(), used))) return;
    used = 0;
  }
}

std::string describe(const Stream& stream) {
  ConnectionInfo info = stream.info();
  std::string text = "bastion server\n";
  text += "version: " + name_or_none(info.version) + "\n";
  text += "cipher: " + name_or_none(info.cipher_suite) + "\n";
  text += "group: " + name_or_none(info.group) + "\n";
  text += "hello_retry: " + std::string(info.hello_retry ? "yes" : "no") + "\n";
  if (info.version == ProtocolVersion::tls12) {
    text +=
        "extended_master_secret: " + std::string(info.extended_master_secret ? "yes" : "no") + "\n";
  }
  text += "resumed: " + std::string(info.resumed ? "yes" : "no") + "\n";
  if (info.resumed) {
    text += std::string("resumed_by: ") +
            (info.resumed_by == ResumedBy::session_id ? "session_id" : "ticket") + "\n";
  }
  text += "alpn: " + (info.alpn.empty() ? std::string("none") : info.alpn) + "\n";
  text += "sni: " + (info.server_name.empty() ? std::string("none") : info.server_name) + "\n";
  text += "peer: " + stream.peer_address() + "\n";
  ClientIdentity client = client_identity(info);
  text += "client_subject: " + client.subject + "\n";
  text += "client_verified: " + std::string(client.verified ? "yes" : "no") + "\n";
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The request path, percent-decoded and split into segments; nullopt when it is malformed or
// climbs with "..".
std::optional<std::vector<std::string>> path_segments(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  if (!target.starts_with("/")) return std::nullopt;
  std::vector<std::string> segments;
  std::string current;
  auto finish_segment = [&]() -> bool {
    if (current == "..") return false;
    if (!current.empty() && current != ".") segments.push_back(current);
    current.clear();
    return true;
  };
  for (size_t i = 1; i < target.size(); ++i) {
    char c = target[i];
    if (c == '%') {
      if (i + 2 >= target.size()) return std::nullopt;
      int high = hex_value(target[i + 1]);
      int low = hex_value(target[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      if (c == '\0' || c == '/') return std::nullopt;
      i += 2;
    }
    if (c == '/') {
      if (!finish_segment()) return std::nullopt;
    } else {
      current += c;
    }
  }
  if (!finish_segment()) return std::nullopt;
  return segments;
}

}  // namespace

ClientIdentity client_identity(const ConnectionInfo& info) {
  if (info.peer_certificates.empty()) return {"none", false};
  auto leaf = describe_certificate(info.peer_certificates.front());
  if (!leaf) return {"(unreadable: " + leaf.error().message() + ")", info.peer_verified};
  return {leaf->subject, info.peer_verified};
}

void serve_status(Stream& stream, const HttpLimits& limits) {
  if (!read_request_head(stream, limits.request_head)) return;
  const std::string body = describe(stream);
  start_response(stream, limits, body.size());
  send_response(stream, "200 OK", "text/plain; charset=utf-8", body);
}

void serve_echo(Stream& stream) {
  std::array<uint8_t, 16 * 1024> buffer;
  for (;;) {
    auto n = stream.read(buffer);
    if (!n || *n == 0) return;
    if (!stream.write(std::span<const uint8_t>(buffer.data(), *n))) return;
  }
}

void serve_files(Stream& stream, const WebRoot& root, const HttpLimits& limits) {
  auto head = read_request_head(stream, limits.request_head);
  if (!head) return;
  start_response(stream, limits, 0);
  auto request = parse_request_line(*head);
  if (!request) return send_error(stream, "400 Bad Request");
  bool is_head = request->method == "HEAD";
  if (request->method != "GET" && !is_head) return send_error(stream, "405 Method Not Allowed");
  auto segments = path_segments(request->target);
  if (!segments) return send_error(stream, "400 Bad Request");
  auto file = root.open_file(*segments);
  if (!file) return send_error(stream, "404 Not Found");
  start_response(stream, limits, is_head ? 0 : file->size());
  send_file(stream, *file, is_head);
}

}  // namespace bastion::cli
