"""`radio-gen articles …`: collect, preview the selection, pin and repeat (thin; see intake.py)."""

from __future__ import annotations

import argparse
import datetime as dt

from radio_gen.cli_groups import command_group
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
  radio-gen articles repeat 3f2a9c1b --off --config station.toml"""


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
