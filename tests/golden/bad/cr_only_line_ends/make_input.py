# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
open('case.rules', 'wb').write(b'template actor { name: symbol  seats: int = 0  note: string = ""  weight: float = 1.0 }\rtemplate offer { kind: symbol  binding: bool = false }\r\rrule name_offer\rwhen\r  actor(name: ?n)\rthen\r  assert offer(kind: ?n)\rend\rrule broken when actor(name ?n) then print ?n end\r')
