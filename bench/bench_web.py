"""Newsroom benchmark: page times on a full store, and page loads while loudspeakers download.

    .venv/bin/python bench/bench_web.py                 # 10,000 articles, a year of runs, 50 downloads
    .venv/bin/python bench/bench_web.py --requests 100 --downloads 50 --seconds 15

It makes a station in a temporary folder with two programs (sang, chieu), approval
required, and fills its store the way a year of service would: 10,000 articles, a year
of broadcasts, runs (with a failed attempt now and then), approvals and journal lines,
and a year of date folders. Today's programs are built for real (espeak-ng). Then
`radio-gen serve` runs in its own process, and over real HTTP on 127.0.0.1 it measures:

1. baseline: a static file (/static/style.css): the server's and the client's floor;
2. the dashboard (/), the program page, the RSS feed, a sentence's play button (first
   time: spoken and leveled; then cached): median and 95th percentile;
3. the dashboard loaded every 0.2 s while 50 clients download /phat/sang.mp3 (a
   30-minute, 14 MB program) over and over at full speed.

Targets (issue 16): pages <= 100 ms median; page loads <= 500 ms during the downloads;
an espeak-ng sentence <= 1 s, a cached one at once.
Ratios are against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

import httpx  # noqa: E402

from helpers.station import station_toml  # noqa: E402
from radio_gen.approval import APPROVED, Approvals, content_hash  # noqa: E402
from radio_gen.build import BuildRequest, build  # noqa: E402
from radio_gen.config import load_config  # noqa: E402
from radio_gen.history import History  # noqa: E402
from radio_gen.intake.store import Store  # noqa: E402
from radio_gen.users import Users  # noqa: E402

PASSWORD = "mat-khau-do-dac"


def station_file(port: int) -> str:
    """Two daily programs, a folder source repeated every day, approval and public delivery."""
    return station_toml(
        station={"name": "Đài Truyền thanh huyện Đo Đạc", "timezone": "Asia/Ho_Chi_Minh"},
        programs=[{"id": "sang", "title": "Chương trình thời sự buổi sáng", "broadcast": "05:30", "build": "05:00"},
                  {"id": "chieu", "title": "Chương trình thời sự buổi chiều", "broadcast": "17:00", "build": "16:30"}],
        articles={"max_age_days": 0, "sources": [{"kind": "folder", "path": "articles", "repeat": True}]},
        output={"dir": "out", "keep_days": 400}, approval={"required": True},
        web={"port": port, "public_delivery": True})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_station(root: Path, port: int, articles: int, days: int) -> tuple[Path, dt.date]:
    (root / "articles").mkdir(parents=True)
    samples = sorted((REPO / "src" / "radio_gen" / "demo" / "articles").glob("*.txt"))[:4]
    for sample in samples:
        target = root / "articles" / sample.name
        target.write_bytes(sample.read_bytes())
    path = root / "station.toml"
    path.write_text(station_file(port), encoding="utf-8")
    config = load_config(path)
    today = config.today()
    stamp = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8), tzinfo=config.tz).timestamp()
    for target in (root / "articles").iterdir():
        os.utime(target, (stamp, stamp))
    began = time.monotonic()
    for program in ("sang", "chieu"):
        build(config, BuildRequest(program_id=program, date=today))
    print(f"built today's two programs in {time.monotonic() - began:.1f} s")
    _fill_store(config, today, articles, days)
    _year_of_folders(config, today, days)
    Users(config.store_path).add("bench", "approver", PASSWORD, by="bench")
    return path, today


def _fill_store(config, today: dt.date, articles: int, days: int) -> None:
    began = time.monotonic()
    Store.open(config.store_path).close()
    History(config.store_path)
    Approvals(config.store_path)
    Users(config.store_path)
    now = dt.datetime.now(dt.timezone.utc).isoformat()
    db = sqlite3.connect(config.store_path)
    with db:
        rows = []
        for i in range(articles):
            body = f"Bài số {i}: xã {i % 97} tổ chức họp dân về kế hoạch năm {2025 + i % 3}. " * 8
            rows.append((f"bench{i:06d}", f"https://bao.example.vn/tin/{i}", "bao-tinh", f"Tin số {i}", body,
                         (today - dt.timedelta(days=i % days)).isoformat(),
                         hashlib.sha256(body.encode()).hexdigest(), now, now))
        db.executemany("INSERT INTO articles (id, url, source, title, body, published, content_hash, first_seen,"
                       " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        broadcasts, runs, decisions, journal = [], [], [], []
        tz = config.tz
        for back in range(1, days + 1):
            day = today - dt.timedelta(days=back)
            for program, (hour, minute) in (("sang", (5, 30)), ("chieu", (17, 0))):
                for position in range(8):
                    broadcasts.append((program, day.isoformat(), f"bench{(back * 16 + position) % articles:06d}",
                                       position, now))
                air = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)
                start = air - dt.timedelta(minutes=30)
                utc = lambda moment: moment.astimezone(dt.timezone.utc).isoformat()  # noqa: E731
                if back % 17 == 0:       # a failed first attempt now and then
                    runs.append((program, utc(start), utc(air), "scheduled", 1, utc(start),
                                 utc(start + dt.timedelta(seconds=20)), "failed", None, "[]", "engine failed", 1))
                runs.append((program, utc(start), utc(air), "scheduled", 2 if back % 17 == 0 else 1, utc(start),
                             utc(start + dt.timedelta(seconds=95)), "ok", f"/srv/out/{day}/{program}.mp3",
                             '["segment 3: fell back to espeak-ng"]', None, 1))
                decisions.append((program, day.isoformat(), "0" * 64, APPROVED, "bench", utc(start), ""))
                journal.append((utc(start), "bench", "approve", json.dumps({"program": program})))
        db.executemany("INSERT OR IGNORE INTO broadcasts VALUES (?, ?, ?, ?, ?)", broadcasts)
        db.executemany("INSERT INTO runs (program, scheduled, broadcast, trigger, attempt, started, ended, outcome,"
                       " output, warnings, error, pid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", runs)
        db.executemany("INSERT INTO approvals (program, date, hash, decision, user, at, note)"
                       " VALUES (?,?,?,?,?,?,?)", decisions)
        db.executemany("INSERT INTO journal (at, user, action, detail) VALUES (?,?,?,?)", journal)
    counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("articles", "broadcasts", "runs", "approvals", "journal")}
    db.close()
    print(f"store filled in {time.monotonic() - began:.1f} s: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


def _year_of_folders(config, today: dt.date, days: int) -> None:
    """A year of date folders (hard links to today's files) and a 30-minute program on latest/."""
    for program in ("sang", "chieu"):
        source = config.output.dir / today.isoformat()
        for back in range(1, days + 1):
            folder = config.output.dir / (today - dt.timedelta(days=back)).isoformat()
            folder.mkdir(exist_ok=True)
            for suffix in ("mp3", "json", "txt"):
                os.link(source / f"{program}.{suffix}", folder / f"{program}.{suffix}")
    latest = config.output.dir / "latest"
    latest.mkdir(exist_ok=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=d=1800:a=0.05:c=pink",
                    "-ac", "1", "-ar", "44100", "-b:a", "64k", str(latest / "sang.mp3")], check=True)
    digest = content_hash(config.output.dir / today.isoformat() / "sang.mp3")
    with Approvals(config.store_path).writing() as db:
        db.execute("INSERT INTO approvals (program, date, hash, decision, user, at) VALUES (?,?,?,?,?,?)",
                   ("sang", today.isoformat(), digest, APPROVED, "bench", dt.datetime.now(dt.timezone.utc).isoformat()))
    print(f"latest/sang.mp3: {(latest / 'sang.mp3').stat().st_size / 1e6:.1f} MB")


