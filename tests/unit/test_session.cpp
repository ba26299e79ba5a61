// A live Session: facts asserted, retracted and modified from C++ values between runs,
// and runs that continue where the last one stopped.
#include <demarche/demarche.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using demarche::FieldValues;
using demarche::Symbol;
using demarche::Value;

const char* shop_rules = R"(
template item { name: symbol  price: int  weight: float = 1.0 }
template cheap { name: symbol }
template order { name: symbol  qty: int = 1 }
template stop { }
rule find_cheap when item(name: ?n, price: ?p) where ?p < 10 then
  assert logical cheap(name: ?n)
  print "cheap: ", ?n
end
rule ship when order(name: ?n, qty: ?q) then print "ship ", ?q, " ", ?n end
rule halt_on_stop when ?s <- stop() then retract ?s halt end
rule divide when item(name: broken, price: ?p) then print 100 / ?p end
facts { item(name: pen, price: 3) }
)";

demarche::ProgramPtr compile(const char* text) {
    demarche::CompileResult c = demarche::compile_string(text, "shop.rules");
    INFO((c.diagnostics.empty() ? std::string() : demarche::render_diagnostic(c.diagnostics.front())));
    REQUIRE(c.ok());
    return c.program;
}

demarche::RunOptions options(demarche::Strategy strategy, std::optional<std::uint64_t> max_fires = std::nullopt,
                             demarche::Observer* observer = nullptr) {
    demarche::RunOptions o;
    o.strategy = strategy;
    o.max_fires = max_fires;
    o.observer = observer;
    return o;
}

Value sym(const char* s) { return Value(Symbol::intern(s)); }
Value num(std::int64_t i) { return Value(i); }

std::vector<std::string> derived_names(const demarche::Session& s) {
    std::vector<std::string> out;
    for (const demarche::FactInfo& f : s.facts())
        if (f.derived) out.push_back(f.template_name + " " + demarche::to_display(f.values.at(0)));
    return out;
}

// Records the events it sees, one line each.
struct Events final : demarche::Observer {
    std::vector<std::string> lines;
    void on_assert(const demarche::FactView& f) override { lines.push_back("+f-" + std::to_string(f.id())); }
    void on_retract(const demarche::FactView& f) override { lines.push_back("-f-" + std::to_string(f.id())); }
    void on_fire(std::uint64_t n, const demarche::ActivationView& a) override {
        lines.push_back("fire " + std::to_string(n) + " " + std::string(a.rule_name()));
    }
};

}  // namespace

TEST_CASE("session: each run reports its own firings and output, and continues", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    demarche::RunResult first = s.run();
    CHECK(first.fired == 1);
    CHECK(first.output == std::vector<std::string>{"cheap: pen"});
    CHECK(first.complete);

    demarche::RunResult idle = s.run();  // nothing new: nothing fires, nothing is re-asserted
    CHECK(idle.fired == 0);
    CHECK(idle.output.empty());
    CHECK(idle.complete);
    CHECK(s.facts().size() == 2);

    demarche::FactResult cup = s.assert_fact("item", {{"name", sym("cup")}, {"price", num(5)}});
    REQUIRE(cup.ok());
    CHECK(cup.id == 3);  // ids continue after the derived cheap(pen)
    demarche::FactResult order = s.assert_fact("order", {{"name", sym("cup")}});
    REQUIRE(order.ok());
    demarche::RunResult second = s.run(options(demarche::Strategy::Breadth));
    CHECK(second.fired == 2);
    CHECK(second.output == std::vector<std::string>{"cheap: cup", "ship 1 cup"});
    CHECK(derived_names(s) == std::vector<std::string>{"cheap pen", "cheap cup"});
}

TEST_CASE("session: a run after halt or the fire limit goes on with the waiting activations", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    REQUIRE(s.assert_fact("stop", {}).ok());
    REQUIRE(s.assert_fact("order", {{"name", sym("a")}}).ok());
    REQUIRE(s.assert_fact("order", {{"name", sym("b")}}).ok());
    // Depth: the newest first, so the orders fire before the stop asserted earlier.
    demarche::RunResult limited = s.run(options(demarche::Strategy::Depth, 1));
    CHECK(limited.fired == 1);
    CHECK_FALSE(limited.complete);
    CHECK(limited.output == std::vector<std::string>{"ship 1 b"});

    demarche::RunResult rest = s.run(options(demarche::Strategy::Breadth));
    // Breadth now: the oldest waiting activation (pen's, then the stop) first; halt stops.
    CHECK(rest.halted);
    CHECK(rest.complete);
    CHECK(rest.output == std::vector<std::string>{"cheap: pen"});
    CHECK(rest.fired == 2);

    demarche::RunResult after = s.run();
    CHECK_FALSE(after.halted);
    CHECK(after.output == std::vector<std::string>{"ship 1 a"});
    CHECK(after.fired == 1);
}

