"""Alerts: tell the operator at once when a program will not air as it should.

A station lists its channels in `[alerts]`: a command (the facts as JSON on stdin), an
e-mail over SMTP, an HTTP webhook (a JSON POST). Every alert says which station,
program and date, what went wrong and what to do. Sending is bounded by the station's
timeout per channel and never raises: a channel that fails is logged, and the build or
the daemon goes on.
"""

from __future__ import annotations

import json
import logging
import smtplib
import subprocess
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from radio_gen.settings_reader import TableReader, keys_of, setting

if TYPE_CHECKING:  # alerts take their own settings; only the station's name is read from a config
    from radio_gen.config import StationConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertSettings:
    """`[alerts]`: the channels that tell the operator a program did not air as it should."""

    TABLE: ClassVar[str] = "alerts"

    #: A program run with the alert's facts as JSON on stdin, e.g. ["/usr/local/bin/bao-dong"].
    command: tuple[str, ...] = setting((), kind=(str, list))
    #: An HTTP(S) address that receives the facts as a JSON POST.
    webhook: str | None = setting(None, kind=str)
    #: E-mail over SMTP: recipients, sender, server.
    email_to: tuple[str, ...] = setting((), kind=(str, list))
    email_from: str = setting("radio-gen@localhost")
    smtp_host: str = setting("localhost")
    smtp_port: int = setting(25, low=1, high=65535, says="must be a port number, 1 to 65535")
    #: Each channel gets at most this long: an alert never holds a build.
    timeout_seconds: float = setting(10.0, low=0, high=120, unit="seconds", above=True)
    #: A source that failed this many runs in a row is reported.
    source_failures: int = setting(3, low=1, high=100, unit="runs")

    @classmethod
    def from_table(cls, r: TableReader) -> AlertSettings:
        """Every key optional; no channel means no alert is sent."""
        command = r.get("command", (str, list), [])
        command = [command] if isinstance(command, str) else command
        if not all(isinstance(part, str) and part for part in command):
            raise r.fail("command", f"must be a program and its arguments, e.g. [\"/usr/local/bin/bao-dong\"]; "
                                    f"got {command!r}")
        webhook = r.get("webhook", str, None)
        if webhook is not None and not webhook.startswith(("http://", "https://")):
            raise r.fail("webhook", f"must be an http:// or https:// address, got {webhook!r}")
        email_to = r.get("email_to", (str, list), [])
        email_to = [email_to] if isinstance(email_to, str) else email_to
        if not all(isinstance(a, str) and "@" in a for a in email_to):
            raise r.fail("email_to", f"must be e-mail addresses, e.g. [\"ky-thuat@example.vn\"]; got {email_to!r}")
        return cls(command=tuple(command), webhook=webhook, email_to=tuple(email_to),
                   **r.fill(cls, skip=("command", "webhook", "email_to")))


#: The table this module owns, and its keys.
TABLES: dict[str, frozenset[str]] = {AlertSettings.TABLE: keys_of(AlertSettings)}


class Problem(StrEnum):
    """What an alert is about."""

    FAILED = "failed"
    DEGRADED = "degraded"
    MISSED = "missed"
    FALLBACK_VOICES = "fallback-voices"
    SOURCE_FAILING = "source-failing"


@dataclass(frozen=True)
class Alert:
    station: str
    program: str
    date: str
    problem: Problem
    #: What went wrong, in a sentence an operator understands.
    what: str
    #: What to do about it.
    todo: str

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}

    @property
    def subject(self) -> str:
        return f"[radio-gen] {self.station}: {self.program} {self.date}: {self.problem.value}"

    @property
    def text(self) -> str:
        return (f"Station: {self.station}\nProgram: {self.program}\nDate: {self.date}\n"
                f"Problem: {self.problem.value}\n\nWhat went wrong: {self.what}\n\nWhat to do: {self.todo}\n")


def failed(config: StationConfig, program: str, date: str, error: str) -> Alert:
    return Alert(config.name, program, date, Problem.FAILED, f"the program was not built: {error}",
                 "the loudspeakers play the previous program in latest/; run `radio-gen doctor`, read the "
                 "log, fix the cause and run `radio-gen run-now " + program + "`")


