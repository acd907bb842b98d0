"""The newsroom's "Nhạc hiệu" page: the signature tune and the stinger, heard and replaced.

Handlers only parse the request and call `radio_gen.clip_upload` (shared with
`radio-gen clips`). The upload is read by the guard within `MAX_UPLOAD_BYTES`, copied
to a private temporary folder under a fixed name (the sender's file name is never a
path), checked, leveled and stored by the library.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import wave
from pathlib import Path, PurePosixPath

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from radio_gen import audio, clip_upload
from radio_gen.audio.clips import TUNES, find_clip, load_clip
from radio_gen.errors import RadioGenError
from radio_gen.intake.sources.names import upload_name
from radio_gen.web.auth import safe_file
from radio_gen.web.forms import limit
from radio_gen.web.messages import error_flash

MEDIA_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg", ".flac": "audio/flac",
               ".m4a": "audio/mp4"}


def _label(kind: str) -> str:
    return "clip_" + kind.replace("-", "_")


async def clips_page(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    found = await run_in_threadpool(clip_upload.clips, newsroom.config)
    rows = [{"kind": c.kind, "label": _label(c.kind), "own": c.path is not None, "seconds": c.seconds,
             "file": c.path.name if c.path else "", "min": clip_upload.KINDS[c.kind].min_seconds,
             "max": clip_upload.KINDS[c.kind].max_seconds} for c in found]
    return newsroom.render(request, "clips.html", clips=rows, accept=",".join(clip_upload.UPLOAD_SUFFIXES))


@limit(clip_upload.MAX_UPLOAD_BYTES + 64 * 1024)
async def clip_upload_post(request: Request) -> Response:
    newsroom = request.app.state.newsroom
    kind = request.path_params["kind"]
    if kind not in clip_upload.KINDS:
        return await newsroom.refuse(request, 404, "not_found")
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        request.session["flash"] = "form_invalid"
        return RedirectResponse("/nhac-hieu", status_code=303)
    name = upload.filename or ""
    suffix = PurePosixPath(upload_name(name)).suffix.lower()

    def work() -> clip_upload.StoredClip:
        with tempfile.TemporaryDirectory(prefix="radio-gen-clip-") as scratch:
            copy = Path(scratch) / f"upload{suffix if suffix in clip_upload.UPLOAD_SUFFIXES else '.bin'}"
            upload.file.seek(0)
            with open(copy, "wb") as out:
                shutil.copyfileobj(upload.file, out)
            return clip_upload.store_clip(newsroom.config, kind, copy, name, by=request.state.user.name)

    try:
        stored = await run_in_threadpool(work)
        request.session["flash"] = [f"{_label(kind)}_saved", {"seconds": stored.seconds}]
    except RadioGenError as exc:
        request.session["flash"] = error_flash(exc)
    return RedirectResponse("/nhac-hieu", status_code=303)


async def clip_audio(request: Request) -> Response:
    """The clip the next build plays: the station's file, or the built-in tune as WAV."""
    newsroom = request.app.state.newsroom
    kind = request.path_params["kind"]
    if kind not in clip_upload.KINDS:
        return Response("not found", status_code=404, media_type="text/plain")
    own = find_clip(kind, newsroom.config.clips_dir)      # what the next build plays (no need to probe it)
    if own is not None:
        safe = safe_file(newsroom.config.clips_dir, own)
        if safe is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(safe, media_type=MEDIA_TYPES.get(safe.suffix.lower(), "application/octet-stream"),
                            headers={"Cache-Control": "no-cache"})
    if kind not in TUNES:
        return Response("not found", status_code=404, media_type="text/plain")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(audio.CHANNELS)
        out.setsampwidth(audio.SAMPLE_WIDTH)
        out.setframerate(audio.SAMPLE_RATE)
        out.writeframes(load_clip(kind, None))           # the built-in tune, made once per process
    return Response(buffer.getvalue(), media_type="audio/wav", headers={"Cache-Control": "no-cache"})
