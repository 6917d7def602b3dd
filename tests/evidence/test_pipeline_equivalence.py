"""A speed-up changes no suggestion: every shipped text gives the suggestions recorded in
``fixtures/evidence_suggestion_digests.json`` (see ``suggestion_digests.py``)."""

from __future__ import annotations

import json

from .suggestion_digests import DIGESTS, digests


def test_every_shipped_text_gets_the_recorded_suggestions():
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    now = digests()
    assert now.keys() == recorded.keys()
    changed = {k: (recorded[k]["goals"], now[k]["goals"]) for k in now if now[k] != recorded[k]}
    assert changed == {}