def timed(client: httpx.Client, path: str) -> float:
    began = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, (path, response.status_code)
    return elapsed * 1000


def stats(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], ordered[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--downloads", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=12.0)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-web-") as work:
        station, today = make_station(Path(work) / "station", port, args.articles, args.days)
        env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
        server = subprocess.Popen([sys.executable, "-m", "radio_gen", "serve", "--config", str(station)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}"
            client = httpx.Client(base_url=base, timeout=60)
            deadline = time.monotonic() + 30
            while True:
                try:
                    page = client.get("/dang-nhap")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:]}") from None
                    time.sleep(0.2)
            token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/dang-nhap", data={"user": "bench", "password": PASSWORD, "csrf": token})
            paths = {"baseline /static/style.css": "/static/style.css", "dashboard /": "/",
                     "program page": f"/chuong-trinh/{today}/sang", "RSS feed": "/phat/sang.rss"}
            for path in paths.values():      # warm-up: first requests import and cache
                for _ in range(3):
                    timed(client, path)
            results = {name: stats([timed(client, path) for _ in range(args.requests)])
                       for name, path in paths.items()}
            # A sentence's ▶: the first time spoken by espeak-ng and leveled, then from the cache.
            sentence = f"/chuong-trinh/{today}/sang/cau/2/0"
            results["sentence ▶, first time"] = stats([timed(client, sentence)] * 1)
            results["sentence ▶, cached"] = stats([timed(client, sentence) for _ in range(args.requests)])
            floor = results["baseline /static/style.css"][0]
            print(f"\n{'what':<28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'× baseline':>11}")
            for name, (median, p95, worst) in results.items():
                print(f"{name:<28} {median:10.1f} {p95:8.1f} {worst:8.1f} {median / floor:11.1f}")

            stop = threading.Event()
            downloaded = [0] * args.downloads

            def download(slot: int) -> None:
                with httpx.Client(base_url=base, timeout=60) as own:
                    while not stop.is_set():
                        with own.stream("GET", "/phat/sang.mp3") as response:
                            for block in response.iter_bytes(65536):
                                downloaded[slot] += len(block)
                                if stop.is_set():
                                    break

            threads = [threading.Thread(target=download, args=(i,), daemon=True) for i in range(args.downloads)]
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            loads = []
            began = time.monotonic()
            while time.monotonic() - began < args.seconds:
                loads.append(timed(client, "/"))
                time.sleep(0.2)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            elapsed = time.monotonic() - began + 1.0
            median, p95, worst = stats(loads)
            print(f"\nduring {args.downloads} concurrent /phat/sang.mp3 downloads "
                  f"({sum(downloaded) / 1e6 / elapsed:.0f} MB/s served, {sum(downloaded) / 1e6:.0f} MB):")
            print(f"{'dashboard /':<28} {median:10.1f} {p95:8.1f} {worst:8.1f} {median / floor:11.1f}"
                  f"   ({len(loads)} loads)")
            ok_pages = all(results[n][0] <= 100 for n in ("dashboard /", "program page"))
            ok_load = worst <= 500
            print(f"\ntarget pages <= 100 ms median: {'met' if ok_pages else 'NOT met'}; "
                  f"page load <= 500 ms during downloads (worst of {len(loads)}): {'met' if ok_load else 'NOT met'}")
            return 0 if ok_pages and ok_load else 1
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
