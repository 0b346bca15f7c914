// The bastion CLI's parsing of options, endpoints and name lists (tools/bastion/args.cpp).
#include "args.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace bastion::cli {
namespace {

constexpr OptionSpec kSpecs[] = {
    {"cafile", "PEM", "trust these"},
    {"alpn", "LIST", "protocols"},
    {"pipe", {}, "copy stdin"},
    {"require-client-cert", {}, "refuse clients without one"},
};

// argv-style storage: parse_args takes the char* array a main() receives.
class Argv {
 public:
  Argv(std::initializer_list<std::string> args) : storage_(args) {
    for (auto& arg : storage_) pointers_.push_back(arg.data());
  }
  std::span<char* const> span() const { return pointers_; }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> pointers_;
};

Parsed<ParsedArgs> parse(std::initializer_list<std::string> args) {
  Argv argv(args);
  return parse_args(argv.span(), kSpecs);
}

TEST(ParseArgs, ValuesFlagsAndPositionals) {
  auto parsed = parse({"example.com", "--cafile", "ca.pem", "--pipe", "--alpn=h2,http/1.1"});
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->positional, std::vector<std::string>{"example.com"});
  EXPECT_EQ(parsed.value->value("cafile"), "ca.pem");
  EXPECT_EQ(parsed.value->value("alpn"), "h2,http/1.1");
  EXPECT_TRUE(parsed.value->has("pipe"));
  EXPECT_EQ(parsed.value->value("pipe"), "");
  EXPECT_FALSE(parsed.value->has("require-client-cert"));
  EXPECT_EQ(parsed.value->value("require-client-cert"), std::nullopt);
}

TEST(ParseArgs, EmptyInlineValueIsAValue) {
  auto parsed = parse({"--cafile="});
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->value("cafile"), "");
}

TEST(ParseArgs, TheLastOccurrenceWins) {
  auto parsed = parse({"--cafile", "a.pem", "--cafile=b.pem"});
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->value("cafile"), "b.pem");
}

TEST(ParseArgs, ValueMayLookLikeAnOption) {
  auto parsed = parse({"--cafile", "--pipe"});
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->value("cafile"), "--pipe");
  EXPECT_FALSE(parsed.value->has("pipe"));
}

TEST(ParseArgs, DoubleDashEndsOptions) {
  auto parsed = parse({"--pipe", "--", "--cafile", "-x"});
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->positional, (std::vector<std::string>{"--cafile", "-x"}));
  EXPECT_FALSE(parsed.value->has("cafile"));
}

TEST(ParseArgs, SingleDashIsPositional) {
  auto parsed = parse({"-", "-v"});
  ASSERT_TRUE(parsed.value) << parsed.error;
  EXPECT_EQ(parsed.value->positional, (std::vector<std::string>{"-", "-v"}));
}

TEST(ParseArgs, Errors) {
  EXPECT_EQ(parse({"--nope"}).error, "unknown option --nope");
  EXPECT_EQ(parse({"--nope=1"}).error, "unknown option --nope");
  EXPECT_EQ(parse({"--cafile"}).error, "--cafile needs a value");
  EXPECT_EQ(parse({"--pipe=yes"}).error, "--pipe takes no value");
  EXPECT_FALSE(parse({"--cafile"}).value);
}

TEST(ParseArgs, Empty) {
  auto parsed = parse({});
  ASSERT_TRUE(parsed.value);
  EXPECT_TRUE(parsed.value->positional.empty());
  EXPECT_TRUE(parsed.value->values.empty());
}

void expect_endpoint(std::string_view text, std::string_view host, uint16_t port) {
  auto parsed = parse_endpoint(text, 443);
  ASSERT_TRUE(parsed.value) << text << ": " << parsed.error;
  EXPECT_EQ(parsed.value->host, host) << text;
  EXPECT_EQ(parsed.value->port, port) << text;
}

