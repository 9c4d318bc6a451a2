"""Entry point for `python -m posapp`."""

from posapp.cli import main

raise SystemExit(main())
