// demarche::String, the string alternative of Value: one shared, immutable block per text,
// which must behave exactly like the std::string it replaced (content, order, hash) while
// keeping Value at 16 bytes and copies free of allocation, also across threads.
#include <demarche/value.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

using namespace demarche;
using boost::variant2::get;
using boost::variant2::holds_alternative;

namespace {

// Short texts over few bytes, so that equal strings, prefixes, NUL bytes and bytes above
// 0x7f (which order after ASCII when compared as unsigned, as std::string compares) all
// occur often.
std::vector<std::string> random_texts(std::size_t n) {
    std::mt19937 rng(20240617);
    const std::string alphabet("a\0b\x7f\x80\xff", 6);
    std::uniform_int_distribution<std::size_t> length(0, 5);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        std::string s;
        for (std::size_t k = length(rng); k > 0; --k) s += alphabet[pick(rng)];
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

TEST_CASE("a String is one pointer and moves without throwing", "[string]") {
    CHECK(sizeof(String) == sizeof(void*));
    STATIC_REQUIRE(std::is_nothrow_move_constructible_v<String>);
    STATIC_REQUIRE(std::is_nothrow_move_assignable_v<String>);
}

TEST_CASE("a String is made from a C string, a std::string or a string_view", "[string]") {
    const String from_c = "abc";
    const String from_string = std::string("abc");
    const String from_view = std::string_view("abc");
    CHECK(from_c == from_string);
    CHECK(from_view == "abc");
    CHECK(from_c.str() == "abc");
    CHECK(std::string_view(from_view) == "abc");
}

TEST_CASE("copies of a String share its text", "[string]") {
    const String a(std::string(100, 'x'));
    const String b = a;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
    CHECK(b.data() == a.data());
    String c;
    c = b;
    CHECK(c.data() == a.data());
    CHECK(c == std::string(100, 'x'));
}

TEST_CASE("the empty String holds no block and reads as empty text", "[string]") {
    const String none;
    CHECK(none.empty());
    CHECK(none.size() == 0);
    CHECK(none.view().empty());
    CHECK(std::string_view(none.c_str()).empty());
    CHECK(none.str().empty());
    CHECK(String("").empty());
    CHECK(String(std::string()).empty());
    CHECK(String(std::string_view()).empty());
    CHECK(none == String(""));
    CHECK(none == "");
    CHECK(none < String("a"));
    CHECK(none.hash() == std::hash<std::string>{}(std::string()));
    CHECK_FALSE(String("a").empty());
}

TEST_CASE("a String keeps NUL bytes and ends with one more", "[string]") {
    const std::string text("a\0b\0", 4);
    const String s(text);
    CHECK(s.size() == 4);
    CHECK(s.view() == text);
    CHECK(s.str() == text);
    CHECK(s.c_str()[4] == '\0');
    CHECK(s != String("a"));
    CHECK(String("a") < s);
    CHECK(s.hash() == std::hash<std::string>{}(text));
}

TEST_CASE("String compares and orders as std::string on random texts", "[string]") {
    const std::vector<std::string> texts = random_texts(150);
    std::vector<String> strings(texts.begin(), texts.end());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        for (std::size_t j = 0; j < texts.size(); ++j) {
            const std::string& a = texts[i];
            const std::string& b = texts[j];
            const String& sa = strings[i];
            const String& sb = strings[j];
            INFO("texts " << i << " and " << j);
            CHECK((sa <=> sb) == (a <=> b));
            CHECK((sa == sb) == (a == b));
            CHECK((sa < sb) == (a < b));
            CHECK((sa <=> b) == (a <=> b));
            CHECK((sa == std::string_view(b)) == (a == b));
        }
    }
}

TEST_CASE("equal Strings hash alike, and as std::string does", "[string]") {
    // hash_value of a string Value hashed std::string, and must not change.
    for (const std::string& text : random_texts(200)) {
        const String a(text);
        const String b(std::string_view(text.data(), text.size()));  // a block of its own
        CHECK(a == b);
        CHECK(a.hash() == b.hash());
        CHECK(a.hash() == std::hash<std::string>{}(text));
    }
}

TEST_CASE("a moved-from String is empty and still usable", "[string]") {
    String a("some text");
    const char* chars = a.data();
    String b(std::move(a));
    CHECK(b.data() == chars);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the test
    CHECK(a.view().empty());
    a = String("again");
    CHECK(a == "again");
    String c;
    c = std::move(b);
    CHECK(c.data() == chars);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move)

