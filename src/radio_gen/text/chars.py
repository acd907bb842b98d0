"""Characters no listener hears, shared by the article cleaner and the normalizer.

C0 and C1 controls (except tab and newline), the soft hyphen, zero-width and
direction marks, line and paragraph separators, invisible operators and the BOM:
engines read them as noise or stumble on them. \\x1e is among them, which the script
composer reserves as its directive marker.
"""

from __future__ import annotations

import re

INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]")
