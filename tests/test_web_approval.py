"""Approval, deadlines, retention, users and sentence playback: the library under the newsroom."""

from __future__ import annotations

import datetime as dt
import wave

import numpy as np
import pytest
from helpers.cli import run_cli
from helpers.web_support import DAY1, DAY2, TZ, article_file, shared_template, station_copy

from radio_gen.approval import (APPROVED, DEADLINE_KEPT, DEADLINE_PUBLISHED, HELD, ApprovalError, Approvals,
                                approve, content_hash, enforce_deadlines, hold)
from radio_gen.build import BuildRequest, build
from radio_gen.config import ConfigError
from radio_gen.retention import Housekeeping, prune
from radio_gen.users import UserError, Users, check_password


def at(hour: int, minute: int, day: dt.date = DAY2) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def template(tmp_path_factory):
    return shared_template(tmp_path_factory)


def latest_hash(config):
    return content_hash(config.output.dir / "latest" / "sang.mp3")


def day_hash(config, day):
    return content_hash(config.output.dir / day.isoformat() / "sang.mp3")


def test_build_waits_for_approval_then_reaches_latest(template, tmp_path):
    config = station_copy(template, tmp_path / "s")
    assert latest_hash(config) is None                     # required: no build reached latest/
    decision = approve(config, "sang", DAY1, "duyet", expected=day_hash(config, DAY1))
    assert latest_hash(config) == day_hash(config, DAY1) == decision.hash
    assert day_hash(config, DAY2) != day_hash(config, DAY1)
    approve(config, "sang", DAY2, "duyet")
    assert latest_hash(config) == day_hash(config, DAY2)
    rows = Approvals(config.store_path).for_slot("sang", DAY2)
    assert [(d.decision, d.user, d.hash) for d in rows] == [(APPROVED, "duyet", day_hash(config, DAY2))]


def test_a_changed_build_needs_approval_again(template, tmp_path):
    from radio_gen.newsroom import Station

    config = station_copy(template, tmp_path / "s")
    approve(config, "sang", DAY2, "duyet")
    approved = latest_hash(config)
    article_file(tmp_path / "s" / "articles" / "c.txt", "Tin mới\n\nHuyện khai trương chợ phiên mới.")
    build(config, BuildRequest(program_id="sang", date=DAY2))
    assert day_hash(config, DAY2) != approved
    assert latest_hash(config) == approved                 # the loudspeakers keep what was heard
    slot = Station(config).slot(config.program("sang"), DAY2)
    assert slot.state == "awaiting" and not slot.approval.approved
    with pytest.raises(ApprovalError, match="rebuilt since"):
        approve(config, "sang", DAY2, "duyet", expected=approved)
    assert latest_hash(config) == approved


def test_unbuilt_program_cannot_be_approved(template, tmp_path):
    config = station_copy(template, tmp_path / "s")
    with pytest.raises(ApprovalError, match="not built"):
        approve(config, "sang", DAY2 + dt.timedelta(days=1), "duyet")
    with pytest.raises(ApprovalError, match="not built"):
        hold(config, "sang", DAY2 + dt.timedelta(days=1), "duyet")


@pytest.mark.parametrize("policy, held, expected", [
    ("publish-anyway", False, DEADLINE_PUBLISHED),
    ("keep-last-approved", False, DEADLINE_KEPT),
    ("publish-anyway", True, DEADLINE_KEPT),      # a hold is never overridden by the clock
])
def test_deadline_policies(template, tmp_path, policy, held, expected):
    config = station_copy(template, tmp_path / "s", approval=f'required = true\npolicy = "{policy}"\napprove_by = 15')
    approve(config, "sang", DAY1, "duyet")
    before = latest_hash(config)
    if held:
        assert hold(config, "sang", DAY2, "duyet", "sai tên xã").decision == HELD
    assert enforce_deadlines(config, at(5, 14)) == []                        # 16 min before broadcast
    assert latest_hash(config) == before
    taken = enforce_deadlines(config, at(5, 15))
    assert [(d.program, d.date, d.decision, d.user) for d in taken] == [("sang", DAY2, expected, "deadline")]
    assert latest_hash(config) == (day_hash(config, DAY2) if expected == DEADLINE_PUBLISHED else before)
    assert enforce_deadlines(config, at(5, 16)) == []                        # once per build
    assert Approvals(config.store_path).for_slot("sang", DAY2)[0].decision == expected


def test_deadline_leaves_approved_and_old_programs_alone(template, tmp_path):
    config = station_copy(template, tmp_path / "s")
    approve(config, "sang", DAY2, "duyet")
    assert enforce_deadlines(config, at(5, 25)) == []
    # DAY1's build was never approved, but its broadcast is long past: not published now.
    assert latest_hash(config) == day_hash(config, DAY2)
    assert enforce_deadlines(config, at(9, 0, DAY2)) == []


