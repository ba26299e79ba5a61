# Writes inputs that cannot be kept as text in the repository (bytes that are
# not UTF-8, NUL, CR, links, FIFOs, or 10 MB).
import os
os.symlink('nowhere.rules', 'rules/b.rules')
