"""`radio-gen articles …`: collect, preview the selection, pin, repeat, edit, drop, move, add.

Thin: intake.py collects, editing.py changes (the same functions as the newsroom).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from radio_gen import editing
from radio_gen.errors import RadioGenError

from radio_gen.cli_groups import command_group
from radio_gen.cli_groups import who as _by
from radio_gen.config import load_config
from radio_gen.sources import SourceError
from radio_gen.intake import collect, select_for
from radio_gen.store import Store

EXAMPLES = """examples:
  radio-gen articles fetch --config station.toml             collect from every source into the store
  radio-gen articles list --config station.toml              what the next program reads, what is left out and why
  radio-gen articles list --config station.toml --program chieu --date 2026-11-27 --fetch
  radio-gen articles pin 3f2a9c1b --config station.toml       read this article first while it is current
  radio-gen articles repeat 3f2a9c1b --config station.toml    let it air again after it was broadcast
  radio-gen articles repeat 3f2a9c1b --off --config station.toml
  radio-gen articles edit 3f2a9c1b --config station.toml --file sua.txt   the edited text airs (first line: title)
  radio-gen articles edit 3f2a9c1b --config station.toml --show           the text as it airs, its version, the diff
  radio-gen articles drop 3f2a9c1b --config station.toml                  leave it out of the coming programs
  radio-gen articles move 3f2a9c1b up --config station.toml --program sang
  radio-gen articles add --config station.toml --file tin-moi.txt         add a pasted article (first line: title)"""


class ArticleFileError(RadioGenError):
    """The text file given to `articles edit/add` cannot be read."""


def add_parser(commands: argparse._SubParsersAction, date_type: object) -> None:
    action = command_group(commands, "articles", "collect articles, preview the selection, pin or repeat an article",
                           EXAMPLES, "action")

    action("fetch", "read every source (folders, feeds, pages) into the station's store").set_defaults(
        handler=cmd_fetch)
    listing = action("list", "show what a program would read, and what is left out and why")
    listing.add_argument("--program", help="program id from the config (default: the first)")
    listing.add_argument("--date", type=date_type, help="program date YYYY-MM-DD (default: today)")
    listing.add_argument("--fetch", action="store_true", help="fetch feeds and pages first (default: folders only)")
    listing.set_defaults(handler=cmd_list)
    for name, flag, help_text in (("pin", "pinned", "read an article first in the coming programs"),
                                  ("repeat", "repeat", "let an article air again after it was broadcast")):
        sub = action(name, help_text)
        sub.add_argument("id", help="article id (or its first digits) as `radio-gen articles list` shows")
        sub.add_argument("--off", action="store_true", help="undo: unpin / no more repeats")
        sub.set_defaults(handler=cmd_flag, flag=flag)

    by_help = "who makes the change, for the journal (default: the system user as cli:NAME)"
    editor = action("edit", "replace the text that airs (the source's text is kept; a concurrent save is refused)")
    editor.add_argument("id", help="article id (or its first digits)")
    editor.add_argument("--file", type=Path, help="UTF-8 text: first line the title, then the paragraphs "
                                                  "('-' reads standard input)")
    editor.add_argument("--version", type=int, help="the version you started from (as --show prints); "
                                                    "the save is refused if someone saved since")
    editor.add_argument("--show", action="store_true", help="print the text as it airs, its version and the diff")
    editor.add_argument("--by", help=by_help)
    editor.set_defaults(handler=cmd_edit)
    drop = action("drop", "leave an article out of the coming programs")
    drop.add_argument("id", help="article id (or its first digits)")
    drop.add_argument("--off", action="store_true", help="undo: the article may air again")
    drop.add_argument("--by", help=by_help)
    drop.set_defaults(handler=cmd_drop)
    mover = action("move", "move an article up or down in the reading order of a program")
    mover.add_argument("id", help="article id (or its first digits)")
    mover.add_argument("direction", choices=("up", "down"))
    mover.add_argument("--program", help="program id from the config (default: the first)")
    mover.add_argument("--date", type=date_type, help="program date YYYY-MM-DD (default: today)")
    mover.add_argument("--by", help=by_help)
    mover.set_defaults(handler=cmd_move)
    adder = action("add", "add an article from a text file (first line: the title)")
    adder.add_argument("--file", type=Path, required=True, help="UTF-8 text file ('-' reads standard input)")
    adder.add_argument("--date", type=date_type, help="the article's date (default: today)")
    adder.add_argument("--by", help=by_help)
    adder.set_defaults(handler=cmd_add)


def cmd_fetch(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with Store.open(config.store_path) as store:
        intake = collect(config, store, today=config.today())
    for warning in intake.warnings:
        if not warning.startswith("source "):
            print(f"   {warning}")
    for report in intake.reports:
        print(("ok " if report.ok else "!! ") + report.summary())
    print(f"store: {config.store_path}")
    if intake.reports and len(intake.failed) == len(intake.reports):
        raise SourceError("every source failed; builds use what the store already holds")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    program = config.program(args.program)
    date: dt.date = args.date or config.today()
    with Store.open(config.store_path) as store:
        intake = collect(config, store, today=date, web=args.fetch)
        selection = select_for(config, store, program, date)
    for report in intake.failed:
        print(f"!! {report.summary()}")
    budget = (program.news_minutes or config.intake.news_minutes)
    print(f"{program.id} on {date.isoformat()}: {len(selection.chosen)} item(s), about "
          f"{selection.total_seconds / 60:.1f} of {budget:g} min")
    for number, article in enumerate(selection.chosen, 1):
        mark = " [pinned]" if article.id in selection.pinned else ""
        when = article.published.isoformat() if article.published else "undated"
        print(f"{number:3}. {article.id}  {when}  {article.title}{mark}  "
              f"({selection.seconds[article.id] / 60:.1f} min; {article.source})")
    if selection.excluded:
        print("left out:")
        for item in selection.excluded:
            print(f"     {item.article.id}  {item.article.title}: {item.reason}")
    return 0


def cmd_flag(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with Store.open(config.store_path) as store:
        article_id, title = store.set_flag(args.id, args.flag, not args.off)
    verb = {("pinned", True): "pinned", ("pinned", False): "unpinned",
            ("repeat", True): "may repeat", ("repeat", False): "will not repeat"}[(args.flag, not args.off)]
    print(f"{article_id} {verb}: {title}")
    return 0


def _read_article(path: Path) -> tuple[str, str]:
    """(title, body) of a text file whose first non-blank line is the title."""
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise ArticleFileError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ArticleFileError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def cmd_edit(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with Store.open(config.store_path) as store:
        item = editing.find(store, args.id)
        if args.show or args.file is None:
            source_title, source_body = store.source_text(item.id)
            version, who, when = store.edit_info(item.id)
            print(f"{item.id}  version {version}" + (f"  (edited by {who} at {when})" if who else "  (as the source gave it)"))
            print(item.article.title)
            print()
            print(item.article.body)
            if item.edited:
                print("\nchanges from the source's text:")
                for mark, line in editing.diff(f"{source_title}\n{source_body}",
                                               f"{item.article.title}\n{item.article.body}"):
                    if mark != " ":
                        print(f"{mark} {line}")
            return 0
        title, body = _read_article(args.file)
        version = args.version if args.version is not None else item.version
        new = editing.edit(config, store, item.id, title, body, version=version, by=_by(args))
    print(f"{item.id} saved as version {new}: {title} (the next build reads it)")
    return 0


def cmd_drop(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with Store.open(config.store_path) as store:
        item = editing.set_flag(config, store, args.id, "dropped", not args.off, by=_by(args))
    print(f"{item.id} {'may air again' if args.off else 'dropped from the coming programs'}: {item.article.title}")
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    program = config.program(args.program)
    date: dt.date = args.date or config.today()
    with Store.open(config.store_path) as store:
        result = editing.move(config, store, program, date, args.id, -1 if args.direction == "up" else 1,
                              by=_by(args))
    print(f"{program.id} on {date.isoformat()}, new order:")
    for number, item in enumerate(result.items, 1):
        print(f"{number:3}. {item.article.id}  {item.article.title}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    title, body = _read_article(args.file)
    with Store.open(config.store_path) as store:
        article_id = editing.add(config, store, title, body, by=_by(args), day=args.date or config.today())
    print(f"{article_id} added: {title}")
    return 0
