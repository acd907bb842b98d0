"""Audio benchmark: cold build, rebuild, memory, a newcomer's pydub baseline and the encode floor.

    .venv/bin/python bench/bench_audio.py            # 30- and 60-minute programs
    .venv/bin/python bench/bench_audio.py --minutes 10

For each length it writes a station whose articles are the bundled sample articles,
renumbered and reworded so that no two are alike, and measures in the same run:

1. cold build: `radio-gen build` with espeak-ng and an empty cache;
2. rebuild after one article changed (one sentence added to one article);
3. peak memory (max RSS) of the build process;
4. baseline: the same speech made the way a newcomer would with pydub (synthesize each
   segment, `program += segment` in a loop, `effects.normalize`, `export`);
5. floor: one ffmpeg/LAME encode of the finished program's audio, same MP3 settings.

Ratios are against the floor measured in the same run, so they hold on any machine.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "src" / "radio_gen" / "demo" / "articles"
PYTHON = sys.executable
DATE = "2026-11-26"

sys.path.insert(0, str(REPO / "tests"))
from helpers.station import station_toml  # noqa: E402


def station_file(minutes: int) -> str:
    """One morning program of `minutes` of news, from the articles folder, read by espeak-ng."""
    return station_toml(
        station={"name": "Đài Truyền thanh huyện Đo Đạc", "district": "huyện Đo Đạc", "province": "tỉnh Thử Nghiệm"},
        programs=[{"id": "sang", "title": "Chương trình thời sự buổi sáng", "broadcast": "05:30", "max_items": 100,
                   "news_minutes": minutes}])

# Runs `radio-gen ARGS` in this process and reports its peak RSS (KiB) on stderr's last line.
MEASURED = """\
import resource, sys
from radio_gen.cli import main
if __name__ == "__main__":
    code = main(sys.argv[1:])
    print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
    sys.exit(code)
"""

# The newcomer's way: every segment through pydub, `+=` in a loop, normalize, export.
BASELINE = """\
import json, resource, subprocess, sys, tempfile, time
from pathlib import Path
from pydub import AudioSegment, effects
sys.path.insert(0, sys.argv[3])
from radio_gen.audio.clips import load_clip

rundown = json.loads(Path(sys.argv[1]).read_text("utf-8"))
program = AudioSegment.empty()
spent = {"synth": 0.0, "join": 0.0}
with tempfile.TemporaryDirectory() as work:
    for i, segment in enumerate(rundown["segments"]):
        started = time.perf_counter()
        if segment["kind"] == "speech":
            wav = Path(work) / f"{i}.wav"
            subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", str(wav), segment["text"]], check=True)
            part = AudioSegment.from_wav(wav) + AudioSegment.silent(350)
        elif segment["kind"] == "clip":
            part = AudioSegment(load_clip(segment["clip"], None), sample_width=2, frame_rate=24000, channels=1)
        else:
            part = AudioSegment.silent(int((segment["end"] - segment["start"]) * 1000))
        joined = time.perf_counter()
        program += part
        spent["synth"] += joined - started
        spent["join"] += time.perf_counter() - joined
started = time.perf_counter()
program = effects.normalize(program)
spent["normalize"] = time.perf_counter() - started
started = time.perf_counter()
program.export(sys.argv[2], format="mp3", bitrate="64k", parameters=["-ar", "44100", "-ac", "1"])
spent["export"] = time.perf_counter() - started
print("phases", json.dumps(spent), file=sys.stderr)
print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def make_articles(folder: Path, count: int) -> None:
    """`count` distinct articles from the samples: renumbered titles, reworded sentences."""
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md"))
    folder.mkdir(parents=True)
    for n in range(count):
        source = samples[n % len(samples)]
        text = source.read_text("utf-8")
        lines = text.splitlines()
        title = re.sub(r"^#\s*", "", lines[0])
        body = "\n".join(lines[1:])
        folder.joinpath(f"{n:03d}-{source.stem}.txt").write_text(
            f"{title} (bản tin số {n + 1})\n\n"
            f"Đây là bản tin số {n + 1} trong chương trình hôm nay.\n{body}\n", "utf-8")


