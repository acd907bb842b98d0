"""`radio-gen clips …`: the signature tune and stinger the station plays, listed and replaced.

Thin: `clip_upload` checks, levels and stores (the same function as the newsroom's
"Nhạc hiệu" page).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from radio_gen import clip_upload
from radio_gen.cli.articles import _by
from radio_gen.cli.common import Commands, command_group
from radio_gen.config import load_config


def add_parser(commands: Commands) -> None:
    action = command_group(commands, "clips", "list or replace the signature tune and the stinger")
    action("list", "show each clip: the station's file (and its length) or the built-in tune", """
  radio-gen clips list --config station.toml                      what the next build plays for each clip"""
           ).set_defaults(handler=cmd_list)
    adder = action("add", "check, level and store a new clip; the next build plays it", """
  radio-gen clips add signature nhac-hieu-moi.mp3 --config station.toml
  radio-gen clips add stinger chuyen-tin.wav --config station.toml --by anh""")
    adder.add_argument("clip", choices=sorted([*clip_upload.KINDS, *clip_upload.ALIASES]),
                       help="signature (= nhac-hieu) or stinger")
    adder.add_argument("file", type=Path, help="an .mp3, .wav, .ogg or .flac file")
    adder.add_argument("--by", help="who makes the change, for the journal (default: cli:NAME)")
    adder.set_defaults(handler=cmd_add)


def cmd_list(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    for clip in clip_upload.clips(config):
        length = f"{clip.seconds:.1f} s" if clip.seconds is not None else "? s"
        print(f"{clip.kind:10} {length:>8}  {clip.path if clip.path else 'built-in tune'}")
    print(f"clips folder: {config.clips_dir}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if not args.file.is_file():
        raise clip_upload.ClipError(f"{args.file}: no such file", "clip.not_audio", name=str(args.file))
    stored = clip_upload.store_clip(config, args.clip, args.file, args.file.name, by=_by(args))
    print(f"{stored.kind}: {stored.path} ({stored.seconds:.1f} s, measured {stored.measured_lufs:.1f} LUFS, "
          f"leveled to {stored.lufs:.1f} LUFS); the next build plays it")
    for old in stored.replaced:
        print(f"   replaced file moved to {old}")
    return 0