TEST(ParseEndpoint, Forms) {
  expect_endpoint("example.com", "example.com", 443);
  expect_endpoint("example.com:8443", "example.com", 8443);
  expect_endpoint("127.0.0.1:0", "127.0.0.1", 0);
  expect_endpoint("127.0.0.1:65535", "127.0.0.1", 65535);
  expect_endpoint("[::1]:4433", "::1", 4433);
  expect_endpoint("[::1]", "::1", 443);
  expect_endpoint("::1", "::1", 443);
  expect_endpoint("fe80::1:2", "fe80::1:2", 443);  // bare IPv6: every colon is the address's
  expect_endpoint("[2001:db8::7]:1", "2001:db8::7", 1);
}

TEST(ParseEndpoint, Errors) {
  for (std::string_view bad :
       {"", ":443", "[]:443", "[::1", "[::1]443", "[::1]:", "host:", "host:x", "host:65536",
        "host:-1", "host:+1", "host:443x", "host: 443"}) {
    auto parsed = parse_endpoint(bad, 443);
    EXPECT_FALSE(parsed.value) << bad;
    EXPECT_FALSE(parsed.error.empty()) << bad;
  }
  EXPECT_EQ(parse_endpoint("host:x", 443).error, "bad port 'x'");
  EXPECT_EQ(parse_endpoint("[::1", 443).error, "missing ']' in [::1");
}

TEST(FormatEndpoint, BracketsIpv6Only) {
  EXPECT_EQ(format_endpoint({"example.com", 443}), "example.com:443");
  EXPECT_EQ(format_endpoint({"127.0.0.1", 0}), "127.0.0.1:0");
  EXPECT_EQ(format_endpoint({"::1", 4433}), "[::1]:4433");
}

TEST(FormatEndpoint, RoundTrips) {
  for (std::string_view text : {"example.com:443", "127.0.0.1:8443", "[::1]:4433"}) {
    auto parsed = parse_endpoint(text, 1);
    ASSERT_TRUE(parsed.value) << text;
    EXPECT_EQ(format_endpoint(*parsed.value), text);
  }
}

TEST(ParseNameList, SplitsOnCommas) {
  auto names = parse_name_list("h2,http/1.1");
  ASSERT_TRUE(names.value);
  EXPECT_EQ(*names.value, (std::vector<std::string>{"h2", "http/1.1"}));
  auto one = parse_name_list("h2");
  ASSERT_TRUE(one.value);
  EXPECT_EQ(*one.value, std::vector<std::string>{"h2"});
}

TEST(ParseNameList, RejectsEmptyItems) {
  for (std::string_view bad : {"", ",", "h2,", ",h2", "h2,,http/1.1"}) {
    EXPECT_FALSE(parse_name_list(bad).value) << bad;
    EXPECT_EQ(parse_name_list(bad).error, "empty item in list") << bad;
  }
}

TEST(ParseCipherList, KnownNamesInOrder) {
  auto suites = parse_cipher_list("TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256");
  ASSERT_TRUE(suites.value) << suites.error;
  EXPECT_EQ(*suites.value, (std::vector<CipherSuite>{CipherSuite::tls_chacha20_poly1305_sha256,
                                                     CipherSuite::tls_aes_128_gcm_sha256}));
  auto unknown = parse_cipher_list("TLS_AES_128_GCM_SHA256,TLS_NOPE");
  EXPECT_FALSE(unknown.value);
  EXPECT_EQ(unknown.error, "unknown cipher suite 'TLS_NOPE'");
  EXPECT_EQ(parse_cipher_list("").error, "empty item in list");
}

TEST(ParseGroupList, IanaAndNistNames) {
  auto groups = parse_group_list("x25519,P-256,secp384r1");
  ASSERT_TRUE(groups.value) << groups.error;
  EXPECT_EQ(*groups.value, (std::vector<NamedGroup>{NamedGroup::x25519, NamedGroup::secp256r1,
                                                    NamedGroup::secp384r1}));
  EXPECT_EQ(parse_group_list("x9999").error, "unknown group 'x9999'");
}