def timed(command: list[str], cwd: Path) -> tuple[float, int | None, str]:
    """Wall seconds, the peak RSS (KiB) the command reported if it did, and its stderr."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    found = re.findall(r"maxrss_kib (\d+)", done.stderr)
    return elapsed, int(found[-1]) if found else None, done.stderr


def build(station: Path, articles: Path) -> tuple[float, int | None]:
    elapsed, rss, _ = timed([PYTHON, str(station / "measured.py"), "build", "--config", str(station / "station.toml"),
                             "--date", DATE, "--articles", str(articles)], station)
    return elapsed, rss


def floor(mp3: Path, work: Path) -> float:
    """One encode of the program's audio (as internal-format PCM) with the station's MP3 settings."""
    sys.path.insert(0, str(REPO / "src"))
    from radio_gen.audio.encode import encoder_args
    from radio_gen.audio.settings import Mp3Settings

    pcm = work / "program.pcm"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(mp3), "-f", "s16le", "-ar", "24000", "-ac", "1",
                    str(pcm)], check=True)
    command = ["ffmpeg", "-v", "error", "-y", *encoder_args(Mp3Settings()), "-f", "mp3", str(work / "floor.mp3")]
    with open(pcm, "rb") as source:
        started = time.perf_counter()
        subprocess.run(command, stdin=source, check=True)
        return time.perf_counter() - started


def bench(minutes: int, root: Path) -> dict[str, float]:
    station = root / f"station-{minutes}"
    station.mkdir()
    (station / "station.toml").write_text(station_file(minutes), "utf-8")
    # A file, not `python -c`: template rendering starts worker processes that re-import __main__.
    (station / "measured.py").write_text(MEASURED, "utf-8")
    articles = station / "articles"
    make_articles(articles, count=round(minutes * 0.92))
    cold, cold_rss = build(station, articles)
    mp3 = station / "out" / DATE / "sang.mp3"
    rundown = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    changed = sorted(articles.iterdir())[len(list(articles.iterdir())) // 2]
    changed.write_text(changed.read_text("utf-8") + "\nBan biên tập vừa bổ sung một câu vào bản tin này.\n", "utf-8")
    rebuild, rebuild_rss = build(station, articles)
    after = json.loads(mp3.with_suffix(".json").read_text("utf-8"))
    floor_seconds = floor(mp3, station)
    shutil.copy(mp3.with_suffix(".json"), station / "rundown-cold.json")
    baseline, baseline_rss, report = timed([PYTHON, "-c", BASELINE, str(station / "rundown-cold.json"),
                                            str(station / "baseline.mp3"), str(REPO / "src")], station)
    phases = json.loads(re.findall(r"phases (.*)", report)[-1])
    return {
        "minutes": rundown["duration"] / 60, "cold": cold, "rebuild": rebuild, "floor": floor_seconds,
        "baseline": baseline, "rss": max(cold_rss or 0, rebuild_rss or 0) / 1024,
        "baseline_rss": (baseline_rss or 0) / 1024, "pieces": rundown["render"]["pieces"],
        "rebuilt_pieces": after["render"]["pieces"] - after["render"]["pieces_from_cache"],
        "rebuild_calls": after["render"]["engine_calls"], "lufs": rundown["loudness"]["integrated_lufs"],
        **{f"baseline_{k}": v for k, v in phases.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[30, 60])
    parser.add_argument("--keep", type=Path, help="keep the stations and programs in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="radio-gen-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for minutes in args.minutes:
            print(f"benchmarking a {minutes}-minute program ...", file=sys.stderr, flush=True)
            rows.append(bench(minutes, root))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print("| program | cold build | rebuild (1 article) | floor (1 encode) | newcomer baseline "
          "| cold / floor | rebuild / floor | baseline / cold | peak RSS build | peak RSS baseline |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['minutes']:.1f} min, {r['pieces']} pieces | {r['cold']:.1f} s | {r['rebuild']:.2f} s "
              f"({r['rebuilt_pieces']} piece(s), {r['rebuild_calls']} engine calls) | {r['floor']:.1f} s "
              f"| {r['baseline']:.1f} s | {r['cold'] / r['floor']:.2f}× | {r['rebuild'] / r['floor']:.2f}× "
              f"| {r['baseline'] / r['cold']:.1f}× | {r['rss']:.0f} MB | {r['baseline_rss']:.0f} MB |")
    print("\nbaseline phases (s): " + "; ".join(
        f"{r['minutes']:.0f} min: synthesis {r['baseline_synth']:.1f}, `+=` joins {r['baseline_join']:.1f}, "
        f"normalize {r['baseline_normalize']:.1f}, export {r['baseline_export']:.1f}" for r in rows))


if __name__ == "__main__":
    main()
