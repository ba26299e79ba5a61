# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('case.rules', 'wb').write(b'template actor { name: symbol  seats: int = 0  note: string = ""  weight: float = 1.0 }\ntemplate offer { kind: symbol  binding: bool = false }\n\nrule name_offer\nwhen\n  actor(name: ?n)\nthen\n  assert offer(kind: ?n)\nend\n\x0c\x1b[31m\n')
