# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('case.rules', 'w').write('#' + 'c' * 10_000_000 + '\ntemplate t { x: nt }\n')
