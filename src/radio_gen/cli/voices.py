"""`radio-gen voices list | install | try`: the announcers' voices, for the operator.

Only parses arguments, calls the library (tts.piper_voices, tts.roles, listen) and prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radio_gen.cli.common import Commands, command_group
from radio_gen.config import load_config


def add_parser(commands: Commands) -> None:
    action = command_group(commands, "voices",
                           "list, install and try the announcers' voices (Piper, edge-tts, espeak-ng)",
                           dest="voices_action")

    listing = action("list", "show installed Piper voices with their languages, and each announcer's chain", """
  radio-gen voices list                            installed Piper voices and the announcers""")
    listing.set_defaults(handler=cmd_list)

    install = action("install", "download a published Piper voice into the station's voices folder", """
  radio-gen voices install vi_VN-vais1000-medium --config station.toml
  radio-gen voices install vi_VN-vais1000-medium --sha256 <64 hex digits from the publisher>""")
    install.add_argument("name", help="voice name, e.g. vi_VN-vais1000-medium")
    install.add_argument("--base-url", help="where voices are published (default: [voices] download_url, "
                                            "else the rhasspy/piper-voices layout on Hugging Face)")
    install.add_argument("--sha256", help="the model's SHA-256, when the publisher gives it: checked before install")
    install.add_argument("--force", action="store_true", help="download again over an installed voice")
    install.add_argument("--timeout", type=float, default=60.0, help="seconds without data before giving up (60)")
    install.set_defaults(handler=cmd_install)

    trying = action("try", "speak a sentence with an announcer's voice into a WAV file and print its path", """
  radio-gen voices try "Đây là Đài Truyền thanh huyện." --role A --config station.toml
  radio-gen voices try "Xin chào." --role B --out thu-giong-B.wav""")
    trying.add_argument("text", help="the sentence to speak, e.g. \"Xin chào bà con.\"")
    trying.add_argument("--role", help="announcer from [voices], e.g. A (default: the first one)")
    trying.add_argument("--out", type=Path, help="WAV file to write (default: ./thu-giong-ROLE.wav)")
    trying.set_defaults(handler=cmd_try)


def cmd_list(args: argparse.Namespace) -> int:
    from radio_gen.tts.piper_voices import installed_voices
    from radio_gen.tts.roles import chain_engines

    config = load_config(args.config)
    voices = installed_voices(config.voices_dir)
    print(f"voices folder: {config.voices_dir}")
    if not voices:
        print("  no Piper voice installed (radio-gen voices install vi_VN-vais1000-medium)")
    for voice in voices:
        if voice.info is None:
            print(f"  {voice.name}: unusable: {voice.problem}")
            continue
        info = voice.info
        note = "" if info.is_vietnamese else "  (not Vietnamese: refused for programs)"
        print(f"  {voice.name}: {info.language or info.espeak_voice}, {info.quality or '?'} quality, "
              f"{info.sample_rate} Hz, {info.size_bytes / 1e6:.1f} MB{note}")
    print("announcers:" if config.voices.roles else "announcers: none configured; every segment uses "
          f"[speech] engines: {', '.join(config.speech.engines)}")
    for role in config.voices.roles:
        chain = " → ".join(e.voice_id for e in chain_engines(config, role))
        print(f"  {role.name}: {chain}")
    return 0


def cmd_install(args: argparse.Namespace) -> int:
    from radio_gen.tts.piper_voices import install_voice

    config = load_config(args.config)
    base_url = args.base_url or config.voices.download_url
    print(f"downloading {args.name} from {base_url} …", file=sys.stderr)
    info = install_voice(args.name, config.voices_dir, base_url, sha256=args.sha256, force=args.force,
                         timeout=args.timeout)
    if not info.is_vietnamese:
        print(f"radio-gen: warning: {info.name} speaks {info.language or info.espeak_voice}, not Vietnamese: "
              "announcers cannot use it for programs", file=sys.stderr)
    print(f"installed {info.name} ({info.language or info.espeak_voice}, {info.size_bytes / 1e6:.1f} MB)")
    print(info.model)
    return 0


def cmd_try(args: argparse.Namespace) -> int:
    from radio_gen.listen import voice_sample

    sample = voice_sample(load_config(args.config), args.text, args.role, args.out)
    for problem in sample.lexicon_problems:
        print(f"radio-gen: warning: {problem}", file=sys.stderr)
    for failure in sample.failures:
        print(f"radio-gen: warning: fell back after: {failure}", file=sys.stderr)
    print(f"announcer {sample.role or '(none configured)'}: {sample.voice} ({sample.seconds:.1f} s)", file=sys.stderr)
    print(sample.path)
    return 0
