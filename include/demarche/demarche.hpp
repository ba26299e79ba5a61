// The whole C++ API of Demarche in one include: compile rules, load facts, run a
// Session, read facts, answer queries, observe events, explain, lint, render as JSON.
// See docs/embedding.md for a complete program and the ownership and threading rules.
#pragma once

#include <demarche/compile.hpp>
#include <demarche/diagnostic.hpp>
#include <demarche/explain.hpp>
#include <demarche/json.hpp>
#include <demarche/lint.hpp>
#include <demarche/session.hpp>
#include <demarche/value.hpp>
