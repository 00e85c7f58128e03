"""`python -m explorer`: the command-line interface."""

import sys

from explorer.cli import main

if __name__ == "__main__":  # importing this module (doctest collection) must not run the CLI
    sys.exit(main())
