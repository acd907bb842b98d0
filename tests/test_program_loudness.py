"""A built program meets its loudness targets, measured on the MP3 by ffmpeg's ebur128 filter."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from helpers.audio_probe import duration
from helpers.cli import run_cli
from helpers.station import make_station

# Items of very different kinds: a short notice, a long report full of numbers, a shouted title.
ARTICLES = {
    "a.txt": "Thông báo cắt điện\n\nNgày mai, xã Tân Lập tạm ngừng cấp điện từ bảy giờ đến mười một giờ.",
    "b.txt": ("Thu hoạch lúa mùa\n\nVụ mùa năm nay, toàn huyện gieo cấy hơn bốn nghìn hai trăm héc-ta lúa. "
              "Năng suất bình quân đạt năm mươi tám tạ trên héc-ta, tăng hai tạ so với năm ngoái. "
              "Nhiều hợp tác xã đã đưa máy gặt đập liên hợp vào đồng ruộng, giảm chi phí cho bà con. "
              "Huyện khuyến cáo bà con khẩn trương thu hoạch để tránh mưa bão cuối mùa."),
    "c.txt": "TIÊM CHỦNG MỞ RỘNG\n\nTRẠM Y TẾ XÃ TIÊM VẮC-XIN CHO TRẺ EM VÀO SÁNG THỨ BẢY.",
    "d.txt": ("Trường đạt chuẩn quốc gia\n\nTrường tiểu học Minh Sơn vừa được công nhận đạt chuẩn quốc gia "
              "mức độ hai. Nhà trường có hai mươi phòng học kiên cố và một thư viện hiện đại."),
}


def ebur128(mp3: Path, start: float | None = None, end: float | None = None) -> tuple[float, float]:
    window = ["-ss", f"{start:.3f}", "-to", f"{end:.3f}"] if start is not None and end is not None else []
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", *window, "-i", str(mp3), "-af", "ebur128=peak=true",
                          "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    summary = err[err.rindex("Summary:"):]
    return (float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1)),
            float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1)))


def build(tmp_path: Path, extra: str = "", articles: dict[str, str] = ARTICLES) -> tuple[Path, dict]:
    config = make_station(tmp_path, articles=articles, extra=extra)
    done = run_cli("build", "--config", str(config), "--date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    mp3 = Path(done.stdout.strip().splitlines()[-1])
    return mp3, json.loads(mp3.with_suffix(".json").read_text("utf-8"))


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    return build(tmp_path_factory.mktemp("loud"))


def test_program_lands_at_minus_16_lufs_under_minus_1_dbtp(program: tuple[Path, dict]) -> None:
    mp3, rundown = program
    lufs, peak = ebur128(mp3)
    assert -17.0 <= lufs <= -15.0
    assert peak <= -1.0
    figures = rundown["loudness"]
    assert figures["target_lufs"] == -16.0 and figures["true_peak_target_db"] == -1.0
    assert abs(figures["integrated_lufs"] - lufs) <= 1.0
    assert figures["true_peak_db"] <= -1.0


def test_news_items_are_within_2_lu_of_each_other(program: tuple[Path, dict]) -> None:
    mp3, rundown = program
    items: dict[str, list[dict]] = {}
    for segment in rundown["segments"]:
        if segment["kind"] == "speech" and segment.get("article_id"):
            items.setdefault(segment["article_id"], []).append(segment)
    assert len(items) == 4
    measured = [ebur128(mp3, min(s["start"] for s in segs), max(s["end"] for s in segs))[0]
                for segs in items.values()]
    assert max(measured) - min(measured) <= 2.0, measured
    assert rundown["loudness"]["item_spread_lu"] <= 2.0
    assert set(rundown["loudness"]["items_lufs"]) == set(items)


def test_rundown_records_each_segments_figures(program: tuple[Path, dict]) -> None:
    _, rundown = program
    for segment in rundown["segments"]:
        if segment["kind"] in ("speech", "clip"):
            assert {"measured_lufs", "gain_db", "lufs", "true_peak_db"} <= set(segment), segment
            assert abs(segment["lufs"] - (-16.0)) <= 1.0
            assert segment["true_peak_db"] <= -1.0


def test_rundown_times_match_the_mp3(program: tuple[Path, dict]) -> None:
    mp3, rundown = program
    assert abs(duration(mp3) - rundown["duration"]) < 0.05
    ends = [s["end"] for s in rundown["segments"]]
    assert all(a["end"] <= b["start"] + 1e-6 for a, b in zip(rundown["segments"], rundown["segments"][1:]))
    assert max(ends) <= rundown["duration"]


def test_station_sets_its_own_targets(tmp_path: Path) -> None:
    # The short notice and the shouted title: speech of both kinds, and music, in a shorter program.
    mp3, rundown = build(tmp_path, "\n[audio]\ntarget_lufs = -23\ntrue_peak_db = -3\n",
                         {name: ARTICLES[name] for name in ("a.txt", "c.txt")})
    lufs, peak = ebur128(mp3)
    assert -24.0 <= lufs <= -22.0
    assert peak <= -3.0
    assert rundown["loudness"]["target_lufs"] == -23.0


def test_bad_audio_setting_is_a_clear_error(tmp_path: Path) -> None:
    config = make_station(tmp_path, extra="\n[audio]\ntarget_lufs = 3\n")
    done = run_cli("build", "--config", str(config))
    assert done.returncode == 1
    assert "audio.target_lufs" in done.stderr and "between" in done.stderr
    assert "Traceback" not in done.stderr
