# Writes case.rules: too big to keep in the repository.
S = """template offer {
  kind: symbol
  legally_binding: bool = false
  timing: symbol = opening
}
template actor { name: symbol  seats: int = 0 }
"""
text = S + "facts { " + "actor(name: a, seats: 1) " * 400000 + "}\n"
open("case.rules", "w").write(text)