TEST_CASE("session: assert_fact checks the fact like a fact file", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    auto error_of = [&](std::string_view tmpl, const FieldValues& fields) {
        demarche::FactResult r = s.assert_fact(tmpl, fields);
        CHECK(r.id == 0);
        return r.error.value_or("(no error)");
    };
    CHECK(error_of("iten", {}) == "unknown template 'iten'; did you mean 'item'?");
    CHECK(error_of("item", {{"nmae", sym("x")}}) == "template 'item' has no field 'nmae'; did you mean 'name'?");
    CHECK(error_of("item", {{"name", sym("x")}, {"name", sym("y")}, {"price", num(1)}}) ==
          "field 'name' is given twice");
    CHECK(error_of("item", {{"name", Value(std::string("x"))}, {"price", num(1)}}) ==
          "field 'name' of 'item' is symbol, got string");
    CHECK(error_of("item", {{"name", sym("x")}}) == "field 'price' of 'item' has no default and must be given");
    // Errors change nothing, not even the initial facts (they come with the first change).
    CHECK(s.facts().empty());

    demarche::FactResult heavy = s.assert_fact("item", {{"name", sym("desk")}, {"price", num(90)}, {"weight", num(30)}});
    REQUIRE(heavy.ok());
    CHECK(heavy.id == 2);  // the program's own facts come first
    std::optional<demarche::FactInfo> f = s.fact(heavy.id);
    REQUIRE(f);
    CHECK(demarche::format_fact(*f) == "item(name: desk, price: 90, weight: 30.0)");  // int became float
    CHECK_FALSE(f->derived);

    demarche::FactResult again = s.assert_fact("item", {{"price", num(90)}, {"weight", Value(30.0)}, {"name", sym("desk")}});
    REQUIRE(again.ok());
    CHECK(again.id == heavy.id);  // a duplicate is not asserted again
    CHECK(s.facts().size() == 2);
}

TEST_CASE("session: retract and modify by id", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    s.run();
    REQUIRE(s.facts().size() == 2);  // item pen (f-1), cheap pen (f-2, logical)

    CHECK(s.retract(9).error == "there is no fact f-9");
    CHECK(s.modify(0, {}).error == "there is no fact f-0");

    // Modify: a new fact with a new id; the logical cheap(pen) loses its support.
    demarche::FactResult pricier = s.modify(1, {{"price", num(50)}});
    REQUIRE(pricier.ok());
    CHECK(pricier.id == 3);
    CHECK_FALSE(s.fact(1));
    CHECK_FALSE(s.fact(2));
    REQUIRE(s.fact(3));
    CHECK(demarche::format_fact(*s.fact(3)) == "item(name: pen, price: 50, weight: 1.0)");
    CHECK(s.modify(1, {{"price", num(1)}}).error == "fact f-1 was retracted");

    // A bad change leaves the fact alone.
    CHECK(s.modify(3, {{"prise", num(1)}}).error == "template 'item' has no field 'prise'; did you mean 'price'?");
    CHECK(s.modify(3, {{"price", Value(1.5)}}).error == "field 'price' of 'item' is int, got float");
    REQUIRE(s.fact(3));

    demarche::FactResult cheaper = s.modify(3, {{"price", num(2)}});
    REQUIRE(cheaper.ok());
    demarche::RunResult r = s.run();
    CHECK(r.output == std::vector<std::string>{"cheap: pen"});
    CHECK(derived_names(s) == std::vector<std::string>{"cheap pen"});

    demarche::FactResult gone = s.retract(cheaper.id);
    REQUIRE(gone.ok());
    CHECK(gone.id == cheaper.id);
    CHECK(s.facts().empty());  // truth maintenance took cheap(pen) with it
    CHECK(s.retract(cheaper.id).error == "fact f-" + std::to_string(cheaper.id) + " was retracted");
}

TEST_CASE("session: fact sets asserted into a running session", "[api][session]") {
    demarche::ProgramPtr program = compile(shop_rules);
    demarche::Session s(program);
    s.run();
    demarche::FactsResult more = demarche::parse_facts(program, "order(name: pen, qty: 2)\nitem(name: pen, price: 3)\n");
    REQUIRE(more.ok());
    demarche::FactsAsserted added = s.assert_facts(*more.facts);
    REQUIRE(added.ok());
    CHECK(added.ids == std::vector<demarche::FactId>{3, 1});  // the item is already there
    CHECK(s.run().output == std::vector<std::string>{"ship 2 pen"});

    demarche::ProgramPtr other = compile("template a { x: int  y: int  z: int  w: string }\n");
    demarche::FactsResult foreign = demarche::parse_facts(other, "a(1, 2, 3, \"w\")\n");
    REQUIRE(foreign.ok());
    demarche::FactsAsserted refused = s.assert_facts(*foreign.facts);
    CHECK(refused.error == "the fact set was not made for this session's program");
    CHECK(refused.ids.empty());
    CHECK(s.facts().size() == 3);
}

