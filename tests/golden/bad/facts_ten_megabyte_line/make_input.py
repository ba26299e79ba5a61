# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
text = 'actor(name: a, seats: 1) ' * 400000 + 'actor(name: b, seats: many)\n'
open('input.facts', 'w').write(text)
