"""`radio-gen normalize`: written Vietnamese in, each line as the announcer will say it out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radio_gen.cli.common import EXIT_OK, Commands, add_command

EXAMPLES = """
  echo "Sáng 24/4, UBND huyện họp." | radio-gen normalize
  radio-gen normalize --dialect south --lexicon tu-viet-tat.txt < bai.txt"""


def add_parser(commands: Commands) -> None:
    parser = add_command(commands, "normalize", "read text on stdin, print each line as it will be spoken", EXAMPLES)
    parser.add_argument("--dialect", choices=("north", "south"), default="north")
    parser.add_argument("--lexicon", type=Path, help="a station lexicon file to use over the default")
    parser.set_defaults(handler=cmd_normalize)


def cmd_normalize(args: argparse.Namespace) -> int:
    from radio_gen.text import Lexicon, normalize

    lexicon = Lexicon.default()
    if args.lexicon:
        lexicon = Lexicon.from_file(args.lexicon)
        for problem in lexicon.problems:
            print(f"radio-gen: warning: {problem}", file=sys.stderr)
    for line in sys.stdin:
        print(normalize(line.rstrip("\n"), dialect=args.dialect, lexicon=lexicon))
    return EXIT_OK
