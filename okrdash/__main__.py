"""`python -m okrdash COMMAND`: the operator command line (okrdash.cli)."""

import sys

from okrdash.cli import main

sys.exit(main())