    String& same = c;  // assigning a String to itself keeps its text
    c = same;
    CHECK(c == "some text");
    c = std::move(same);
    CHECK(c == "some text");
}

TEST_CASE("copies of one String made and dropped on two threads", "[string][threads]") {
    const String shared("shared between threads");
    // Catch's assertions are not thread-safe: each thread counts what it read instead.
    auto copy_many = [&shared](std::size_t& bytes) {
        for (int i = 0; i < 100000; ++i) {
            String copy = shared;
            String other("local");
            other = copy;
            bytes += other.size();
        }
    };
    std::size_t first_bytes = 0;
    std::size_t second_bytes = 0;
    std::thread first(copy_many, std::ref(first_bytes));
    std::thread second(copy_many, std::ref(second_bytes));
    first.join();
    second.join();
    CHECK(first_bytes == 100000 * 22);
    CHECK(second_bytes == 100000 * 22);
    CHECK(shared == "shared between threads");

    // The last reference to each block is dropped on whichever thread comes second, after
    // both read the text: the release must order the other thread's reads before the free.
    std::vector<String> left;
    std::vector<String> right;
    {
        std::vector<String> texts;
        for (int i = 0; i < 10000; ++i) texts.emplace_back("text " + std::to_string(i));
        left = texts;
        right = texts;
    }
    auto drop_all = [](std::vector<String>& strings) {
        std::size_t bytes = 0;
        for (String& s : strings) {
            bytes += s.view().size();
            s = String();
        }
        return bytes;
    };
    std::size_t left_bytes = 0;
    std::thread drop_left([&] { left_bytes = drop_all(left); });
    const std::size_t right_bytes = drop_all(right);
    drop_left.join();
    CHECK(left_bytes == right_bytes);
}

TEST_CASE("a Value holding a String is 16 bytes, and its copies share the text", "[string]") {
    if constexpr (sizeof(void*) == 8) CHECK(sizeof(Value) == 16);
    STATIC_REQUIRE(std::is_nothrow_move_constructible_v<Value>);
    const String text(std::string(100, 'x'));
    const Value v(text);
    const Value w = v;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
    CHECK(get<String>(w).data() == text.data());
}

TEST_CASE("string Values order, compare and hash by content", "[string]") {
    const std::vector<std::string> texts = random_texts(100);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        for (std::size_t j = 0; j < texts.size(); ++j) {
            const Value a(String(texts[i]));  // each Value its own block, even for equal texts
            const Value b(String(texts[j]));
            INFO("texts " << i << " and " << j);
            CHECK((a < b) == (texts[i] < texts[j]));
            CHECK(same_value(a, b) == (texts[i] == texts[j]));
            if (texts[i] == texts[j]) CHECK(hash_value(a) == hash_value(b));
        }
    }
}

TEST_CASE("a Value made from std::string holds a String, one made from a bare literal a bool", "[string]") {
    // Boost.Variant2 prefers the built-in pointer-to-bool conversion over String's
    // constructor, as it did over std::string's; value.hpp says to write Value(String(...)).
    const Value from_string = std::string("abc");
    const Value from_view = std::string_view("abc");
    const Value from_string_class(String("abc"));
    const Value from_literal = "abc";
    CHECK(holds_alternative<String>(from_string));
    CHECK(holds_alternative<String>(from_view));
    CHECK(holds_alternative<String>(from_string_class));
    CHECK(get<String>(from_string_class) == "abc");
    CHECK(holds_alternative<bool>(from_literal));
}
