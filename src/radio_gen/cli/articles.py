"""`radio-gen articles …`: collect, preview the selection, pin, repeat, edit, drop, move, add.

Thin: intake/pipeline.py collects, editing.py changes (the same functions as the newsroom).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from radio_gen import editing
from radio_gen.errors import RadioGenError

from radio_gen.cli.common import Commands, command_group, config_option, date_option, iso_date, program_option
from radio_gen.cli.common import who as _by
from radio_gen.config import StationConfig, load_config
from radio_gen.programs import ProgramConfig
from radio_gen.intake.articles import Article
from radio_gen.intake.pipeline import collect, policy, select_for
from radio_gen.intake.store import Store, StoredArticle
from radio_gen.intake.sources import SourceError


class ArticleFileError(RadioGenError):
    """The text file given to `articles edit/add` cannot be read."""


def add_parser(commands: Commands) -> None:
    action = command_group(commands, "articles", "collect articles, preview the selection, pin or repeat an article")
    program_day = [config_option(), program_option(), date_option()]

    action("fetch", "read every source (folders, feeds, pages) into the station's store", """
  radio-gen articles fetch --config station.toml             collect from every source into the store""").set_defaults(
        handler=cmd_fetch)
    listing = action("list", "show what a program would read, and what is left out and why", """
  radio-gen articles list --config station.toml              what the next program reads, what is left out and why
  radio-gen articles list --config station.toml --program chieu --date 2026-11-27 --fetch
  radio-gen articles list --config station.toml --json       the same as JSON (selected or not, and why)""",
                     parents=program_day)
    listing.add_argument("--fetch", action="store_true", help="fetch feeds and pages first (default: folders only)")
    listing.add_argument("--json", action="store_true", help="print JSON: every article, whether it is selected, "
                                                             "and why not")
    listing.set_defaults(handler=cmd_list)
    shower = action("show", "print an article as the program reads it: title, date, byline, source, paragraphs", """
  radio-gen articles show 3f2a9c1b --config station.toml      the article as the program reads it (--json)""")
    shower.add_argument("id", help="article id (or its first digits) as `radio-gen articles list` shows")
    shower.add_argument("--json", action="store_true", help="print JSON (id, title, published, byline, source, "
                                                            "location, paragraphs)")
    shower.set_defaults(handler=cmd_show)
    for name, flag, help_text, examples in (
            ("pin", "pinned", "read an article first in the coming programs", """
  radio-gen articles pin 3f2a9c1b --config station.toml       read this article first while it is current
  radio-gen articles pin 3f2a9c1b --off --config station.toml"""),
            ("repeat", "repeat", "let an article air again after it was broadcast", """
  radio-gen articles repeat 3f2a9c1b --config station.toml    let it air again after it was broadcast
  radio-gen articles repeat 3f2a9c1b --off --config station.toml""")):
        sub = action(name, help_text, examples)
        sub.add_argument("id", help="article id (or its first digits) as `radio-gen articles list` shows")
        sub.add_argument("--off", action="store_true", help="undo: unpin / no more repeats")
        sub.set_defaults(handler=cmd_flag, flag=flag)

    by_help = "who makes the change, for the journal (default: the system user as cli:NAME)"
    editor = action("edit", "replace the text that airs (the source's text is kept; a concurrent save is refused)", """
  radio-gen articles edit 3f2a9c1b --config station.toml                  edit the text in $EDITOR (or $VISUAL)
  radio-gen articles edit 3f2a9c1b --config station.toml --file sua.txt   the edited text airs (first line: title)
  radio-gen articles edit 3f2a9c1b --config station.toml --show           the text as it airs, its version, the diff""")
    editor.add_argument("id", help="article id (or its first digits)")
    editor.add_argument("--file", type=Path, help="UTF-8 text: first line the title, then the paragraphs "
                                                  "('-' reads standard input)")
    editor.add_argument("--version", type=int, help="the version you started from (as --show prints); "
                                                    "the save is refused if someone saved since")
    editor.add_argument("--show", action="store_true", help="print the text as it airs, its version and the diff")
    editor.add_argument("--by", help=by_help)
    editor.set_defaults(handler=cmd_edit)
    drop = action("drop", "leave an article out of the coming programs", """
  radio-gen articles drop 3f2a9c1b --config station.toml                  leave it out of the coming programs
  radio-gen articles drop 3f2a9c1b --off --config station.toml            it may air again""")
    drop.add_argument("id", help="article id (or its first digits)")
    drop.add_argument("--off", action="store_true", help="undo: the article may air again")
    drop.add_argument("--by", help=by_help)
    drop.set_defaults(handler=cmd_drop)
    mover = action("move", "move an article up or down in the reading order of a program", """
  radio-gen articles move 3f2a9c1b up --config station.toml --program sang""", parents=program_day)
    mover.add_argument("id", help="article id (or its first digits)")
    mover.add_argument("direction", choices=("up", "down"))
    mover.add_argument("--by", help=by_help)
    mover.set_defaults(handler=cmd_move)
    adder = action("add", "add an article from a file (.txt, .docx, .html), a web page, or standard input", """
  radio-gen articles add --config station.toml --file tin-moi.docx        a .txt/.docx/.html file, read as the folder's
  radio-gen articles add --config station.toml --url https://ubnd.example.vn/tin/123.html
  radio-gen articles add --config station.toml --file - < dan.txt         pasted text (first line: title)""")
    given = adder.add_mutually_exclusive_group(required=True)
    given.add_argument("--file", type=Path, help=".txt, .docx or .html file, read and cleaned as the articles "
                                                 "folder reads it ('-': pasted UTF-8 text on standard input, "
                                                 "first line the title)")
    given.add_argument("--url", help="a web page, fetched and cleaned as a page source is (the station's "
                                     "fetch limits and [articles] allow_hosts apply)")
    adder.add_argument("--date", type=iso_date, help="the article's date (default: today)")
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


def _program_day(config: StationConfig, args: argparse.Namespace) -> tuple[ProgramConfig, dt.date]:
    """The program and date of `--program` and `--date` (default: the first program, today)."""
    return config.program(args.program), args.date or config.today()


def cmd_list(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    program, date = _program_day(config, args)
    with Store.open(config.store_path) as store:
        intake = collect(config, store, today=date, web=args.fetch)
        selection = select_for(config, store, program, date)
    if args.json:
        chosen = [dict(_as_json(a), selected=True, pinned=a.id in selection.pinned, reason=None)
                  for a in selection.chosen]
        left = [dict(_as_json(i.article), selected=False, pinned=False, reason=i.reason) for i in selection.excluded]
        print(json.dumps({"program": program.id, "date": date.isoformat(), "articles": chosen + left,
                          "failed_sources": [r.summary() for r in intake.failed]}, ensure_ascii=False, indent=2))
        return 0
    for report in intake.failed:
        print(f"!! {report.summary()}")
    budget = policy(config, program, date).budget_seconds / 60
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


def _as_json(article: Article) -> dict[str, object]:
    """An article as `articles show --json` and `list --json` give it: what the program reads."""
    return {"id": article.id, "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "byline": article.byline, "source": article.source, "location": article.location,
            "paragraphs": article.paragraphs}


def cmd_show(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    with Store.open(config.store_path) as store:
        item = editing.find(store, args.id)
    article = item.article
    if args.json:
        print(json.dumps(dict(_as_json(article), edited=item.edited), ensure_ascii=False, indent=2))
        return 0
    print(f"{article.id}  {article.published.isoformat() if article.published else 'undated'}  "
          f"{article.source}  {article.location}" + ("  (edited)" if item.edited else ""))
    print(f"byline (not read): {article.byline}" if article.byline else "byline: none")
    print()
    print(article.title)
    for paragraph in article.paragraphs:
        print()
        print(paragraph)
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
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if args.file is None and not args.show and editor:
            return _edit_in_editor(config, store, item, editor, args)
        if args.show or args.file is None:
            revision = editing.revision(store, item)
            print(f"{item.id}  version {revision.version}" + (f"  (edited by {revision.edited_by} at "
                  f"{revision.edited_at})" if revision.edited_by else "  (as the source gave it)"))
            print(item.article.title)
            print()
            print(item.article.body)
            if revision.changes:
                print("\nchanges from the source's text:")
                for mark, line in revision.changes:
                    if mark != " ":
                        print(f"{mark} {line}")
            return 0
        title, body = _read_article(args.file)
        version = args.version if args.version is not None else item.version
        new = editing.edit(config, store, item.id, title, body, version=version, by=_by(args))
    print(f"{item.id} saved as version {new}: {title} (the next build reads it)")
    return 0


def _edit_in_editor(config: StationConfig, store: Store, item: StoredArticle, editor: str,
                    args: argparse.Namespace) -> int:
    """Open the text as it airs in the operator's editor; save it when it was changed."""
    text = f"{item.article.title}\n\n" + "\n\n".join(item.article.paragraphs) + "\n"
    with tempfile.TemporaryDirectory(prefix="radio-gen-edit-") as folder:
        path = Path(folder) / f"{item.id}.txt"
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as exc:
            raise ArticleFileError(f"cannot start the editor {editor!r}: {exc.strerror}") from None
        if done.returncode != 0:
            raise ArticleFileError(f"the editor {editor!r} ended with status {done.returncode}; nothing was saved")
        title, body = _read_article(path)
    if f"{title}\n\n{body}\n" == text or not title:
        print(f"{item.id} not changed" + ("" if title else " (the title line was empty)"))
        return 0
    new = editing.edit(config, store, item.id, title, body, version=item.version, by=_by(args))
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
    program, date = _program_day(config, args)
    with Store.open(config.store_path) as store:
        result = editing.move(config, store, program, date, args.id, -1 if args.direction == "up" else 1,
                              by=_by(args))
    print(f"{program.id} on {date.isoformat()}, new order:")
    for number, item in enumerate(result.items, 1):
        print(f"{number:3}. {item.article.id}  {item.article.title}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    day = args.date or config.today()
    if args.url is None and str(args.file) == "-":
        title, body = _read_article(args.file)
        with Store.open(config.store_path) as store:
            article_id = editing.add(config, store, title, body, by=_by(args), day=day)
        print(f"{article_id} added: {title}")
        return 0
    with Store.open(config.store_path) as store:
        if args.url is not None:
            added = editing.add_url(config, store, args.url, by=_by(args), day=day)
        else:
            added = editing.add_file(config, store, args.file.name, _read_upload(args.file), by=_by(args), day=day)
    print(f"{added.id} {'already in the store' if added.status == 'known' else 'added'}: {added.title}")
    return 0


def _read_upload(path: Path) -> bytes:
    """The bytes of a file to add, bounded like an upload."""
    try:
        with path.open("rb") as handle:
            return handle.read(editing.MAX_UPLOAD_BYTES + 1)
    except OSError as exc:
        raise ArticleFileError(f"cannot read {path}: {exc.strerror}") from None
