# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('case.rules', 'wb').write(b'\xff\xfet\x00e\x00m\x00p\x00l\x00a\x00t\x00e\x00 \x00a\x00 \x00{\x00 \x00x\x00:\x00 \x00i\x00n\x00t\x00 \x00}\x00\n\x00')
