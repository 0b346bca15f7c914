// The CLI's JSON writer (tools/bastion/json.cpp): escaping, UTF-8 repair and layout.
#include "json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bastion::cli {
namespace {

TEST(JsonQuote, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(json_quote(""), "\"\"");
  EXPECT_EQ(json_quote("CN=a \"b\" \\c"), "\"CN=a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(json_quote("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
  EXPECT_EQ(json_quote(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\\u007f\"");
  EXPECT_EQ(json_quote("/ and <script>"), "\"/ and <script>\"");
}

TEST(JsonQuote, KeepsValidUtf8) {
  EXPECT_EQ(json_quote("Zürich"), "\"Zürich\"");
  EXPECT_EQ(json_quote("\xe2\x82\xac"), "\"\xe2\x82\xac\"");          // U+20AC
  EXPECT_EQ(json_quote("\xf0\x9f\x94\x92"), "\"\xf0\x9f\x94\x92\"");  // U+1F512
  EXPECT_EQ(json_quote("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");  // U+10FFFF
}

TEST(JsonQuote, ReplacesInvalidUtf8) {
  const std::string replacement = "\\ufffd";
  // A lone continuation byte, a truncated sequence, Latin-1, an overlong '/', a surrogate
  // (U+D800), past U+10FFFF, and bytes that never appear in UTF-8.
  EXPECT_EQ(json_quote("\x80"), "\"" + replacement + "\"");
  EXPECT_EQ(json_quote("a\xe2\x82"), "\"a" + replacement + replacement + "\"");
  EXPECT_EQ(json_quote("Z\xfcrich"), "\"Z" + replacement + "rich\"");
  EXPECT_EQ(json_quote("\xc0\xaf"), "\"" + replacement + replacement + "\"");
  EXPECT_EQ(json_quote("\xed\xa0\x80"), "\"" + replacement + replacement + replacement + "\"");
  EXPECT_EQ(json_quote("\xf4\x90\x80\x80"),
            "\"" + replacement + replacement + replacement + replacement + "\"");
  EXPECT_EQ(json_quote("\xfe\xff"), "\"" + replacement + replacement + "\"");
}

TEST(JsonWriter, NestedObjectsAndArrays) {
  JsonWriter json;
  json.begin_object();
  json.key("version").string("TLSv1.3");
  json.key("port").number(443);
  json.key("resumed").boolean(false);
  json.key("alpn").null();
  json.key("names").strings({"a", "b"});
  json.key("empty").strings({});
  json.key("chain").begin_array();
  json.begin_object().key("subject").string("CN=x").end_object();
  json.end_array();
  json.key("none").begin_object().end_object();
  json.key("maybe").string_or_null(std::nullopt);
  json.key("negative").number(-5);
  json.end_object();
  EXPECT_EQ(json.finish(),
            "{\n"
            "  \"version\": \"TLSv1.3\",\n"
            "  \"port\": 443,\n"
            "  \"resumed\": false,\n"
            "  \"alpn\": null,\n"
            "  \"names\": [\n"
            "    \"a\",\n"
            "    \"b\"\n"
            "  ],\n"
            "  \"empty\": [],\n"
            "  \"chain\": [\n"
            "    {\n"
            "      \"subject\": \"CN=x\"\n"
            "    }\n"
            "  ],\n"
            "  \"none\": {},\n"
            "  \"maybe\": null,\n"
            "  \"negative\": -5\n"
            "}\n");
}

TEST(JsonWriter, KeysAreEscapedToo) {
  JsonWriter json;
  json.begin_object().key("a\"b").string("\x01").end_object();
  EXPECT_EQ(json.finish(), "{\n  \"a\\\"b\": \"\\u0001\"\n}\n");
}

}  // namespace
}  // namespace bastion::cli
