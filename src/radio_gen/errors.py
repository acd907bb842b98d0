"""The root of radio-gen's error types.

Each domain (config, sources, templates, engines, audio, publishing) defines its own
subclass next to the code that raises it; the CLI turns any of them into a one-line
message for the operator, so a traceback never reaches the console.
"""

from __future__ import annotations


class RadioGenError(Exception):
    """Something an operator or editor can fix; the message says what and where."""
