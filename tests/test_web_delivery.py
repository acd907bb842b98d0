"""What loudspeakers and podcast players fetch, over real HTTP: /phat/<program>.mp3, .m3u, .rss."""

from __future__ import annotations

import json
import subprocess
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree as ET

import httpx
import pytest
from helpers import fast_web
from helpers.web_support import DAY1, DAY2, shared_template, station_copy

from radio_gen.approval import approve, content_hash
from radio_gen.audio.ffmpeg import ffprobe

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
server, module_server = fast_web.server, fast_web.module_server     # fixtures: one uvicorn a module


@pytest.fixture
def station(tmp_path, tmp_path_factory):
    config = station_copy(shared_template(tmp_path_factory), tmp_path / "station",
                          web="public_delivery = true\nfeed_days = 7")
    approve(config, "sang", DAY1, "duyet")      # DAY1 is released; DAY2 waits for approval
    return config


@pytest.fixture
def client(station, server):
    with httpx.Client(base_url=server.url, timeout=30, verify=fast_web.TLS) as c:
        yield c


def test_range_request_returns_206_with_the_right_bytes(station, client):
    whole = (station.output.dir / "latest" / "sang.mp3").read_bytes()
    response = client.get("/phat/sang.mp3", headers={"range": "bytes=1000-4999"})
    assert response.status_code == 206
    assert response.content == whole[1000:5000]
    assert response.headers["content-range"] == f"bytes 1000-4999/{len(whole)}"
    tail = client.get("/phat/sang.mp3", headers={"range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == whole[-500:]
    assert client.get("/phat/sang.mp3", headers={"range": f"bytes={len(whole) + 10}-"}).status_code == 416


def test_mp3_headers_etag_and_conditional_get(station, client):
    response = client.get("/phat/sang.mp3")
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["accept-ranges"] == "bytes"
    assert int(response.headers["content-length"]) == len(response.content)
    assert parsedate_to_datetime(response.headers["last-modified"])
    etag = response.headers["etag"]
    assert client.get("/phat/sang.mp3", headers={"if-none-match": etag}).status_code == 304
    assert content_hash(station.output.dir / "latest" / "sang.mp3") == content_hash(
        station.output.dir / DAY1.isoformat() / "sang.mp3")


def test_ffprobe_reads_the_served_mp3(client, tmp_path):
    served = tmp_path / "served.mp3"
    served.write_bytes(client.get("/phat/sang.mp3").content)
    probe = subprocess.run([ffprobe(), "-v", "error", "-show_format", "-show_streams", "-of", "json", str(served)],
                           capture_output=True, text=True, timeout=30)
    assert probe.returncode == 0, probe.stderr
    info = json.loads(probe.stdout)
    assert info["format"]["format_name"] == "mp3"
    assert float(info["format"]["duration"]) > 5
    assert info["streams"][0]["codec_name"] == "mp3"


def test_m3u_points_at_the_program(client):
    response = client.get("/phat/sang.m3u")
    assert response.headers["content-type"].startswith("audio/x-mpegurl")
    lines = response.text.splitlines()
    assert lines[0] == "#EXTM3U" and lines[-1] == f"{client.base_url}/phat/sang.mp3".replace("//phat", "/phat")
    assert client.get(lines[-1].replace(str(client.base_url).rstrip("/"), "")).status_code == 200


def test_rss_feed_validates_with_enclosures_matching_the_files(station, client):
    response = client.get("/phat/sang.rss")
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    rss = ET.fromstring(response.content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel.findtext("title").startswith("Đài Truyền thanh huyện Thử Nghiệm")
    assert channel.find(f"{ITUNES}author") is not None
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Chương trình thời sự buổi sáng – 25/11/2026"]  # DAY2 unapproved
    enclosure = items[0].find("enclosure")
    assert enclosure.get("type") == "audio/mpeg"
    path = enclosure.get("url").split("/", 3)[3]
    served = client.get("/" + path)
    assert served.status_code == 200
    assert int(enclosure.get("length")) == len(served.content) == (
        station.output.dir / DAY1.isoformat() / "sang.mp3").stat().st_size
    assert int(items[0].findtext(f"{ITUNES}duration")) > 5
    assert parsedate_to_datetime(items[0].findtext("pubDate")).hour == 5
    # An unapproved program is not delivered, even by its dated address.
    assert client.get(f"/phat/sang/{DAY2}.mp3").status_code == 404
    approve(station, "sang", DAY2, "duyet")
    titles = [i.findtext("title") for i in ET.fromstring(client.get("/phat/sang.rss").content).iter("item")]
    assert titles == ["Chương trình thời sự buổi sáng – 26/11/2026", "Chương trình thời sự buổi sáng – 25/11/2026"]
    assert client.get(f"/phat/sang/{DAY2}.mp3").status_code == 200


def test_unknown_programs_and_kinds_are_not_found(client):
    for path in ("/phat/chieu.mp3", "/phat/sang.wav", "/phat/sang", "/phat/sang/2026-13-01.mp3"):
        assert client.get(path).status_code == 404, path