def test_approval_not_required_takes_no_deadline(template, tmp_path):
    config = station_copy(template, tmp_path / "s", approval="required = false")
    assert enforce_deadlines(config, at(5, 25)) == []


def test_housekeeping_tick_applies_deadlines_and_retention(template, tmp_path):
    config = station_copy(template, tmp_path / "s", output="keep_days = 1")
    old = config.output.dir / "2026-11-01"
    old.mkdir()
    (old / "sang.json").write_text("{}", encoding="utf-8")     # no program waiting in it
    Housekeeping().tick(config, at(5, 25))
    assert latest_hash(config) == day_hash(config, DAY2)                     # published at the deadline
    assert not old.exists()


def test_retention_keeps_today_latest_and_unapproved(template, tmp_path):
    config = station_copy(template, tmp_path / "s", output="keep_days = 30")
    out = config.output.dir
    approve(config, "sang", DAY1, "duyet")
    for name in ("2026-09-01", "2026-09-02", "2026-09-03"):
        (out / name).mkdir()
        (out / name / "sang.mp3").write_bytes(name.encode() * 50)
    decided = Approvals(config.store_path)
    with decided.writing() as db:
        from radio_gen.approval import Decision
        decided.add(db, Decision("sang", dt.date(2026, 9, 1), content_hash(out / "2026-09-01" / "sang.mp3"),
                                 APPROVED, "duyet", at(5, 0)))
    # 2026-09-02 is what latest/ plays (copied there by hand, e.g. an old approved program kept).
    # (latest/sang.mp3 is a link into the published set: replace the link, do not write through it)
    (out / "latest" / "sang.mp3").unlink()
    (out / "latest" / "sang.mp3").write_bytes((out / "2026-09-02" / "sang.mp3").read_bytes())
    removed = prune(config, DAY2 + dt.timedelta(days=40))
    assert [p.name for p in removed] == ["2026-09-01", DAY1.isoformat()]
    assert (out / "2026-09-02").exists()                  # on latest/
    assert (out / "2026-09-03").exists()                  # never approved
    assert (out / DAY2.isoformat()).exists()              # never approved
    assert prune(config, DAY2 + dt.timedelta(days=20)) == []    # within 30 days


def test_retention_without_approval_and_never_today(template, tmp_path):
    config = station_copy(template, tmp_path / "s", approval="required = false", output="keep_days = 1")
    assert prune(config, DAY2) == []                      # DAY2 is today, DAY1 is within a day
    removed = prune(config, DAY2 + dt.timedelta(days=3))
    assert sorted(p.name for p in removed) == [DAY1.isoformat(), DAY2.isoformat()]
    config = station_copy(template, tmp_path / "t", approval="required = false", output="keep_days = 0")
    assert prune(config, DAY2 + dt.timedelta(days=300)) == []


def test_users_roles_passwords_and_journal(tmp_path):
    users = Users(tmp_path / "radio-gen.sqlite")
    user = users.add("lan", "approver", "mat-khau-dai", by="cli")
    assert user.may("editor") and user.may("approver") and not user.may("admin")
    with pytest.raises(UserError, match="exists already"):
        users.add("lan", "editor", "mat-khau-khac", by="cli")
    with pytest.raises(UserError, match="at least 8"):
        users.add("hoa", "editor", "ngan", by="cli")
    with pytest.raises(UserError, match="role"):
        users.add("hoa", "boss", "mat-khau-dai", by="cli")
    with pytest.raises(UserError, match="user name"):
        users.add("../hoa", "editor", "mat-khau-dai", by="cli")
    assert users.authenticate("lan", "mat-khau-dai") == user
    assert users.authenticate("lan", "sai-mat-khau") is None and users.authenticate("ai", "mat-khau-dai") is None
    users.set_password("lan", "mat-khau-moi-1", by="lan")
    assert users.authenticate("lan", "mat-khau-dai") is None and users.authenticate("lan", "mat-khau-moi-1")
    users.remove("lan", by="cli")
    assert users.get("lan") is None
    assert [e.action for e in users.journal()] == ["user.remove", "user.passwd", "user.add"]
    import sqlite3
    stored = sqlite3.connect(tmp_path / "radio-gen.sqlite").execute("SELECT password FROM users").fetchall()
    assert stored == []
    users.add("hoa", "editor", "mat-khau-dai", by="cli")
    (hashed,) = sqlite3.connect(tmp_path / "radio-gen.sqlite").execute("SELECT password FROM users").fetchone()
    assert hashed.startswith("scrypt$16384$8$1$") and "mat-khau" not in hashed
    assert check_password("mat-khau-dai", hashed) and not check_password("mat-khau-dai", "md5$abc")


