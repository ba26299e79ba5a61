# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('input.facts', 'wb').write(b'actor(name: a)\x00actor(name: b)\n')
