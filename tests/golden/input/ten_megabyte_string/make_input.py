# Writes case.rules: too big to keep in the repository.
S = """template offer {
  kind: symbol
  legally_binding: bool = false
  timing: symbol = opening
}
template actor { name: symbol  seats: int = 0 }
"""
text = S + 'rule r1 when offer() then print "' + "x" * 10_000_000 + '" end\n'
open("case.rules", "w").write(text)
