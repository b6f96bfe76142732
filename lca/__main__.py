"""``python -m lca`` is the ``lca`` command (Ctrl-C while it starts exits 130 without a traceback)."""

import sys

try:
    from lca.cli import main
except KeyboardInterrupt:
    sys.exit(130)

sys.exit(main())
