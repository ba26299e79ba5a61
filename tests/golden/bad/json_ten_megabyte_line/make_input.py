# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
fact = '{"template": "actor", "slots": {"name": "a", "seats": 1}}, '
text = '[' + fact * 200000 + '{"template": "actor", "slots": {"name": "b", "seats": "many"}}]\n'
open('input.json', 'w').write(text)
