"""``python -m lca`` is the ``lca`` command (Ctrl-C at any moment exits 130 without a traceback)."""

import sys

from lca.entry import main

sys.exit(main())
