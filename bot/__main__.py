"""`python -m bot`: the same command line as `daybook`."""

import sys

from bot.cli import main

sys.exit(main())
