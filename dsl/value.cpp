// Symbol interning, string storage and the printed forms of values.
#include <demarche/value.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>
#include <deque>
#include <new>
#include <vector>

namespace demarche {

namespace {

// Open addressing over (hash, text) pairs: a lookup touches one or two cache lines,
// where a node-based set chases a pointer per probe. With a million distinct names,
// as a large fact file has, that decides how fast facts load.
class SymbolTable {
public:
    const std::string* intern(std::string_view name) {
        std::size_t h = std::hash<std::string_view>{}(name);
        if ((count_ + 1) * 4 > slots_.size() * 3) grow();
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            Slot& slot = slots_[i];
            if (slot.text == nullptr) {
                slot = {h, &texts_.emplace_back(name)};
                ++count_;
                return slot.text;
            }
            if (slot.hash == h && *slot.text == name) return slot.text;
        }
    }

private:
    struct Slot {
        std::size_t hash = 0;
        const std::string* text = nullptr;
    };

    void grow() {
        std::vector<Slot> old(slots_.empty() ? 1024 : slots_.size() * 2);
        old.swap(slots_);
        std::size_t mask = slots_.size() - 1;
        for (const Slot& slot : old) {
            if (slot.text == nullptr) continue;
            std::size_t i = slot.hash & mask;
            while (slots_[i].text != nullptr) i = (i + 1) & mask;
            slots_[i] = slot;
        }
    }

    std::vector<Slot> slots_;
    std::deque<std::string> texts_;  // a deque never moves its elements
    std::size_t count_ = 0;
};

}  // namespace

Symbol Symbol::intern(std::string_view name) {
    static std::mutex mutex;
    static auto* table = new SymbolTable();  // never destroyed: symbols outlive every object
    std::lock_guard lock(mutex);
    return Symbol(table->intern(name));
}

String::String(std::string_view text) {
    if (text.empty()) return;
    void* memory = ::operator new(sizeof(Block) + text.size() + 1);
    block_ = new (memory) Block{{1}, text.size()};
    char* chars = reinterpret_cast<char*>(block_ + 1);
    std::memcpy(chars, text.data(), text.size());
    chars[text.size()] = '\0';
}

void String::destroy(Block* block) noexcept {
    block->~Block();
    ::operator delete(block);
}

std::string_view kind_name(ValueKind k) noexcept {
    switch (k) {
    case ValueKind::Symbol: return "symbol";
    case ValueKind::String: return "string";
    case ValueKind::Int: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::Bool: return "bool";
    }
    return "?";
}

bool same_value(const Value& a, const Value& b) noexcept {
    if (a.index() != b.index()) return false;
    if (auto* x = boost::variant2::get_if<double>(&a)) {
        double y = boost::variant2::get<double>(b);
        // NaN equals NaN here, so a fact holding NaN is still found as a duplicate.
        return *x == y || (std::isnan(*x) && std::isnan(y));
    }
    return a == b;
}

std::size_t hash_value(const Value& v) noexcept {
    std::size_t h = 0;
    switch (kind_of(v)) {
    case ValueKind::Symbol: h = boost::variant2::get<Symbol>(v).hash(); break;
    case ValueKind::String: h = boost::variant2::get<String>(v).hash(); break;
    case ValueKind::Int: h = std::hash<std::int64_t>{}(boost::variant2::get<std::int64_t>(v)); break;
    case ValueKind::Float: {
        double d = boost::variant2::get<double>(v);
        h = std::isnan(d) ? 0x7ff8 : std::hash<double>{}(d == 0.0 ? 0.0 : d);
        break;
    }
    case ValueKind::Bool: h = boost::variant2::get<bool>(v) ? 1 : 2; break;
    }
    return h * 31 + v.index();
}

std::string format_float(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

std::string to_display(const Value& v) {
    switch (kind_of(v)) {
    case ValueKind::Symbol: return boost::variant2::get<Symbol>(v).name();
    case ValueKind::String: return boost::variant2::get<String>(v).str();
    case ValueKind::Int: return std::to_string(boost::variant2::get<std::int64_t>(v));
    case ValueKind::Float: return format_float(boost::variant2::get<double>(v));
    case ValueKind::Bool: return boost::variant2::get<bool>(v) ? "true" : "false";
    }
    return {};
}

std::string to_source(const Value& v) {
    if (kind_of(v) != ValueKind::String) return to_display(v);
    std::string out = "\"";
    for (char c : boost::variant2::get<String>(v).view()) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default: out += c;
        }
    }
    out += '"';
    return out;
}

}  // namespace demarche
