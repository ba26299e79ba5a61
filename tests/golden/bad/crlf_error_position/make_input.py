# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('case.rules', 'wb').write(b'template actor { name: symbol  seats: int = 0  note: string = ""  weight: float = 1.0 }\r\ntemplate offer { kind: symbol  binding: bool = false }\r\n\r\nrule name_offer\r\nwhen\r\n  actor(name: ?n)\r\nthen\r\n  assert offer(kind: ?n)\r\nend\r\nrule broken\r\nwhen\r\n  actor(name ?n)\r\nthen\r\n  print ?n\r\nend\r\n')