TEST(ParseTlsChoices, AbsentOptionsLeaveDefaults) {
  auto args = parse({"--pipe"});
  ASSERT_TRUE(args.value);
  auto choices = parse_tls_choices(*args.value);
  ASSERT_TRUE(choices.value) << choices.error;
  EXPECT_TRUE(choices.value->cipher_suites.empty());
  EXPECT_TRUE(choices.value->groups.empty());
  EXPECT_TRUE(choices.value->alpn.empty());
}

TEST(ParseTlsChoices, ReadsEachOption) {
  constexpr OptionSpec specs[] = {
      {"ciphers", "LIST", ""}, {"groups", "LIST", ""}, {"alpn", "LIST", ""}};
  Argv argv{"--ciphers", "TLS_AES_256_GCM_SHA384", "--groups=secp256r1", "--alpn", "h2"};
  auto args = parse_args(argv.span(), specs);
  ASSERT_TRUE(args.value) << args.error;
  auto choices = parse_tls_choices(*args.value);
  ASSERT_TRUE(choices.value) << choices.error;
  EXPECT_EQ(choices.value->cipher_suites,
            std::vector<CipherSuite>{CipherSuite::tls_aes_256_gcm_sha384});
  EXPECT_EQ(choices.value->groups, std::vector<NamedGroup>{NamedGroup::secp256r1});
  EXPECT_EQ(choices.value->alpn, std::vector<std::string>{"h2"});
}

TEST(ParseTlsChoices, ReportsTheBadOption) {
  constexpr OptionSpec specs[] = {
      {"ciphers", "LIST", ""}, {"groups", "LIST", ""}, {"alpn", "LIST", ""}};
  Argv bad_alpn{"--alpn", "h2,"};
  auto args = parse_args(bad_alpn.span(), specs);
  ASSERT_TRUE(args.value);
  EXPECT_EQ(parse_tls_choices(*args.value).error, "--alpn: empty item in list");
  Argv bad_group{"--groups", "x25519,ffdhe1"};
  args = parse_args(bad_group.span(), specs);
  ASSERT_TRUE(args.value);
  EXPECT_EQ(parse_tls_choices(*args.value).error, "unknown group 'ffdhe1'");
}

TEST(ParseTlsChoices, VersionsAndTls12SuiteNames) {
  constexpr OptionSpec specs[] = {
      {"ciphers", "LIST", ""}, {"min-version", "V", ""}, {"max-version", "V", ""}};
  Argv argv{"--ciphers", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "--min-version", "1.2",
            "--max-version=1.2"};
  auto args = parse_args(argv.span(), specs);
  ASSERT_TRUE(args.value) << args.error;
  auto choices = parse_tls_choices(*args.value);
  ASSERT_TRUE(choices.value) << choices.error;
  EXPECT_EQ(choices.value->cipher_suites,
            std::vector<CipherSuite>{CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384});
  EXPECT_EQ(choices.value->min_version, ProtocolVersion::tls12);
  EXPECT_EQ(choices.value->max_version, ProtocolVersion::tls12);
  Argv old{"--min-version", "1.1"};
  args = parse_args(old.span(), specs);
  ASSERT_TRUE(args.value);
  EXPECT_EQ(parse_tls_choices(*args.value).error,
            "--min-version: unknown version '1.1' (1.2 or 1.3)");
}

TEST(ParseSeconds, WholeAndDecimalSecondsUpToADay) {
  EXPECT_EQ(parse_seconds("10").value, std::chrono::milliseconds(10000));
  EXPECT_EQ(parse_seconds("0.5").value, std::chrono::milliseconds(500));
  EXPECT_EQ(parse_seconds("0.125").value, std::chrono::milliseconds(125));
  EXPECT_EQ(parse_seconds("0").value, std::chrono::milliseconds(0));
  EXPECT_EQ(parse_seconds("86400").value, std::chrono::milliseconds(86400000));
  for (const char* bad : {"", ".5", "1.", "1.2345", "-1", "1e3", "86401", "ten", "1.x"}) {
    EXPECT_FALSE(parse_seconds(bad).value) << bad;
  }
  EXPECT_EQ(parse_seconds("x").error, "'x' is not a number of seconds");
}