def degraded(config: StationConfig, program: str, date: str, published: bool) -> Alert:
    where = "it replaced latest/" if published else "latest/ was left as it was (see the build's warnings)"
    return Alert(config.name, program, date, Problem.DEGRADED,
                 f"the program has no news item, only its identification, notices and closing; {where}",
                 "check the articles folder and the sources (`radio-gen articles list`), then rebuild with "
                 "`radio-gen run-now " + program + "`")


def missed(config: StationConfig, program: str, date: str, reason: str) -> Alert:
    return Alert(config.name, program, date, Problem.MISSED, f"the build time passed without a build: {reason}",
                 "check that `radio-gen schedule` runs (`radio-gen status`) and that the machine was on")


def fallback_voices(config: StationConfig, program: str, date: str, engines: list[str]) -> Alert:
    return Alert(config.name, program, date, Problem.FALLBACK_VOICES,
                 "every sentence was spoken by a fallback voice (" + ", ".join(engines) + "); "
                 "the preferred engine did not answer",
                 "run `radio-gen doctor` to see which engine is unreachable (network, proxy, firewall)")


def source_failing(config: StationConfig, program: str, date: str, source: str, runs: int) -> Alert:
    return Alert(config.name, program, date, Problem.SOURCE_FAILING,
                 f"source '{source}' failed in the last {runs} runs in a row: its news is missing",
                 "check the source's address or folder in the station file and the build log "
                 "(`radio-gen articles fetch` shows the error)")


def channels(settings: AlertSettings) -> list[str]:
    """The configured channels by name."""
    return [name for name, on in (("command", settings.command), ("webhook", settings.webhook),
                                  ("email", settings.email_to)) if on]


def send(settings: AlertSettings, alerts: list[Alert]) -> list[str]:
    """Send the alerts on every channel at once; what failed is logged and returned. Never raises.

    Each channel runs on its own thread and the whole is bounded: after the station's
    timeout (per alert, plus a moment) a channel that has not finished is abandoned.
    """
    if not alerts:
        return []
    for alert in alerts:
        log.warning("alert: %s: %s", alert.subject, alert.what)
    problems: list[str] = []
    lock = threading.Lock()

    def deliver(channel: str) -> None:
        for alert in alerts:
            try:
                {"command": _command, "webhook": _webhook, "email": _email}[channel](settings, alert)
            except Exception as exc:  # noqa: BLE001 - an alert channel must never stop a build
                with lock:
                    problems.append(f"alert channel {channel} failed for {alert.problem.value}: {_why(exc)}")

    workers = [threading.Thread(target=deliver, args=(c,), name=f"alert-{c}", daemon=True)
               for c in channels(settings)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + settings.timeout_seconds * len(alerts) + 2
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            with lock:
                problems.append(f"alert channel {worker.name[6:]} did not finish within "
                                f"{settings.timeout_seconds * len(alerts) + 2:g} s: abandoned")
    with lock:
        for problem in problems:
            log.error("%s", problem)
        return list(problems)


def _why(exc: BaseException) -> str:
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"no answer within {exc.timeout:g} s"
    return f"{type(exc).__name__}: {exc}"


def _payload(alert: Alert) -> bytes:
    return json.dumps(alert.as_dict(), ensure_ascii=False).encode("utf-8")


def _command(settings: AlertSettings, alert: Alert) -> None:
    done = subprocess.run(list(settings.command), input=_payload(alert), capture_output=True,
                          timeout=settings.timeout_seconds, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{settings.command[0]} exited with status {done.returncode}: "
                           f"{done.stderr.decode('utf-8', 'replace').strip()[:200]}")


def _webhook(settings: AlertSettings, alert: Alert) -> None:
    assert settings.webhook is not None
    request = urllib.request.Request(settings.webhook, data=_payload(alert), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=settings.timeout_seconds) as response:
        response.read(65536)


def _email(settings: AlertSettings, alert: Alert) -> None:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = settings.email_from
    message["To"] = ", ".join(settings.email_to)
    message.set_content(alert.text)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds) as smtp:
        smtp.send_message(message)
