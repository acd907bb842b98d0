"""`radio-gen templates …`: check, customise, save, versions, compare and restore the program templates.

Thin: template_check.py validates in the build's sandbox, template_versions.py keeps the
versions (the same functions as the newsroom's "Mẫu chương trình" page).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radio_gen import template_versions as tv
from radio_gen.cli.common import Commands, command_group, who
from radio_gen.config import StationConfig, load_config
from radio_gen.template_check import TemplatesInvalid, check

BY_HELP = "who makes the change, for the journal (default: the system user as cli:NAME)"


def add_parser(commands: Commands) -> None:
    action = command_group(commands, "templates", "check, customise, save and restore the program templates")
    sub = action("check", "parse and render every template in the build's sandbox; errors at their line", """
  radio-gen templates check --config station.toml      parse and render every template as the build does""")
    sub.set_defaults(handler=cmd_check)
    action("list", "the built-in and the station's templates, with their latest version", """
  radio-gen templates list --config station.toml               built-in and station templates, their versions"""
           ).set_defaults(handler=cmd_list)
    custom = action("customise", "copy a built-in template into the station's templates folder to change it", """
  radio-gen templates customise item.j2 --config station.toml  copy a built-in template into the station's folder""")
    custom.add_argument("name", help="template file name, e.g. item.j2")
    custom.add_argument("--by", help=BY_HELP)
    custom.set_defaults(handler=cmd_customise)
    saver = action("save", "validate a template in the build's sandbox and save it as a new version", """
  radio-gen templates save item.j2 --file item.j2 --version 3 --config station.toml   validated, then saved""")
    saver.add_argument("name", help="template file name, e.g. item.j2")
    saver.add_argument("--file", type=Path, required=True, help="UTF-8 template text ('-' reads standard input)")
    saver.add_argument("--version", type=int, help="the version you started from (as `versions` prints); "
                                                   "the save is refused if someone saved since (default: the latest)")
    saver.add_argument("--by", help=BY_HELP)
    saver.set_defaults(handler=cmd_save)
    listing = action("versions", "every saved version of a template: number, who, when, what", """
  radio-gen templates versions item.j2 --config station.toml   every saved version, who saved it and when""")
    listing.add_argument("name", help="template file name, e.g. item.j2")
    listing.set_defaults(handler=cmd_versions)
    differ = action("diff", "the lines changed from one version to another (default: to the template now)", """
  radio-gen templates diff item.j2 2 --config station.toml     version 2 against the template now""")
    differ.add_argument("name", help="template file name, e.g. item.j2")
    differ.add_argument("old", type=int, help="version number")
    differ.add_argument("new", type=int, nargs="?", help="version number (default: the template now)")
    differ.set_defaults(handler=cmd_diff)
    restorer = action("restore", "make an older version the template again (saved as a new version)", """
  radio-gen templates restore item.j2 2 --config station.toml  make version 2 the template again (a new version)""")
    restorer.add_argument("name", help="template file name, e.g. item.j2")
    restorer.add_argument("version", type=int, help="the version to bring back")
    restorer.add_argument("--by", help=BY_HELP)
    restorer.set_defaults(handler=cmd_restore)


def cmd_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    checked, problems = check(config, config.today())
    where: Path | None = config.templates_dir
    print(f"templates in {where}: {', '.join(checked) if checked else 'none (the built-in templates are used)'}")
    for problem in problems:
        print(f"!! {problem.message}")
    if problems:
        raise TemplatesInvalid(f"{len(problems)} template problem(s): the build would fail; fix the line shown")
    print(f"ok: {len(config.programs)} program(s) render")
    return 0


def _local(config: StationConfig, version: tv.Version) -> str:
    return version.at.astimezone(config.tz).strftime("%d/%m/%Y %H:%M")


def _print_problems(error: tv.TemplateInvalid) -> None:
    for problem in error.problems:
        print(f"!! {problem.message}")


def cmd_list(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    print(f"station templates in {config.templates_dir}")
    for template in tv.listing(config):
        where = "station" if template.customised else "built-in"
        latest = template.latest
        saved = f"  version {latest.version} by {latest.author} at {_local(config, latest)}" if latest else ""
        print(f"  {template.name:<16} {where:<9}{saved}")
    return 0


def cmd_customise(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    saved = tv.customise(config, args.name, by=who(args), date=config.today())
    print(f"{args.name}: copied to {config.templates_dir / args.name} as version {saved.version}; "
          "edit it there or in the newsroom")
    return 0


def cmd_save(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    try:
        text = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise tv.TemplateVersionError(f"cannot read {args.file}: {exc}") from None
    expected = args.version if args.version is not None else tv.current(config, args.name).version
    try:
        saved = tv.save(config, args.name, text, expected_version=expected, by=who(args), date=config.today())
    except tv.TemplateInvalid as exc:
        _print_problems(exc)
        raise
    print(f"{args.name}: saved as version {saved.version}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    template = tv.current(config, args.name)
    found = tv.versions(config, args.name)
    state = "the station's own" if template.customised else "built-in (customise it to change it)"
    print(f"{args.name}: {state}")
    if not found:
        print("  no saved version")
    for v in found:
        what = f"restore of version {v.restored_from}" if v.action == "restore" else v.action
        now = "  <- now" if template.customised and v is found[0] else ""
        print(f"  {v.version:>4}  {_local(config, v)}  {v.author:<16} {what}{now}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    lines = tv.compare(config, args.name, args.old, args.new)
    print(f"--- {args.name} version {args.old}")
    print(f"+++ {args.name} {'version ' + str(args.new) if args.new is not None else 'now'}")
    changed = [(m, line) for m, line in lines if m != " "]
    for mark, line in changed:
        print(f"{mark} {line}")
    if not changed:
        print("(no change)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    template = tv.current(config, args.name)
    try:
        saved = tv.restore(config, args.name, args.version, expected_version=template.version, by=who(args),
                           date=config.today())
    except tv.TemplateInvalid as exc:
        _print_problems(exc)
        raise
    if saved.version == template.version:
        print(f"{args.name}: version {args.version} is the template already; nothing changed")
    else:
        print(f"{args.name}: version {args.version} restored as version {saved.version}")
    return 0