TEST_CASE("session: a runtime error ends the session", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    s.run();
    REQUIRE(s.assert_fact("item", {{"name", sym("broken")}, {"price", num(0)}}).ok());
    demarche::RunResult r = s.run();
    REQUIRE(r.error);
    CHECK(r.error->message == "runtime error in rule 'divide': division by zero");
    CHECK_FALSE(r.complete);

    demarche::RunResult again = s.run();
    REQUIRE(again.error);
    CHECK(again.error->message == r.error->message);
    CHECK(again.fired == 0);
    demarche::FactResult refused = s.assert_fact("order", {{"name", sym("x")}});
    CHECK(refused.error ==
          "the session stopped on a runtime error: runtime error in rule 'divide': division by zero");
    CHECK(s.retract(1).error == refused.error);
    CHECK(s.facts().size() == 4);  // still readable (find_cheap fired before divide)
}

TEST_CASE("session: a where test failing on an asserted fact ends the session", "[api][session]") {
    demarche::Session s(compile(R"(
template n { v: int }
rule inverse when n(v: ?v) where 10 / ?v > 1 then print ?v end
)"));
    REQUIRE(s.assert_fact("n", {{"v", num(2)}}).ok());
    demarche::FactResult bad = s.assert_fact("n", {{"v", num(0)}});
    CHECK(bad.error == "runtime error in rule 'inverse': division by zero");
    CHECK(s.run().error);
}

TEST_CASE("session: the session observer sees changes and runs", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    Events events;
    s.set_observer(&events);
    REQUIRE(s.assert_fact("order", {{"name", sym("cup")}}).ok());
    CHECK(events.lines == std::vector<std::string>{"+f-1", "+f-2"});  // the initial fact first
    s.run(options(demarche::Strategy::Breadth));
    s.retract(2);
    CHECK(events.lines == std::vector<std::string>{"+f-1", "+f-2", "fire 1 find_cheap", "+f-3", "fire 2 ship", "-f-2"});

    Events other;
    s.assert_fact("order", {{"name", sym("pen")}});
    s.run(options(demarche::Strategy::Depth, std::nullopt, &other));  // a run's own observer takes the place of the session's
    CHECK(other.lines == std::vector<std::string>{"fire 3 ship"});
    CHECK(events.lines.back() == "+f-4");
    s.set_observer(nullptr);
    s.retract(4);
    CHECK(events.lines.back() == "+f-4");
}

TEST_CASE("session: count_facts counts the present facts and the derived ones", "[api][session]") {
    demarche::Session s(compile(shop_rules));
    CHECK(s.count_facts().present == 0);
    s.run();
    demarche::FactCounts counts = s.count_facts();
    CHECK(counts.present == 2);  // item pen, and cheap pen derived from it
    CHECK(counts.derived == 1);
    REQUIRE(s.assert_fact("item", {{"name", sym("cup")}, {"price", num(40)}}).ok());
    REQUIRE(s.retract(1).ok());  // cheap pen goes with it
    counts = s.count_facts();
    CHECK(counts.present == 1);
    CHECK(counts.derived == 0);
    CHECK(counts.present == s.facts().size());
}

TEST_CASE("session: an observer reads the session it observes but cannot change or run it", "[api][session]") {
    // Called back in the middle of a firing (activations deferred, assertions held), the
    // session refuses a change or a run and changes nothing; reading it is fine.
    struct Meddler final : demarche::Observer {
        explicit Meddler(demarche::Session& s) : Observer(demarche::EventKind::Fire), session(s) {}
        void on_fire(std::uint64_t, const demarche::ActivationView&) override {
            seen.push_back(session.count_facts().present);
            changes.push_back(session.assert_fact("order", {{"name", sym("pen")}}));
            changes.push_back(session.retract(1));
            runs.push_back(session.run());
        }
        demarche::Session& session;
        std::vector<std::size_t> seen;
        std::vector<demarche::FactResult> changes;
        std::vector<demarche::RunResult> runs;
    };
    demarche::Session s(compile(shop_rules));
    Meddler m(s);
    demarche::RunResult r = s.run(options(demarche::Strategy::Depth, std::nullopt, &m));
    CHECK(r.complete);
    CHECK(r.fired == 1);  // find_cheap on the pen
    CHECK(r.output == std::vector<std::string>{"cheap: pen"});
    REQUIRE(m.changes.size() == 2);
    for (const demarche::FactResult& c : m.changes) {
        CHECK_FALSE(c.ok());
        REQUIRE(c.error);
        CHECK(c.error->find("in the middle of a run or change") != std::string::npos);
    }
    REQUIRE(m.runs.size() == 1);
    CHECK_FALSE(m.runs[0].complete);
    CHECK(m.runs[0].fired == 0);
    REQUIRE(m.runs[0].error);
    CHECK(m.runs[0].error->message.find("in the middle of a run or change") != std::string::npos);
    CHECK(m.seen == std::vector<std::size_t>{1});
    // Nothing was changed, and the session goes on as usual.
    CHECK(derived_names(s) == std::vector<std::string>{"cheap pen"});
    CHECK(s.assert_fact("order", {{"name", sym("pen")}}).ok());
    CHECK(s.run().output == std::vector<std::string>{"ship 1 pen"});
}
