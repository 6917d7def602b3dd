"""Two questions about a clean title and body, kept apart, each with its reasons.

**Topic** (:func:`classify`): which goals and targets is this text about, for
any text (news, report, plan, a company's release). Scoring (constants below,
measured on the labelled dev set, never tuned per document):

* every lexicon hit in the **title** counts ``TITLE_WEIGHT`` x its weight
  once; hits in the **body** saturate: a term seen n times counts
  ``weight * sqrt(n)``;
* an explicit goal number ("SDG 4", "SDGs 11.6", "Goal 13", "목표 3" in a text
  that names the SDGs) counts ``GOAL_NUMBER_WEIGHT`` for that goal (target
  when given), and the bare "SDG" inside it no longer counts for goal 17;
* a goal's evidence is the sum over its targets and terms;
* **marketing** text (at least 3 sales words: 출시, 할인, 분양, launch,
  discount …, outnumbering public-body words) is about a product, not its
  goals: the evidence is multiplied by ``MARKETING_FACTOR`` and every goal
  lists the rule and the sales words in its ``adjustments``;
* the **primary** goal must reach ``MIN_PRIMARY``; a further goal is
  suggested when it reaches ``MIN_SECONDARY`` and ``RELATIVE_MIN`` of the
  primary goal's evidence;
* a goal's score in [0, 1] is ``e / (e + SCORE_HALF)`` (0.5 at SCORE_HALF).

Who acts plays no part in the topic: an SDG report snippet with no city in it
is about its goals all the same.

**Evidence** (:func:`assess_evidence`): is this evidence of a public body's
action? A score in [0, 1] with the matched words as reasons, used to rank the
inbox (a city's press release above a company's product launch). It never
changes the topic scores, and the topic never changes it.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from functools import lru_cache

from .lexicon import Lexicon, load_lexicon
from .model import Model, features, load_model

TITLE_WEIGHT = 2.0
MIN_PRIMARY = 5.0
MIN_SECONDARY = 3.0
RELATIVE_MIN = 0.1
SCORE_HALF = 8.0
GOAL_NUMBER_WEIGHT = 3.0
MAX_TARGETS = 4
MAX_REASONS = 25

#: Evidence score: a named local government acts / only public-body words / neither.
EVIDENCE_MUNICIPALITY = 1.0
EVIDENCE_PUBLIC_WORDS = 0.7
EVIDENCE_NO_ACTOR = 0.4
#: Topic and evidence, each times this when sales words outweigh public-body words.
MARKETING_FACTOR = 0.35
MAX_EVIDENCE_REASONS = 10

# Each pattern opens with a look-ahead for the characters its words can start with (the same
# flags apply): a position no word starts at is passed by one class test instead of a try of
# every alternative, which made these two scans a fifth of classify(). Keep the class in step
# with the words. The public-body words are grouped by their first syllable (re tries the
# alternatives of a group one by one; words of different first syllables cannot both match at
# one place, so the grouping changes no match) and the English words open with their first
# letters: a Korean page's every syllable met some 30 alternatives before (issue 21).
PUBLIC_ACTOR_RE = re.compile(
    r"(?=[가-힣gmcartlp])(?:"
    r"시(?:청|민|정(?=[ 을의에]|$)|장(?=[은는이가\s,(]))|"
    r"군(?:청|민|정(?=[ 을의에]|$)|수(?=[은는이가\s,(]))|"
    r"구(?:청|민|정(?=[ 을의에]|$)|청장(?=[은는이가\s,(]))|"
    r"도(?:청|정(?=[ 을의에]|$)|지사(?=[은는이가\s,(]))|"
    r"정부|지(?:자체|방자치단체|방정부)|공(?:공기관|공부문|기업|단|무원|직자)|위원회|진흥원|의회|조례|"
    r"주민(?:센터)?|행정복지센터|보건소|"
    r"[가-힣]{1,6}(?:부|처|청)(?=[은는이가의\s])|"
    r"\b(?=[gmcartlp])(?:government|municipal|municipality|city council|council|ministry|mayor|public sector|"
    r"local authority|authorities|residents|citizens|city hall|the (?:city|district|county|province)|"
    r"local government)\b)",
    re.IGNORECASE,
)
COMMERCIAL_RE = re.compile(
    r"(?=[출판사프특할세신제브매주소고마항요분견모청lodpcbs])(?:"
    r"출시|판매|사전판매|프로모션|특가|할인|세일|신제품|신모델|제품|브랜드|매출|주가|소비자|고객|마케팅|항공권|요금제|"
    r"분양|견본주택|모델하우스|청약|"
    r"\b(?:launch(?:es|ed)?|on sale|discount|promotion|product|customers|brand|shares|stock price|pre-order)\b)",
    re.IGNORECASE,
)

# --- explicit goal numbers ----------------------------------------------------------
_NUM = r"(?:1[0-7]|[1-9])(?:\.(?:[1-9][0-9]?|[a-c]))?(?![0-9])"
#: "SDG 4", "SDGs 6 and 14", "SDG11.6", "Goal 13", "목표 3", "목표 11.6" (head + one or more numbers).
GOAL_NUMBER_RE = re.compile(
    r"(?:\bSDGs?|\bGoals?|목표)\s?#?\s?(" + _NUM + r"(?:\s?(?:,|and|&|/|및|과|와|·)\s?" + _NUM + r")*)"
    r"(?!\s?(?:개|년|위|억|만|천|%|명|건|곳|배|차|시|일|월|원|톤|세|살|kg|km|percent|years?))"
)
_ONE_NUM_RE = re.compile(r"(1[0-7]|[1-9])(?:\.([1-9][0-9]?|[a-c]))?(?![0-9])")
#: Where a goal number may start (a cheap literal scan before GOAL_NUMBER_RE.match).
_GOAL_HEAD_RE = re.compile(r"SDG|Goal|목표")
#: "Goal n" and "목표 n" count only in a text that names the SDGs somewhere (lower-cased, spaces removed).
SDG_NAMES = (
    "sdg",
    "지속가능발전목표",
    "sustainabledevelopmentgoal",
    "globalgoals",
    "2030agenda",
    "agenda2030",
)

# --- goal words inside organisation and department names ------------------------------
#: 주민자치|위원회, 창업보육|센터, 행정복지|센터: a compound written as one word is the name of a
#: body, not its topic ("피해자 상담소", two words, still counts).
KO_ORG_AFTER_RE = re.compile(
    r"^[가-힣]{0,5}?(?:위원회|협의회|센터|재단|협회|사업단|지원단|추진단|본부|연구원|진흥원|공단|조합|연합회|사무소|상담소)"
    r"|^[가-힣]{0,4}?(?:과|팀|국|실)(?=장|\s?\(|\s?관계자|\s?담당)"
)
EN_ORG_AFTER_RE = re.compile(
    r"^(?:\s+[A-Z][a-z]+)*\s+(?:Committee|Commission|Council|Department|Centre|Center|Foundation|Agency|Office|"
    r"Bureau|Division|Authority|Institute|Association)\b"
)
EN_ORG_BEFORE_RE = re.compile(
    r"\b(?:Department|Ministry|Office|Bureau|Agency|Commission|Committee|Council|Institute)\s+(?:of|for)\s+(?:the\s+)?"
    r"(?:[A-Z][a-z]+,?\s+(?:and\s+)?)*$"
)


def _in_org_name(text: str, start: int, end: int) -> bool:
    """Is the matched term part of the name of an organisation or department?"""
    if text[start : start + 1].isascii():
        if not text[start : start + 1].isupper():
            return False  # a name is capitalised
        return bool(
            EN_ORG_AFTER_RE.match(text, end, end + 80)
            or EN_ORG_BEFORE_RE.search(text[max(0, start - 80) : start])
        )
    return bool(KO_ORG_AFTER_RE.match(text[end : end + 12]))


def _goal_numbers(text: str, named: bool) -> list[tuple[int, str, int, int]]:
    """(goal, target or "", start, end) for each explicit goal number in ``text``."""
    out = []
    end = 0
    for h in _GOAL_HEAD_RE.finditer(text):
        if h.start() < end:
            continue
        m = GOAL_NUMBER_RE.match(text, h.start())
        if m is None:
            continue
        end = m.end()
        head = text[m.start() : m.start(1)]
        if not head.upper().startswith("SDG") and not named:
            continue
        for n in _ONE_NUM_RE.finditer(m.group(1)):
            goal = int(n.group(1))
            out.append((goal, f"{goal}.{n.group(2)}" if n.group(2) else "", m.start(), m.end()))
    return out


def _matches(rx: re.Pattern, title: str, body: str, rule: str, limit: int | None = None) -> list[dict]:
    """Matches of ``rx`` in the title, then the body (the first ``limit`` only)."""
    out = []
    for field, text in (("title", title), ("body", body)):
        for m in rx.finditer(text):
            if limit is not None and len(out) >= limit:
                return out
            out.append({"rule": rule, "match": m.group(), "start": m.start(), "end": m.end(), "field": field})
    return out


@lru_cache(maxsize=8)  # classify() and assess_evidence() of one document share the scan
def _actor_words(title: str, body: str) -> tuple[list[dict], list[dict]]:
    """Sales words (all) and public-body words (as many as a comparison with them needs)."""
    commercial = _matches(COMMERCIAL_RE, title, body, "commercial")
    need = max(MAX_EVIDENCE_REASONS, len(commercial) + 1 if len(commercial) >= 3 else 0)
    return commercial, _matches(PUBLIC_ACTOR_RE, title, body, "public_actor", need)


def _marketing(title: str, body: str, municipality_code: str | None = None) -> dict | None:
    """The marketing rule, or None: ``{"rule": "marketing", "factor", "matches"}``."""
    commercial, public = _actor_words(title, body)
    n_public = len(public) + (3 if municipality_code else 0)
    if len(commercial) >= 3 and len(commercial) > n_public:
        return {"rule": "marketing", "factor": MARKETING_FACTOR, "matches": commercial[:MAX_EVIDENCE_REASONS]}
    return None


def assess_evidence(title: str, body: str, municipality_code: str | None) -> dict:
    """Is this evidence of a public body's action? ``{"score", "reasons"}``.

    The score is :data:`EVIDENCE_MUNICIPALITY` when a local government acts,
    :data:`EVIDENCE_PUBLIC_WORDS` when only public-body words occur (ministry,
    council, residents), :data:`EVIDENCE_NO_ACTOR` otherwise; times
    :data:`MARKETING_FACTOR` under the marketing rule (see the module doc).
    Reasons carry the matched words with offsets.
    """
    title, body = title or "", body or ""
    public = _actor_words(title, body)[1]
    reasons: list[dict] = []
    if municipality_code:
        score = EVIDENCE_MUNICIPALITY
        reasons.append({"rule": "municipality", "code": municipality_code})
    elif public:
        score = EVIDENCE_PUBLIC_WORDS
    else:
        score = EVIDENCE_NO_ACTOR
        reasons.append({"rule": "no_public_actor"})
    reasons += public[:MAX_EVIDENCE_REASONS]
    marketing = _marketing(title, body, municipality_code)
    if marketing:
        score *= MARKETING_FACTOR
        reasons += marketing["matches"]
    return {"score": round(score, 2), "reasons": reasons}


def lexicon_evidence(title: str, body: str, lex: Lexicon, deadline: float | None = None) -> dict:
    """The lexicon's view of a text: ``{"goals": {G: evidence}, "targets": {code: evidence},
    "reasons": {G: [hits with offsets]}, "title_goals": {G, ...}}`` (see the module doc)."""
    flat = "".join((title + body).split()).lower()
    named = any(name in flat for name in SDG_NAMES)
    # (goal, target, term) -> [title hits, body hits, weight]
    counts: dict[tuple[int, str, str], list] = {}
    reasons: dict[int, list[dict]] = defaultdict(list)
    for field, text in (("title", title), ("body", body)):
        numbers = _goal_numbers(text, named)
        for goal, target, s, e in numbers:
            c = counts.setdefault((goal, target, f"SDG {goal}"), [0, 0, GOAL_NUMBER_WEIGHT])
            c[0 if field == "title" else 1] += 1
            reasons[goal].append(
                {
                    "term": f"SDG {goal}",
                    "match": text[s:e],
                    "target": target,
                    "start": s,
                    "end": e,
                    "field": field,
                }
            )
        number_starts = [s for _g, _t, s, _e in numbers]
        for hit in lex.find(text, deadline):
            # the "SDG" of "SDG 4" is goal 4, not 17. The spans come in order and do not overlap:
            # only the last one starting before the hit's end can overlap it (testing every span
            # for every hit was quadratic)
            k = bisect.bisect_left(number_starts, hit.end) - 1
            if k >= 0 and hit.start < numbers[k][3]:
                continue
            if _in_org_name(text, hit.start, hit.end):
                continue
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
    title_goals = set()
    for (g, t, _term), (n_title, n_body, w) in counts.items():
        ev = w * ((TITLE_WEIGHT if n_title else 0.0) + math.sqrt(n_body))
        if t:  # a bare goal number ("SDG 4") is evidence for the goal, not for a target
            target_ev[t] += ev
        goal_ev[g] += ev
        if n_title:
            title_goals.add(g)
    return {"goals": goal_ev, "targets": target_ev, "reasons": reasons, "title_goals": title_goals}


def _targets_and_reasons(g: int, lexview: dict) -> tuple[list[str], list[dict]]:
    """The best targets of goal ``g`` and the lexicon hits that name them (title first)."""
    target_ev = lexview["targets"]
    by_goal = lexview.get("targets_by_goal")
    if by_goal is None:  # once a text: a page suggests several goals, each read all targets
        by_goal = lexview["targets_by_goal"] = defaultdict(list)
        for t in target_ev:
            by_goal[t.split(".")[0]].append(t)
    tgts = sorted(by_goal.get(str(g), ()), key=lambda t: target_ev[t], reverse=True)
    if tgts:
        best_t = target_ev[tgts[0]]
        tgts = [t for t in tgts if target_ev[t] >= 0.3 * best_t][:MAX_TARGETS]
    rs = sorted(
        (r for r in lexview["reasons"].get(g, ()) if r["target"] in tgts or not r["target"]),
        key=lambda r: (r["field"] != "title", r["start"]),
    )[:MAX_REASONS]
    return tgts, rs


def classify(
    title: str,
    body: str,
    *,
    municipality_code: str | None = None,
    lexicon: Lexicon | None = None,
    deadline: float | None = None,
    model: Model | bool | None = True,
) -> list[dict]:
    """Topic: goals to suggest, best first: ``[{"goal", "score", "targets", "reasons", "adjustments"}]``.

    With the learned weights (``model``: True = :func:`load_model` when ``lexicon`` is the
    shipped one, a :class:`Model`, or False/None for the lexicon rules alone) each goal also lists ``"features"``: the
    features that carried it (``{"feature", "weight"}`` plus ``field``/``start``/``end``
    for an n-gram), and ``"score"`` is the model's probability. Without weights the
    lexicon rules decide (``MIN_PRIMARY`` …) and ``"features"`` is absent.

    Reason offsets index into ``title`` when ``field == "title"``, else ``body``.
    ``municipality_code`` is accepted for callers of the old signature and ignored:
    who acts is :func:`assess_evidence`'s question.
    """
    lex = lexicon or load_lexicon()
    title, body = title or "", body or ""
    if model is True:  # the weights were learned over the shipped lexicon's features
        model = load_model() if lexicon is None else None
    lexview = lexicon_evidence(title, body, lex, deadline)
    marketing = _marketing(title, body)
    factor = marketing["factor"] if marketing else 1.0
    adjustments = [marketing] if marketing else []
    if model:
        feats = text_features(title, body, lexview, marketing, model)
        ruled = [g for g, _ev in rule_goals(lexview, factor)]
        rules = frozenset(ruled) if model.combine == "union" else frozenset()
        scored = model.score(feats, rules)
        if model.primary == "rules" and ruled:
            scored.sort(key=lambda s: s["goal"] != ruled[0])  # stable: the rest stay by probability
        out = []
        for s in scored:
            p = s["probability"] * factor
            if p < model.threshold and s["goal"] not in rules:
                continue
            tgts, rs = _targets_and_reasons(s["goal"], lexview)
            out.append(
                {
                    "goal": s["goal"],
                    "score": round(p, 2),
                    "targets": tgts,
                    "reasons": rs,
                    "features": s["features"],
                    "adjustments": adjustments,
                }
            )
        if out:  # best first by score too (a list sorted by score shows the primary goal first)
            out[0]["score"] = max(o["score"] for o in out)
        return out

    out = []
    for g, ev in rule_goals(lexview, factor):
        tgts, rs = _targets_and_reasons(g, lexview)
        out.append(
            {
                "goal": g,
                "score": round(ev / (ev + SCORE_HALF), 2),
                "targets": tgts,
                "reasons": rs,
                "adjustments": adjustments,
            }
        )
    return out


def rule_goals(lexview: dict, factor: float = 1.0) -> list[tuple[int, float]]:
    """The lexicon rules' answer: (goal, evidence) best first, the primary at least
    ``MIN_PRIMARY``, the others ``MIN_SECONDARY`` and ``RELATIVE_MIN`` of the primary."""
    ranked = sorted(lexview["goals"].items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] * factor < MIN_PRIMARY:
        return []
    top = ranked[0][1] * factor
    out = []
    for g, ev in ranked:
        ev *= factor
        if out and (ev < MIN_SECONDARY or ev < RELATIVE_MIN * top):
            break
        out.append((g, ev))
    return out


def text_features(
    title: str, body: str, lexview: dict, marketing: dict | None, vocab: Model | None = None
) -> dict:
    """The learned scorer's features of a text (:func:`apps.evidence.pipeline.model.features`)."""
    # no flag for who acts: that is assess_evidence's question, and it must not move the topic
    flags = {"marketing": bool(marketing), "en": _is_english(title + body)}
    return features(title, body, lexview["goals"], lexview["title_goals"], flags, vocab)


_LATIN_RUN_RE = re.compile(r"[A-Za-z]+")
_HANGUL_RUN_RE = re.compile(r"[가-힣]+")


def _is_english(text: str) -> bool:
    sample = text[:600]
    # letters counted by runs (as hangul_ratio does): a list of every single letter cost more
    latin = sum(map(len, _LATIN_RUN_RE.findall(sample)))
    return latin > 2 * sum(map(len, _HANGUL_RUN_RE.findall(sample)))
