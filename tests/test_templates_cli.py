"""`radio-gen templates list/customise/save/versions/diff/restore` through the real entry point."""

from __future__ import annotations

from helpers.cli import run_cli
from helpers.station import make_station

from radio_gen import template_versions as tv
from radio_gen.config import load_config
from radio_gen.users import Users

BROKEN = "{{ item.title | sentence }}\n{% for p in item.paragraphs %}\n{{ p }}\n"
FIXED = "{{ clip(\"stinger\") }}\nTin số {{ item.number }}: {{ item.title | sentence }}\n\n" \
        "{% for p in item.paragraphs %}\n{{ p }}\n\n{% endfor %}\n{{ pause(1) }}\n"


def _journal(config_path) -> list[tuple[str, str, dict]]:
    return [(e.user, e.action, e.detail) for e in Users(load_config(config_path).store_path).journal(20)]


def test_customise_save_versions_diff_restore(tmp_path):
    config = make_station(tmp_path)
    listed = run_cli("templates", "list", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    rows = [line.split() for line in listed.stdout.splitlines()[1:]]
    assert ["item.j2", "built-in"] in rows and all(r[1] == "built-in" for r in rows)

    custom = run_cli("templates", "customise", "item.j2", "--config", str(config), "--by", "lan")
    assert custom.returncode == 0, custom.stderr
    assert "as version 1" in custom.stdout
    item = tmp_path / "templates" / "item.j2"
    original = item.read_text(encoding="utf-8")
    assert 'clip("stinger")' in original
    again = run_cli("templates", "customise", "item.j2", "--config", str(config))
    assert again.returncode == 1 and "already the station's own" in again.stderr

    # A broken template is refused at its line and nothing is written.
    draft = tmp_path / "moi.j2"
    draft.write_text(BROKEN, encoding="utf-8")
    broken = run_cli("templates", "save", "item.j2", "--file", str(draft), "--config", str(config))
    assert broken.returncode == 1
    assert "item.j2, line 3: syntax error" in broken.stdout and "not saved" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert item.read_text(encoding="utf-8") == original

    draft.write_text(FIXED, encoding="utf-8")
    saved = run_cli("templates", "save", "item.j2", "--file", str(draft), "--version", "1", "--by", "binh",
                    "--config", str(config))
    assert saved.returncode == 0, saved.stderr
    assert "saved as version 2" in saved.stdout and item.read_text(encoding="utf-8") == FIXED
    script = run_cli("script", "--config", str(config), "--date", "2026-11-26")
    assert script.returncode == 0 and "Tin số một" in script.stdout, script.stdout[-800:] + script.stderr

    stale = run_cli("templates", "save", "item.j2", "--file", "-", "--version", "1", "--config", str(config),
                    input=FIXED + "Thêm một câu.\n")
    assert stale.returncode == 1 and "was saved by binh" in stale.stderr and "was not saved" in stale.stderr
    assert item.read_text(encoding="utf-8") == FIXED

    versions = run_cli("templates", "versions", "item.j2", "--config", str(config))
    assert versions.returncode == 0, versions.stderr
    rows = [line.split() for line in versions.stdout.splitlines()[1:]]
    assert [(r[0], r[3], r[4]) for r in rows] == [("2", "binh", "save"), ("1", "lan", "customise")]
    assert rows[0][1] == "26/11/2026" and rows[0][2] == "05:00"        # the station's local time, not UTC

    diff = run_cli("templates", "diff", "item.j2", "1", "--config", str(config))
    assert diff.returncode == 0 and "+ Tin số {{ item.number }}: {{ item.title | sentence }}" in diff.stdout
    assert "- {{ item.title | sentence }}" in diff.stdout

    restored = run_cli("templates", "restore", "item.j2", "1", "--by", "lan", "--config", str(config))
    assert restored.returncode == 0 and "restored as version 3" in restored.stdout, restored.stderr
    assert item.read_text(encoding="utf-8") == original
    same = run_cli("templates", "restore", "item.j2", "3", "--config", str(config))
    assert same.returncode == 0 and "nothing changed" in same.stdout
    missing = run_cli("templates", "restore", "item.j2", "9", "--config", str(config))
    assert missing.returncode == 1 and "has no version 9" in missing.stderr

    actions = [(u, a, d.get("version")) for u, a, d in _journal(config) if a.startswith("template.")]
    assert actions == [("lan", "template.restore", 3), ("binh", "template.save", 2),
                       ("lan", "template.customise", 1)]


def test_a_file_changed_outside_radio_gen_is_kept_as_a_version(tmp_path):
    config = make_station(tmp_path)
    assert run_cli("templates", "customise", "closing.j2", "--config", str(config)).returncode == 0
    closing = tmp_path / "templates" / "closing.j2"
    closing.write_text("Hẹn gặp lại quý vị vào chương trình sau.\n", encoding="utf-8")        # edited on the station PC
    versions = run_cli("templates", "versions", "closing.j2", "--config", str(config))
    assert versions.returncode == 0 and " disk " in versions.stdout.splitlines()[1] + " "
    back = run_cli("templates", "restore", "closing.j2", "1", "--config", str(config))
    assert back.returncode == 0 and "restored as version 3" in back.stdout
    assert closing.read_text(encoding="utf-8").startswith("{#-")
    assert any(v.source.startswith("Hẹn gặp lại") for v in tv.versions(load_config(config), "closing.j2"))
    disk = [(u, d["version"], d["diff"]) for u, a, d in _journal(config) if a == "template.disk"]
    assert disk == [("disk", 2, disk[0][2])] and "+ Hẹn gặp lại quý vị vào chương trình sau." in disk[0][2]


def test_names_with_folders_are_refused_and_nothing_outside_is_written(tmp_path):
    config = make_station(tmp_path / "station")
    draft = tmp_path / "draft.j2"
    draft.write_text("Xin chào.\n", encoding="utf-8")
    for name in ("../evil.j2", "/tmp/evil.j2", "sub/item.j2", "item.txt", ".item.j2", "item.j2/.."):
        for args in (("customise", name), ("save", name, "--file", str(draft)), ("versions", name)):
            done = run_cli("templates", *args, "--config", str(config))
            assert done.returncode == 1 and "plain file name ending in .j2" in done.stderr, (args, done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.j2", "station"]
    assert not (tmp_path / "station" / "templates").exists()
