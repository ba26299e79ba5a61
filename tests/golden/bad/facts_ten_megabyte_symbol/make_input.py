# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('input.facts', 'w').write('x' * 10_000_000 + '(name: a)\n')
