# Writes case.rules: too big to keep in the repository.
S = """template offer {
  kind: symbol
  legally_binding: bool = false
  timing: symbol = opening
}
template actor { name: symbol  seats: int = 0 }
"""
text = S + "rule r1 when actor(seats: ?s) where " + "(" * 100000 + "?s" + ")" * 100000 + " > 1 then halt end\n"
open("case.rules", "w").write(text)
