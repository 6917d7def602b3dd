"""Suggest SDG goals and targets for a clean title and body, with reasons.

Scoring (all constants below, measured on the labelled dev set, never tuned
per document):

* every lexicon hit in the **title** counts ``TITLE_WEIGHT`` x its weight
  once; hits in the **body** saturate: a term seen n times counts
  ``weight * sqrt(n)``;
* a goal's evidence is the sum over its targets and terms;
* the evidence is multiplied by an **actor factor**: documents with no public
  actor at all (no municipality, no 시청/구청/정부/공공기관/ministry/council…)
  get ``NO_PUBLIC_ACTOR_FACTOR``; documents dominated by commercial
  marketing vocabulary (출시, 판매, 프로모션, 특가, launch, discount…) get
  ``COMMERCIAL_FACTOR`` on top. A product launch full of "sustainability"
  words is not SDG evidence;
* the **primary** goal must reach ``MIN_PRIMARY``; a further goal is
  suggested when it reaches ``MIN_SECONDARY`` and ``RELATIVE_MIN`` of the
  primary goal's evidence;
* a goal's score in [0, 1] is ``e / (e + SCORE_HALF)`` (0.5 at SCORE_HALF).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from .lexicon import Lexicon, load_lexicon

TITLE_WEIGHT = 2.0
MIN_PRIMARY = 5.0
MIN_SECONDARY = 3.0
RELATIVE_MIN = 0.1
SCORE_HALF = 8.0
NO_PUBLIC_ACTOR_FACTOR = 0.6
COMMERCIAL_FACTOR = 0.35
MAX_TARGETS = 4
MAX_REASONS = 25

PUBLIC_ACTOR_RE = re.compile(
    r"시청|군청|구청|도청|정부|지자체|지방자치단체|지방정부|공공기관|공공부문|공기업|위원회|진흥원|공단|의회|조례|"
    r"공무원|공직자|주민센터|행정복지센터|보건소|[시군구]민|주민|[시군구도]정(?=[ 을의에]|$)|(?:시장|군수|구청장|도지사)(?=[은는이가\s,(])|"
    r"[가-힣]{1,6}(?:부|처|청)(?=[은는이가의\s])|"
    r"\b(?:government|municipal|municipality|city council|council|ministry|mayor|public sector|local authority|"
    r"authorities|residents|citizens|city hall|the (?:city|district|county|province)|local government)\b",
    re.IGNORECASE,
)
COMMERCIAL_RE = re.compile(
    r"출시|판매|사전판매|프로모션|특가|할인|세일|신제품|신모델|제품|브랜드|매출|주가|소비자|고객|마케팅|항공권|요금제|"
    r"\b(?:launch(?:es|ed)?|on sale|discount|promotion|product|customers|brand|shares|stock price|pre-order)\b",
    re.IGNORECASE,
)


def _actor_factor(title: str, body: str, municipality_code: str | None) -> float:
    text = title + "\n" + body
    commercial = len(COMMERCIAL_RE.findall(text))
    factor = 1.0
    if commercial >= 3:
        public = len(PUBLIC_ACTOR_RE.findall(text)) + (3 if municipality_code else 0)
    else:  # only "any public actor at all?" matters
        public = 1 if municipality_code or PUBLIC_ACTOR_RE.search(text) else 0
    if public == 0:
        factor *= NO_PUBLIC_ACTOR_FACTOR
    if commercial >= 3 and commercial > public:
        factor *= COMMERCIAL_FACTOR
    return factor


def classify(
    title: str,
    body: str,
    *,
    municipality_code: str | None = None,
    lexicon: Lexicon | None = None,
    deadline: float | None = None,
) -> list[dict]:
    """Goals to suggest, best first: ``[{"goal", "score", "targets", "reasons"}]``.

    Reason offsets index into ``title`` when ``field == "title"``, else ``body``.
    """
    lex = lexicon or load_lexicon()
    # (goal, target, term) -> [title hits, body hits, weight]
    counts: dict[tuple[int, str, str], list] = {}
    reasons: dict[int, list[dict]] = defaultdict(list)
    for field, text in (("title", title or ""), ("body", body or "")):
        for hit in lex.find(text, deadline):
            for e in hit.entries:
                g = e.goal
                if g is None or e.weight <= 0:
                    continue
                key = (g, e.target, hit.term)
                c = counts.setdefault(key, [0, 0, e.weight])
                c[0 if field == "title" else 1] += 1
                c[2] = max(c[2], e.weight)
                reasons[g].append(
                    {
                        "term": hit.term,
                        "match": text[hit.start : hit.end],
                        "target": e.target,
                        "start": hit.start,
                        "end": hit.end,
                        "field": field,
                    }
                )

    target_ev: dict[str, float] = defaultdict(float)
    goal_ev: dict[int, float] = defaultdict(float)
    for (g, t, _term), (n_title, n_body, w) in counts.items():
        ev = w * ((TITLE_WEIGHT if n_title else 0.0) + math.sqrt(n_body))
        target_ev[t] += ev
        goal_ev[g] += ev
    if not goal_ev:
        return []

    factor = _actor_factor(title, body, municipality_code)
    ranked = sorted(goal_ev.items(), key=lambda kv: kv[1], reverse=True)
    top = ranked[0][1] * factor
    if top < MIN_PRIMARY:
        return []
    out = []
    for g, ev in ranked:
        ev *= factor
        if out and (ev < MIN_SECONDARY or ev < RELATIVE_MIN * top):
            break
        tgts = sorted(
            (t for t in target_ev if t.split(".")[0] == str(g)),
            key=lambda t: target_ev[t],
            reverse=True,
        )
        best_t = target_ev[tgts[0]]
        tgts = [t for t in tgts if target_ev[t] >= 0.3 * best_t][:MAX_TARGETS]
        rs = sorted(
            (r for r in reasons[g] if r["target"] in tgts),
            key=lambda r: (r["field"] != "title", r["start"]),
        )[:MAX_REASONS]
        out.append(
            {
                "goal": g,
                "score": round(ev / (ev + SCORE_HALF), 2),
                "targets": tgts,
                "reasons": rs,
            }
        )
    return out
