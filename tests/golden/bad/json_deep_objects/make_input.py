# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
text = '[{"template": "actor", "slots": {"name": "a", "note": ' + '{"k": ' * 100000 + '1' + '}' * 100000 + '}}]\n'
open('input.json', 'w').write(text)
