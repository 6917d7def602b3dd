"""The learned topic scorer: a per-goal logistic regression, run in pure Python.

Features of one text (:func:`features`), the same code at training and at run time:

* ``lex:G``  log(1 + the lexicon evidence for goal G) (terms, explicit goal numbers;
  organisation names and the "SDG" of "SDG 4" already left out), ``lexr:G`` that
  evidence over the best goal's (a long page names many goals in passing), ``lext:G``
  1 when a lexicon term of goal G is in the title;
* ``k:xy`` / ``k:xyz``  Korean character 2- and 3-grams inside each Hangul word;
* ``w:word`` / ``b:word word``  English word 1- and 2-grams, lower-cased and stemmed
  (:func:`apps.evidence.pipeline.lexicon.stem`), 1-grams without stop words;
* structural flags: ``f:marketing`` (the sales-word rule), ``f:en`` (English text),
  ``f:short`` (under 400 characters); none for who acts (public body or not), which is
  the evidence question's and must not move the topic.

An n-gram counts once (presence), scaled by 1 / sqrt(number of n-grams in the text), so
a long page and a two-sentence snippet weigh alike. Each feature remembers where it
first occurs (field, start, end): a suggestion lists the features that carried it with
their character offsets.

The weights are data (JSON, written by ``manage.py retrain_evidence``): only the
features the training kept (the largest weights per goal), a bias per goal and the
decision threshold chosen by cross-validation on the training split. A text gets goal G
when ``sigmoid(bias_G + sum(w * value)) >= threshold``, best first; when cross-validation
found it better (``"combine": "union"``), also the goals the lexicon rules suggest; and
(``"primary": "rules"``) the rules' primary goal first, when cross-validation found that
names the primary goal more often than the model's most probable one.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path

from .lexicon import stem

MODEL_PATH = Path(__file__).resolve().parents[3] / "fixtures" / "evidence_model.json"
#: Environment variable naming another weights file (``settings.EVIDENCE_MODEL_PATH``).
MODEL_ENV = "EVIDENCE_MODEL_PATH"
MAX_FEATURE_REASONS = 12

_HANGUL_RE = re.compile(r"[가-힣]{2,}")
_EN_RE = re.compile(r"[A-Za-z]{2,}")
#: English words that say nothing about a topic (1-grams only; 2-grams keep them).
# fmt: off
STOP_WORDS = frozenset((
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "by", "at", "from", "as", "is", "are",
    "was", "were", "be", "been", "this", "that", "these", "those", "it", "its", "their", "they", "we", "our",
    "has", "have", "had", "will", "would", "can", "could", "may", "also", "more", "than", "which", "who", "not",
    "but", "all", "into", "about", "over", "after", "under", "per", "each", "such", "other", "most", "some",
    "new", "year", "years", "said", "says",
))
# fmt: on


@lru_cache(maxsize=65536)
def _word_grams(word: str) -> tuple[tuple[str, int, int], ...]:
    """(feature, offset, size) of every char 2- and 3-gram of a Hangul word."""
    return tuple(("k:" + word[i : i + n], i, n) for n in (2, 3) for i in range(len(word) - n + 1))


def _first_place(text: str, word: str, lo: int) -> int:
    """Where ``word`` first stands as a whole Hangul word in ``text`` (``lo`` or after: the
    distinct words come in the order they first occur)."""
    end = len(word)
    while True:
        s = text.index(word, lo)
        if (s == 0 or not "가" <= text[s - 1] <= "힣") and not "가" <= text[s + end : s + end + 1] <= "힣":
            return s
        lo = s + 1


def _ngrams(text: str, field: str, out: dict, vocab: Model | None) -> int:
    """Add the Korean char n-grams and English word n-grams of ``text`` to ``out``
    (feature -> (field, start, end) of its first occurrence); return how many were seen.
    With ``vocab`` only the features it weighs are kept (the rest would weigh nothing):
    the same features, found without building every n-gram of the page."""
    grams = _word_grams if vocab is None else vocab.word_grams
    cache = {} if vocab is None else vocab._grams  # read inline: most words are cached
    words = _HANGUL_RE.findall(text)
    n = 2 * sum(map(len, words)) - 3 * len(words)
    # each distinct word once, in the order they first occur (a word seen before adds no n-gram:
    # each was kept at its first place); where a word stands is looked up only for the words
    # whose n-grams the model weighs, a fraction of the page's
    lo = 0
    for w in dict.fromkeys(words):
        kept = cache.get(w)
        if kept is None:
            kept = grams(w)
        if kept:
            lo = s = _first_place(text, w, lo)
            for key, i, size in kept:
                if key not in out:
                    out[key] = (field, s + i, s + i + size)
    weighed = None if vocab is None else vocab.weights
    prev_word = prev_start = None
    for m in _EN_RE.finditer(text):
        word = stem(m.group())
        n += 1
        if word not in STOP_WORDS:
            key = "w:" + word
            if key not in out and (weighed is None or key in weighed):
                out[key] = (field, m.start(), m.end())
        if prev_word is not None:
            key = "b:" + prev_word + " " + word
            if key not in out and (weighed is None or key in weighed):
                out[key] = (field, prev_start, m.end())
        prev_word, prev_start = word, m.start()
    return n


def features(
    title: str,
    body: str,
    goal_evidence: dict[int, float],
    title_goals: set[int],
    flags: dict[str, bool],
    vocab: Model | None = None,
) -> dict[str, tuple[float, tuple | None]]:
    """Feature -> (value, (field, start, end) or None) for one text (see the module doc);
    only those ``vocab`` weighs when given (run time), all of them otherwise (training)."""
    where: dict[str, tuple] = {}
    n = _ngrams(title, "title", where, vocab) + _ngrams(body, "body", where, vocab)
    scale = 1.0 / math.sqrt(n) if n else 0.0
    out: dict[str, tuple[float, tuple | None]] = {k: (scale, span) for k, span in where.items()}
    top = max(goal_evidence.values(), default=0.0)
    for g, ev in goal_evidence.items():
        out[f"lex:{g}"] = (math.log1p(ev), None)
        out[f"lexr:{g}"] = (ev / top, None)  # a page names many goals: how this one compares to its best
    for g in title_goals:
        out[f"lext:{g}"] = (1.0, None)
    for name, on in flags.items():
        if on:
            out["f:" + name] = (1.0, None)
    if len(title) + len(body) < 400:
        out["f:short"] = (1.0, None)
    return out


class Model:
    """Weights read from JSON: ``{"version", "threshold", "bias": {G: b}, "weights": {feature: {G: w}}, ...}``."""

    def __init__(self, data: dict):
        self.data = data
        self.threshold = float(data["threshold"])
        self.combine = data.get("combine", "model")
        self.primary = data.get("primary", "model")
        self.bias = {int(g): float(b) for g, b in data["bias"].items()}
        self.weights = {f: [(int(g), float(w)) for g, w in gw.items()] for f, gw in data["weights"].items()}
        self._grams: dict[str, tuple] = {}

    def word_grams(self, word: str) -> tuple[tuple[str, int, int], ...]:
        """The n-grams of a Hangul word that this model weighs (cached: words repeat)."""
        hit = self._grams.get(word)
        if hit is None:
            if len(self._grams) > 100_000:
                self._grams.clear()
            hit = self._grams[word] = tuple(g for g in _word_grams(word) if g[0] in self.weights)
        return hit

    def score(
        self, feats: dict[str, tuple[float, tuple | None]], keep: frozenset[int] = frozenset()
    ) -> list[dict]:
        """Goals over the threshold (and those in ``keep``), best first:
        ``{"goal", "probability", "features"}``; ``features`` are the positive
        contributions, largest first, with offsets."""
        total = dict(self.bias)
        weights = self.weights
        # goal -> [(contribution, feature, span)] of its positive contributions, in feature order:
        # one pass, read again only for the goals suggested
        positive: dict[int, list] = {g: [] for g in total}
        for name, (value, span) in feats.items():
            ws = weights.get(name)
            if ws is None:
                continue
            for g, w in ws:
                c = w * value
                total[g] += c
                if c > 0:
                    positive[g].append((c, name, span))
        out = []
        for g, z in total.items():
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            if p >= self.threshold or g in keep:
                # nsmallest is sorted(...)[:n], stable on ties, without sorting the whole list
                top = heapq.nsmallest(MAX_FEATURE_REASONS, positive[g], key=lambda t: -t[0])
                out.append({"goal": g, "probability": p, "features": [_feature_reason(*t) for t in top]})
        out.sort(key=lambda d: -d["probability"])
        return out


def _feature_reason(contribution: float, name: str, span: tuple | None) -> dict:
    # a dozen a suggested goal, several goals a page: one dict display each, no update()
    if span is not None:
        return {
            "feature": name,
            "weight": round(contribution, 3),
            "field": span[0],
            "start": span[1],
            "end": span[2],
        }
    reason = {"feature": name, "weight": round(contribution, 3)}
    detail = LEXICON_FEATURES.get(name.partition(":")[0])
    if detail is not None:
        reason["detail"] = detail
    return reason


LEXICON_FEATURES = {
    "lex": "lexicon terms (listed in reasons)",
    "lexr": "lexicon evidence relative to the best goal",
    "lext": "lexicon term in the title",
}

_cache: dict[str, tuple[float, Model | None]] = {}


_configured: list[Path] = []


def configure(path: str | Path | None) -> None:
    """Where the engine reads its weights (Django passes ``settings.EVIDENCE_MODEL_PATH``)."""
    _configured[:] = [Path(path)] if path else []


def model_path() -> Path:
    """The configured weights file, else ``$EVIDENCE_MODEL_PATH``, else :data:`MODEL_PATH`."""
    return _configured[0] if _configured else Path(os.environ.get(MODEL_ENV) or MODEL_PATH)


def load_model(path: str | Path | None = None) -> Model | None:
    """The weights at ``path`` (default :func:`model_path`), re-read when the file changes
    (a retrain takes effect without a restart); None when there is no weights file."""
    p = Path(path) if path else model_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return None
    key = str(p)
    hit = _cache.get(key)
    if hit is None or hit[0] != mtime:
        with open(p, encoding="utf-8") as fh:
            hit = (mtime, Model(json.load(fh)))
        _cache[key] = hit
    return hit[1]
