"""Issue 15: every example of the issue reads correctly through the real CLI
(`radio-gen normalize`), the station options (mùng, addresses left out) do what
they say, and the readings that must never happen do not."""

from __future__ import annotations

import pytest

from helpers.cli import run_cli
from helpers.paths import REPO
from radio_gen.text import normalize
from helpers.golden import canon

EXAMPLES = [tuple(line.split("\t")) for line in
            (REPO / "tests" / "data" / "tn" / "issue15-examples.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def test_every_issue_example_through_the_cli() -> None:
    done = run_cli("normalize", input="".join(src + "\n" for src, _ in EXAMPLES))
    assert done.returncode == 0, done.stderr
    got = done.stdout.splitlines()
    assert len(got) == len(EXAMPLES)
    wrong = [(src, out, want) for (src, want), out in zip(EXAMPLES, got) if canon(out) != canon(want)]
    assert not wrong, "\n".join(f"{s!r}: got {o!r}, want {w!r}" for s, o, w in wrong)


def test_south_says_hai_muoi_bon_through_the_cli() -> None:
    done = run_cli("normalize", "--dialect", "south", input="Huyện có 24 xã, năm 2024.\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Huyện có hai mươi bốn xã, năm hai ngàn không trăm hai mươi bốn."


@pytest.mark.parametrize(("src", "must_not"), [
    ("Thông tư 25/2025/TT-NHNN", "thị trấn"),
    ("TT-BTC", "ban tổ chức"),
    ("Số ca mắc mới giảm, ca huyện báo cáo.", "công an"),
    ("Căn cước công dân (CCCD)", "căn cước công dân căn cước công dân"),
    ("tháng 3 - 6/2027", "trên"),
    ("(T3/2017-T3/2018)", "tê"),
    ("100k", " ca"),
    ("2tr5", "tê e rờ"),
    ("1TB", "thông báo"),
    ("https://baodaknong.org.vn/mot-ha-trong-dua", "https"),
])
def test_wrong_readings_are_gone(src: str, must_not: str) -> None:
    assert must_not not in normalize(src).lower()


def test_mung_is_a_station_option() -> None:
    assert normalize("Sáng 5/6, xã họp.") == "Sáng ngày mùng năm tháng sáu, xã họp."
    assert normalize("Sáng 5/6, xã họp.", mung=False) == "Sáng ngày năm tháng sáu, xã họp."
    assert normalize("Sáng 5/6, xã họp.", dialect="south") == "Sáng ngày năm tháng sáu, xã họp."
    assert normalize("Sáng 5/6, xã họp.", dialect="south", mung=True) == "Sáng ngày mùng năm tháng sáu, xã họp."
    assert normalize("Sáng 15/6, xã họp.") == "Sáng ngày mười lăm tháng sáu, xã họp."


def test_addresses_can_be_left_out() -> None:
    text = "Xem tại https://huyen.gov.vn/tin-tuc hoặc gửi thư về vp@huyen.gov.vn."
    assert normalize(text) == ("Xem tại huyen chấm gov chấm vn hoặc gửi thư về "
                               "vp a còng huyen chấm gov chấm vn.")
    assert normalize(text, read_addresses=False) == "Xem tại hoặc gửi thư về."


def test_lowercase_entry_says_a_lowercase_form_expands() -> None:
    from radio_gen.text import Lexicon

    lex = Lexicon.from_text("CA = công an\nđc = đồng chí\n", base=Lexicon({}))
    assert normalize("CA xã và ca trực", lexicon=lex) == "Công an xã và ca trực"
    assert normalize("đc An và ĐC An", lexicon=lex) == "đồng chí An và đồng chí An"


def test_station_options_are_read_from_the_speech_section(tmp_path) -> None:
    from helpers.station import station_toml
    from radio_gen.config import ConfigError, load_config

    station = tmp_path / "station.toml"
    base = station_toml()
    station.write_text(base, encoding="utf-8")
    speech = load_config(station).speech
    assert (speech.mung, speech.read_addresses) == (None, True)
    station.write_text(base.replace("[speech]", "[speech]\nmung = false\nread_addresses = false"),
                       encoding="utf-8")
    speech = load_config(station).speech
    assert (speech.mung, speech.read_addresses) == (False, False)
    station.write_text(base.replace("[speech]", "[speech]\nmung = \"yes\""), encoding="utf-8")
    with pytest.raises(ConfigError, match="speech.mung"):
        load_config(station)
