#include "x509/names.hpp"

#include <gtest/gtest.h>

#include "unit/x509/test_support.hpp"

namespace bastion::x509 {
namespace {

struct MatchCase {
  const char* presented;
  const char* reference;
  bool matches;
};

TEST(HostnameMatching, Table) {
  const MatchCase cases[] = {
      {"example.com", "example.com", true},
      {"example.com", "EXAMPLE.com", true},
      {"ExAmPlE.CoM", "example.com", true},
      {"example.com", "example.com.", true},   // a trailing dot on the reference is ignored
      {"example.com.", "example.com", false},  // but not on the presented name
      {"example.com", "example.com..", false},
      {"example.com", "www.example.com", false},
      {"www.example.com", "example.com", false},
      {"example.com", "example.org", false},
      {"*.example.com", "www.example.com", true},
      {"*.example.com", "WWW.Example.Com", true},
      {"*.example.com", "example.com", false},      // the wildcard needs a label
      {"*.example.com", "a.b.example.com", false},  // exactly one label
      {"*.example.com", ".example.com", false},
      {"w*.example.com", "www.example.com", false},  // partial-label wildcards: never
      {"*w.example.com", "www.example.com", false},
      {"www.*.com", "www.example.com", false},  // only the leftmost label
      {"*.*.example.com", "a.b.example.com", false},
      {"*", "localhost", false},
      {"*.com", "example.com", false},  // needs two labels after the wildcard
      {"xn--bcher-kva.example", "xn--bcher-kva.example", true},
      {"*.xn--bcher-kva.example", "a.xn--bcher-kva.example", true},
      {"xn--*-kva.example", "xn--bcher-kva.example", false},
      {"bücher.example", "bücher.example", false},  // not LDH: never matches
      {"under_score.example", "under_score.example", false},
      {"localhost", "localhost", true},
      {"127.0.0.1", "127.0.0.1", true},  // DNS vs DNS compare; verify_server_name routes IPs
      {"", "example.com", false},
      {"example.com", "", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(dns_name_matches(c.presented, c.reference), c.matches)
        << c.presented << " vs " << c.reference;
  }
}

TEST(IpAddresses, ParseAndFormat) {
  EXPECT_EQ(parse_ip_address("192.0.2.1"), (std::vector<uint8_t>{192, 0, 2, 1}));
  EXPECT_FALSE(parse_ip_address("192.0.2"));
  EXPECT_FALSE(parse_ip_address("192.0.2.256"));
  EXPECT_FALSE(parse_ip_address("192.0.2.01"));  // leading zeros are ambiguous (octal)
  EXPECT_FALSE(parse_ip_address("0x7f.0.0.1"));
  EXPECT_FALSE(parse_ip_address("example.com"));
  const auto v6 = parse_ip_address("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->size(), 16u);
  EXPECT_EQ(format_ip_address(*v6), "2001:db8::1");
  EXPECT_EQ(parse_ip_address("::1"), parse_ip_address("0:0:0:0:0:0:0:1"));
  EXPECT_EQ(parse_ip_address("::FFFF:192.0.2.1"), parse_ip_address("::ffff:c000:201"));
  EXPECT_TRUE(parse_ip_address("::"));
  EXPECT_FALSE(parse_ip_address("1::2::3"));
  EXPECT_FALSE(parse_ip_address("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(parse_ip_address("1:2:3:4:5:6:7"));
  EXPECT_FALSE(parse_ip_address("fe80::1%eth0"));
  EXPECT_FALSE(parse_ip_address("12345::"));
  EXPECT_FALSE(parse_ip_address("1:"));
  EXPECT_EQ(format_ip_address(*parse_ip_address("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");
  EXPECT_EQ(format_ip_address(*parse_ip_address("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(format_ip_address(*parse_ip_address("::")), "::");
  EXPECT_EQ(format_ip_address(std::vector<uint8_t>{10, 0, 0, 1}), "10.0.0.1");
}

CertificatePtr parse(const char* pem) {
  auto c = Certificate::parse(testing::der_of(pem));
  return c.ok() ? *c : nullptr;
}

TEST(ServerName, SubjectAltNameOnly) {
  const auto leaf = parse(testing::k_leaf_ec);
  ASSERT_TRUE(leaf);
  EXPECT_TRUE(verify_server_name(*leaf, "example.com").ok());
  EXPECT_TRUE(verify_server_name(*leaf, "api.example.com").ok());
  EXPECT_TRUE(verify_server_name(*leaf, "127.0.0.1").ok());
  EXPECT_TRUE(verify_server_name(*leaf, "::1").ok());
  EXPECT_TRUE(verify_server_name(*leaf, "0:0::1").ok());
  const auto wrong = verify_server_name(*leaf, "example.org");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::certificate_name_mismatch);
  EXPECT_FALSE(verify_server_name(*leaf, "127.0.0.2").ok());
  EXPECT_FALSE(verify_server_name(*leaf, "a.b.example.com").ok());
  // The RSA leaf's subject CN is rsa.example.com and so is its SAN; the Ed25519 leaf's CN is
  // ed.example.com: a CN alone never matches.
  const auto rsa = parse(testing::k_leaf_rsa);
  ASSERT_TRUE(rsa);
  EXPECT_FALSE(verify_server_name(*rsa, "example.com").ok());
}

TEST(ServerName, IpLiteralsMatchOnlyIpSans) {
  // A dNSName "127.0.0.1" must not satisfy an IP reference (RFC 9525 §6.4.4): the leaf has
  // an iPAddress 127.0.0.1, and no dNSName for it, so this checks the positive direction and
  // a literal that is absent.
  const auto leaf = parse(testing::k_leaf_ed);
  ASSERT_TRUE(leaf);
  EXPECT_FALSE(verify_server_name(*leaf, "127.0.0.1").ok());
}

GeneralName dns(const char* text) {
  return {GeneralName::Kind::dns,
          {reinterpret_cast<const uint8_t*>(text), std::char_traits<char>::length(text)}};
}

GeneralName ip(const std::vector<uint8_t>& bytes) {
  return {GeneralName::Kind::ip, bytes};
}

Result<void> check_within_budget(const NameConstraints& nc, const Certificate& cert) {
  size_t budget = kMaxNameComparisons;
  return check_name_constraints(nc, cert, budget);
}

NameConstraint constraint(const GeneralName& base) {
  return prepare_name_constraint(base);
}

ErrorCode code_of(const Result<void>& r) {
  return r.ok() ? ErrorCode::internal_error : r.error().code;
}

TEST(NameConstraints, DnsSubtreesAndWildcards) {
  // leaf_ec: subject CN=example.com; SANs example.com, *.example.com, 127.0.0.1, ::1.
  const auto leaf = parse(testing::k_leaf_ec);
  ASSERT_TRUE(leaf);
  NameConstraints nc;
  nc.permitted = {constraint(dns("example.com"))};
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
  nc.permitted = {constraint(dns("EXAMPLE.COM"))};
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
  nc.permitted = {constraint(dns("com"))};
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
  nc.permitted = {constraint(dns("ample.com"))};  // not a label boundary
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  // *.example.com can name hosts outside www.example.com.
  nc.permitted = {constraint(dns("example.com")), constraint(dns("www.example.com"))};
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
  nc.permitted = {constraint(dns("www.example.com"))};
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  // ... and can name an excluded host.
  nc.permitted.clear();
  nc.excluded = {constraint(dns("bar.example.com"))};
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  nc.excluded = {
      constraint(dns("a.bar.example.com"))};  // two labels below: out of the wildcard's reach
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
  nc.excluded = {constraint(dns(".example.com"))};  // malformed constraint
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::bad_certificate);
}

TEST(NameConstraints, EveryComparisonSpendsTheSharedBudget) {
  const auto leaf = parse(testing::k_leaf_ec);  // two dNSName and two iPAddress SANs
  ASSERT_TRUE(leaf);
  std::vector<std::string> hosts;
  for (int i = 0; i < 10; ++i) hosts.push_back("host" + std::to_string(i) + ".example.net");
  NameConstraints nc;
  for (const auto& host : hosts) nc.excluded.push_back(constraint(dns(host.c_str())));
  // Five names (the subject as a directoryName, two DNS and two IP SANs), ten constraints
  // each: constraints of another kind cost as much as those of the name's own.
  size_t budget = 1000;
  ASSERT_TRUE(check_name_constraints(nc, *leaf, budget).ok());
  EXPECT_EQ(budget, 1000u - 5 * 10) << "one comparison per name and constraint looked at";
  budget = 49;
  auto out_of_budget = check_name_constraints(nc, *leaf, budget);
  ASSERT_FALSE(out_of_budget.ok());
  EXPECT_EQ(out_of_budget.error().code, ErrorCode::name_constraint_violated);
  EXPECT_EQ(budget, 0u);
}

TEST(NameConstraints, IpSubtrees) {
  const auto leaf = parse(testing::k_leaf_ec);
  ASSERT_TRUE(leaf);
  const std::vector<uint8_t> loopback8{127, 0, 0, 0, 255, 0, 0, 0};
  const std::vector<uint8_t> ten8{10, 0, 0, 0, 255, 0, 0, 0};
  const std::vector<uint8_t> any6(32, 0);
  const std::vector<uint8_t> holes{127, 0, 0, 0, 255, 0, 255, 0};
  NameConstraints nc;
  nc.permitted = {constraint(ip(loopback8)), constraint(ip(any6))};
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
  nc.permitted = {constraint(ip(ten8)), constraint(ip(any6))};
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  nc.permitted = {constraint(ip(loopback8))};  // ::1 is outside every permitted (IPv4) subtree
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  nc.permitted.clear();
  nc.excluded = {constraint(ip(loopback8))};
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  nc.excluded = {constraint(ip(holes))};  // not a CIDR mask
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::bad_certificate);
}

TEST(NameConstraints, DirectoryNames) {
  const auto leaf = parse(testing::k_leaf_nc_ok);  // CN=www.example.org
  const auto inter = parse(testing::k_inter);      // O=Bastion Test, CN=...
  ASSERT_TRUE(leaf && inter);
  // Permit the intermediate's subject prefix "O=Bastion Test": the first RDN of its DN.
  const auto& rdn = inter->subject().rdns.front().raw;
  const auto name = testing::tlv(0x30, std::vector<uint8_t>(rdn.begin(), rdn.end()));
  NameConstraints nc;
  nc.permitted = {constraint(GeneralName{GeneralName::Kind::directory, name})};
  EXPECT_TRUE(check_within_budget(nc, *inter).ok());
  EXPECT_EQ(code_of(check_within_budget(nc, *leaf)), ErrorCode::name_constraint_violated);
  nc.permitted.clear();
  nc.excluded = {constraint(GeneralName{GeneralName::Kind::directory, name})};
  EXPECT_EQ(code_of(check_within_budget(nc, *inter)), ErrorCode::name_constraint_violated);
  EXPECT_TRUE(check_within_budget(nc, *leaf).ok());
}

TEST(NameConstraints, PermittedDns) {
  const auto ca = parse(testing::k_inter_nc);
  const auto ok = parse(testing::k_leaf_nc_ok);
  const auto bad = parse(testing::k_leaf_nc_bad);
  ASSERT_TRUE(ca && ok && bad && ca->name_constraints());
  EXPECT_TRUE(check_within_budget(*ca->name_constraints(), *ok).ok());
  const auto r = check_within_budget(*ca->name_constraints(), *bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::name_constraint_violated);
}

}  // namespace
}  // namespace bastion::x509