TEST(ParseCount, FromOneToTheMaximum) {
  EXPECT_EQ(parse_count("1", 10).value, 1u);
  EXPECT_EQ(parse_count("10", 10).value, 10u);
  for (const char* bad : {"0", "11", "", "-1", "2x"})
    EXPECT_FALSE(parse_count(bad, 10).value) << bad;
}

std::chrono::system_clock::time_point unix_time(int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

TEST(ParseTime, Rfc3339InUtcAndWithOffsets) {
  EXPECT_EQ(parse_time("2026-01-01T00:00:00Z").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("2026-01-01t00:00:00z").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("2026-01-01 00:00:00Z").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("1970-01-01T00:00:00Z").value, unix_time(0));
  EXPECT_EQ(parse_time("2024-02-29T12:34:56Z").value, unix_time(1709210096));
  // The fraction of a second is dropped; a leap second is the second before.
  EXPECT_EQ(parse_time("2026-01-01T00:00:00.999Z").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("2016-12-31T23:59:60Z").value, unix_time(1483228799));
  // Local time = UTC + offset.
  EXPECT_EQ(parse_time("2026-01-01T01:00:00+01:00").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("2025-12-31T19:30:00-04:30").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("1950-06-15T00:00:00Z").value, unix_time(-616896000));
}

TEST(ParseTime, DatesAndUnixSeconds) {
  EXPECT_EQ(parse_time("2026-01-01").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("@1767225600").value, unix_time(1767225600));
  EXPECT_EQ(parse_time("@0").value, unix_time(0));
  EXPECT_EQ(parse_time("@9214646399").value, unix_time(9214646399));
  EXPECT_EQ(parse_time("2261-12-31T23:59:59Z").value, unix_time(9214646399));
}

TEST(ParseTime, RejectsWhatIsNotATime) {
  for (const char* bad : {"",
                          "@",
                          "now",
                          "2026",
                          "2026-1-01",
                          "2026-13-01",
                          "2026-02-29",
                          "2026-04-31",
                          "2026-00-10",
                          "1899-12-31",
                          "2262-01-01",
                          "2026-01-01T",
                          "2026-01-01T00:00Z",
                          "2026-01-01T24:00:00Z",
                          "2026-01-01T00:60:00Z",
                          "2026-01-01T00:00:61Z",
                          "2026-01-01T00:00:00",
                          "2026-01-01T00:00:00+0100",
                          "2026-01-01T00:00:00+24:00",
                          "2026-01-01T00:00:00.Z",
                          "2026-01-01T00:00:00ZZ",
                          "2026-01-01X00:00:00Z",
                          "-1",
                          "9309830400",
                          "99999999999999999999",
                          "1e9",
                          " 2026-01-01"}) {
    EXPECT_FALSE(parse_time(bad).value) << bad;
  }
  EXPECT_EQ(parse_time("soon").error,
            "'soon' is not a time (RFC 3339 like 2026-01-01T00:00:00Z, a date, or @UNIX-SECONDS)");
}

TEST(FormatOptions, AlignsAndWrapsTheHelp) {
  constexpr OptionSpec specs[] = {
      {"pipe", {}, "copy stdin"},
      {"cafile", "PEM", "trust the CA certificates in PEM"},
      {"a-rather-long-option-name", "VALUE", "short"},
      {"wordy",
       {},
       "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
       "fifteen"},
  };
  EXPECT_EQ(format_options(specs),
            "    --pipe                  copy stdin\n"
            "    --cafile PEM            trust the CA certificates in PEM\n"
            "    --a-rather-long-option-name VALUE\n"
            "                            short\n"
            "    --wordy                 one two three four five six seven eight nine ten eleven\n"
            "                            twelve thirteen fourteen fifteen\n");
}

}  // namespace
}  // namespace bastion::cli
