"""`python -m radio_gen` runs the same entry point as the `radio-gen` command."""

from radio_gen.cli import main

raise SystemExit(main())
