#!/usr/bin/env python
"""Django's command-line utility (the `parindex` entry point wraps the same commands)."""

from __future__ import annotations

import sys

from parindex.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
