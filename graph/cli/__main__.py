"""``python -m graph.cli`` = ``copkg`` (for machines where the console script is not on PATH)."""

import sys

from . import main

sys.exit(main())
