# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('case.rules', 'wb').write(b'  \t\n\n   \r\n\t\n')