def test_users_cli(template, tmp_path):
    config_path = tmp_path / "s" / "station.toml"
    station_copy(template, tmp_path / "s")
    added = run_cli("users", "add", "lan", "--role", "approver", "--password-stdin", "--config", str(config_path),
                    input="mat-khau-dai\n")
    assert added.returncode == 0 and "added lan (approver)" in added.stdout
    assert run_cli("users", "add", "lan", "--role", "editor", "--password-stdin", "--config", str(config_path),
                   input="mat-khau-dai\n").returncode == 1
    listing = run_cli("users", "list", "--config", str(config_path))
    assert "lan" in listing.stdout and "approver" in listing.stdout
    changed = run_cli("users", "passwd", "lan", "--password-stdin", "--config", str(config_path), input="ngan\n")
    assert changed.returncode == 1 and "at least 8" in changed.stderr
    assert run_cli("users", "remove", "lan", "--config", str(config_path)).returncode == 0
    assert "no users" in run_cli("users", "list", "--config", str(config_path)).stdout


def test_settings_are_checked_when_the_station_file_is_loaded(template, tmp_path):
    for section, table, pattern in (("web", "port = 80000", "web.port"),
                                    ("web", 'secret = "short"', "web.secret"),
                                    ("web", 'language = "fr"', "web.language"),
                                    ("approval", 'policy = "later"', "approval.policy"),
                                    ("approval", "required = 1", "approval.required")):
        with pytest.raises(ConfigError, match=pattern.replace(".", r"\.")):
            station_copy(template, tmp_path / f"{section}{len(table)}{pattern}", **{section: table})
    web = station_copy(template, tmp_path / "ok").web
    assert (web.host, web.port, web.public_delivery, web.language) == ("127.0.0.1", 8080, False, "vi")
    tuned = station_copy(template, tmp_path / "tuned", web='public_url = "http://10.0.0.5:8080/"',
                         approval='required = true\napprove_by = 30\npolicy = "keep-last-approved"')
    assert tuned.web.public_url == "http://10.0.0.5:8080"
    assert (tuned.approval.required, tuned.approval.approve_by_minutes, tuned.approval.policy) == \
        (True, 30, "keep-last-approved")


def test_doctor_reports_the_newsroom(template, tmp_path):
    station_copy(template, tmp_path / "s", web="port = 18765")
    report = run_cli("doctor", "--config", str(tmp_path / "s" / "station.toml"))
    assert "newsroom: http://127.0.0.1:18765/ free for `radio-gen serve`; no users yet" in report.stdout
    with pytest.raises(ConfigError, match=r"web\.port"):
        station_copy(template, tmp_path / "t", web="port = 0")
    assert "web.port" in run_cli("doctor", "--config", str(tmp_path / "t" / "station.toml")).stdout


def test_sentence_is_spoken_leveled_and_cached(template, tmp_path):
    from radio_gen.listen import speak_sentence

    config = station_copy(template, tmp_path / "s")
    text = "Xã Minh Hòa đã trao năm mươi suất quà cho các hộ nghèo trong thôn, hôm nay."
    sample = speak_sentence(config, text)
    assert not sample.cached and sample.engine == "espeak-ng"
    with wave.open(str(sample.path)) as wav:
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float64)
        assert wav.getframerate() == 24000 and wav.getnframes() > 24000
    rms_db = 20 * np.log10(np.sqrt(np.mean(pcm**2)) / 32768)
    assert -30 < rms_db < -10                              # leveled speech near -16 LUFS, not silence
    again = speak_sentence(config, text)
    assert again.cached and again.path == sample.path
    other = speak_sentence(config, text + " Xin cảm ơn.")
    assert other.path != sample.path



def test_build_says_when_latest_waits_for_approval(template, tmp_path):
    station_copy(template, tmp_path / "s")
    done = run_cli("build", "--config", str(tmp_path / "s" / "station.toml"), "--date", DAY2.isoformat())
    assert done.returncode == 0
    assert "latest:   unchanged: waits for approval" in done.stdout
    assert not (tmp_path / "s" / "out" / "latest" / "sang.mp3").exists()


def test_holding_the_build_on_latest_puts_the_previous_one_back(template, tmp_path):
    config = station_copy(template, tmp_path / "s")
    approve(config, "sang", DAY1, "duyet")
    approve(config, "sang", DAY2, "duyet")
    assert latest_hash(config) == day_hash(config, DAY2)
    hold(config, "sang", DAY2, "lan", "đọc sai tên xã")
    assert latest_hash(config) == day_hash(config, DAY1)
    rows = Approvals(config.store_path).for_slot("sang", DAY2)
    assert (rows[0].decision, rows[0].user, rows[0].note) == (HELD, "lan", "đọc sai tên xã")
    # With nothing earlier released, the held build stays (the loudspeakers must play something).
    other = station_copy(template, tmp_path / "t")
    approve(other, "sang", DAY2, "duyet")
    hold(other, "sang", DAY2, "lan")
    assert latest_hash(other) == day_hash(other, DAY2)
