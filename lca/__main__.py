"""``python -m lca`` is the ``lca`` command."""

import sys

from lca.cli import main

sys.exit(main())
