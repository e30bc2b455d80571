"""Does this strip say X? The CTC probability of a given text on a line recogniser's output.

A CTC recogniser (PP-OCR's) gives, for each of T frames along the line, a probability for each of
C classes: class 0 the blank, the others the characters of its dictionary. Its reading is the best
path (each frame's likeliest class, repeats merged, blanks dropped). A worn seal garbles that path,
yet the name it carries may still be the likeliest *text among the ones asked about*: the forward
algorithm sums, over every alignment of the frames to a given text, the probability of that
alignment — log P(text | strip) — and compared with the best path's probability it says how far
the strip is from saying exactly that text.

Score. `match_score` = exp((log P(text) − log P(best path)) / len(text)), capped at 1: the
per-character geometric mean of how much less likely the text is than the recogniser's own reading.
A strip that reads the text gives ≥ 1 (the sum over alignments is at least the best path) → 1; a
character the recogniser put at 0.05 where its best was 0.6 costs a factor 12 spread over the name;
a character it never considered (p ≈ 1e-6) costs ~1e-6. Dividing by the length keeps long and short
names comparable (benchmarks/bench_seal_verify.py measures it against wrong names).

Flanks. A ring carries more than the name (a second arc, 专用章, the number), so the text may begin
after and end before any frames: frames outside the text are scored as the best path scores them
(the recogniser's own likeliest class), and the text's own alignment must begin on its first
character and end on its last (no leading or trailing blank inside it, which would count those
frames twice). With flanks a text is found anywhere on the strip at no cost for the rest: a ring
naming "X有限公司北京分公司" confirms "X有限公司" — the caller decides whether that is enough.

Compact form. The full matrix (T × 18,710 for PP-OCRv6) is far too big to keep with a seal, so each
frame keeps its likeliest classes (at most TOP_K, those at least MIN_PROB) and the rest of its mass
is spread over the classes it does not list (`compact`, `expand`). Any text can be scored on that
later. A character of the text that the strip never listed gets that floor; traditional forms the
recogniser read (廈, 協) count for their simplified characters (t2s per character).

Characters missing from the dictionary: on a full matrix with its dictionary (`text_emissions`) such
a character is scored as "any character" (each frame's likeliest non-blank probability): the
recogniser cannot say it, so whatever it reads there is taken as it. On the compact form the
dictionary is not known and such a character gets the floor (PP-OCRv6's 18,709 characters hold the
names seen so far, traditional forms included).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from models.ring import RingProbs

BLANK = 0  # rapidocr's CTCLabelDecode puts "blank" first (and " " last) in the dictionary
TOP_K = 12
MIN_PROB = 1e-4
SKIP = 0.01  # probability of a character of the text having no frame (a character the ring lost)
_TINY = 1e-30


def _log(x: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(x, _TINY))


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    top = np.max(x, axis=axis, keepdims=True)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - safe), axis=axis, keepdims=True)) + safe
    return np.squeeze(out, axis=axis)


def ctc_log_prob(
    emit: np.ndarray, text: Sequence[str], free: np.ndarray | None = None, skip: float = 0.0
) -> float:
    """log P(text | frames), summed over all CTC alignments, in log space.

    `emit` is T × (N+1): column 0 the blank's probability at each frame, column i that of the text's
    i-th character. `text` only says which neighbours repeat (a repeat needs a blank between).
    With `free` (length T, the log-probability of a frame outside the text), the text may begin
    after and end before any frames (flanks, see the module notes). With `skip` > 0 a character of
    the text may have no frame at all, at that probability each (a character the ring lost). −inf
    when the text cannot fit."""
    emit = np.asarray(emit, dtype=np.float64)
    frames, width = emit.shape
    n = width - 1
    if n != len(text):
        raise ValueError("emit must have one column per character plus the blank")
    if n == 0:
        return float(free.sum()) if free is not None else float(_log(emit[:, 0]).sum())
    if frames == 0:
        return float("-inf")
    neg = -np.inf
    lskip = float(np.log(skip)) if skip > 0 else neg
    flanks = free is not None
    # states: blank b_i at 2i (i = 0..n: the blank after the i-th character), character c_i at 2i − 1,
    # then with flanks the prefix P at 2n + 1 and the suffix Q at 2n + 2
    core = 2 * n + 1
    size = core + (2 if flanks else 0)
    prefix, suffix = core, core + 1

    def deleted(k: int) -> float:
        return 0.0 if k == 0 else (k * lskip if skip > 0 else neg)

    trans = np.full((size, size), neg)
    start = np.full(size, neg)
    final = np.full(size, neg)
    for i in range(n + 1):  # from b_i
        b = 2 * i
        if flanks and i in (0, n):
            continue  # no blank before the first or after the last character: the flanks hold those frames
        trans[b, b] = 0.0
        for j in range(i + 1, n + 1):
            trans[b, 2 * j - 1] = deleted(j - i - 1)
        final[b] = deleted(n - i)
    for i in range(1, n + 1):  # from c_i
        c = 2 * i - 1
        trans[c, c] = 0.0
        if not (flanks and i == n):
            trans[c, 2 * i] = 0.0
        for j in range(i + 1, n + 1):
            if text[j - 1] != text[i - 1]:
                trans[c, 2 * j - 1] = deleted(j - i - 1)
        final[c] = deleted(n - i)
        start[c] = deleted(i - 1)
        if flanks:
            trans[c, suffix] = deleted(n - i)
            trans[prefix, c] = deleted(i - 1)
    if flanks:
        trans[prefix, prefix] = trans[suffix, suffix] = 0.0
        start[prefix] = final[suffix] = 0.0
    else:
        start[0] = 0.0
    columns = np.zeros(core, dtype=int)
    columns[1::2] = np.arange(1, n + 1)
    le = _log(emit)[:, columns]
    if flanks:
        assert free is not None
        flank = np.asarray(free, dtype=np.float64)[:, None]
        le = np.concatenate([le, flank, flank], axis=1)
    alpha = start + le[0]
    for t in range(1, frames):
        alpha = _logsumexp(alpha[:, None] + trans, axis=0) + le[t]
    return float(_logsumexp(alpha + final, axis=0))


def best_path_log_prob(probs: np.ndarray) -> float:
    """log probability of the recogniser's own reading: each frame's likeliest class."""
    return float(_log(np.asarray(probs, dtype=np.float64).max(axis=1)).sum())


def match_score(log_text: float, log_best: float, length: int) -> float:
    """0..1: exp of the per-character log ratio of the text to the best path, capped at 1."""
    if not np.isfinite(log_text):
        return 0.0
    return float(min(1.0, np.exp((log_text - log_best) / max(length, 1))))


def text_emissions(
    probs: np.ndarray,
    columns: Mapping[str, Sequence[int]],
    text: str,
    floor: np.ndarray | None = None,
) -> np.ndarray:
    """T × (len(text)+1): the blank's column, then for each character of the text the summed
    probability of the columns that stand for it (`columns`: the character and its variants). A
    character with no column is "any character" (each frame's likeliest non-blank probability) or,
    when `floor` is given, the floor."""
    probs = np.asarray(probs, dtype=np.float64)
    out = np.empty((probs.shape[0], len(text) + 1))
    out[:, 0] = probs[:, BLANK]
    anything = None
    for i, ch in enumerate(text, start=1):
        cols = columns.get(ch)
        if cols:
            out[:, i] = probs[:, list(cols)].sum(axis=1)
            if floor is not None:
                out[:, i] = np.where(out[:, i] > 0, out[:, i], floor)
        elif floor is not None:
            out[:, i] = floor
        else:
            if anything is None:
                anything = np.delete(probs, BLANK, axis=1).max(axis=1)
            out[:, i] = anything
    return out


def dictionary_columns(dictionary: Sequence[str], variant: Callable[[str], str] | None = None) -> dict[str, list[int]]:
    """Character → the columns standing for it: its own and, with `variant` (t2s), those of the
    characters that convert to it."""
    columns: dict[str, list[int]] = {}
    for i, ch in enumerate(dictionary):
        if i == BLANK:
            continue
        columns.setdefault(ch, []).append(i)
        if variant is not None:
            other = variant(ch)
            if other != ch and len(other) == 1:
                columns.setdefault(other, []).append(i)
    return columns


def best_reading(probs: np.ndarray, labels: Sequence[str]) -> str:
    """The best path's text: each frame's likeliest class, repeats merged, blanks dropped."""
    path = np.asarray(probs).argmax(axis=1)
    return "".join(labels[c] for i, c in enumerate(path) if c != BLANK and (i == 0 or c != path[i - 1]))


def text_match(
    probs: np.ndarray, labels: Sequence[str], columns: Mapping[str, Sequence[int]], text: str,
    floor: np.ndarray | None = None, flanks: bool = True, skip: float = SKIP,
) -> float:
    """0..1: how surely the frames say `text` against what they say best (see the module notes).
    `labels` names the columns of `probs` (0 the blank); `columns` maps a character to the columns
    standing for it. The reference is the best path's text scored the same way (summed over its
    alignments, with the same flanks and skips), or the best path itself if that is likelier."""
    if not text or probs.shape[0] == 0:
        return 0.0
    best = _log(np.asarray(probs, dtype=np.float64).max(axis=1))
    free = best if flanks else None

    def log_p(t: str) -> float:
        return ctc_log_prob(text_emissions(probs, columns, t, floor), t, free=free, skip=skip)

    reading = best_reading(probs, labels)
    reference = max(float(best.sum()), log_p(reading) if reading else float("-inf"))
    return match_score(log_p(text), reference, len(text))


# -- the compact form ----------------------------------------------------------------------------

def compact(probs: np.ndarray, dictionary: Sequence[str], top_k: int = TOP_K, min_prob: float = MIN_PROB) -> RingProbs:
    """Each frame's likeliest classes (at most `top_k`, those ≥ `min_prob`, always the best)."""
    probs = np.asarray(probs, dtype=np.float32)
    order = np.argsort(-probs, axis=1)[:, :top_k]
    top = np.take_along_axis(probs, order, axis=1)
    keep = top >= min_prob
    keep[:, 0] = True
    counts = keep.sum(axis=1).astype(np.uint8)
    classes = order[keep]
    alphabet = [int(c) for c in np.unique(classes) if c != BLANK]
    code_of = {c: i + 1 for i, c in enumerate(alphabet)}
    codes = np.array([0 if c == BLANK else code_of[int(c)] for c in classes], dtype="<u2")
    values = top[keep].astype("<f2")
    blob = counts.tobytes() + codes.tobytes() + values.tobytes()
    return RingProbs(
        alphabet="".join(dictionary[c] for c in alphabet),
        classes=len(dictionary),
        steps=len(counts),
        frames=base64.b64encode(blob).decode("ascii"),
    )


@dataclass(frozen=True)
class Strip:
    """A compact form expanded: `probs` T × (1 + len(alphabet)) (0 where a frame lists nothing),
    `floor` the per-class probability of what a frame does not list."""

    probs: np.ndarray
    floor: np.ndarray
    alphabet: str


def expand(ring: RingProbs) -> Strip:
    raw = base64.b64decode(ring.frames)
    width, frames = len(ring.alphabet) + 1, ring.steps
    if not raw or not frames:
        return Strip(np.zeros((0, width)), np.zeros(0), ring.alphabet)
    counts = np.frombuffer(raw, dtype=np.uint8, count=frames)
    total = int(counts.sum())
    codes = np.frombuffer(raw, dtype="<u2", count=total, offset=frames)
    values = np.frombuffer(raw, dtype="<f2", count=total, offset=frames + 2 * total).astype(np.float64)
    rows = np.repeat(np.arange(frames), counts)
    probs = np.zeros((frames, width))
    probs[rows, codes] = values
    rest = np.clip(1.0 - probs.sum(axis=1), 0.0, 1.0)
    unlisted = np.maximum(ring.classes - counts.astype(np.int64), 1)
    floor = np.maximum(rest / unlisted, _TINY)
    return Strip(probs, floor, ring.alphabet)


def join(rings: Sequence[RingProbs]) -> RingProbs | None:
    """Strips one after another (a ring's arcs in reading order), as one compact form."""
    rings = [r for r in rings if r.frames]
    if not rings:
        return None
    strips = [expand(r) for r in rings]
    alphabet = "".join(dict.fromkeys(ch for s in strips for ch in s.alphabet))
    where = {ch: i + 1 for i, ch in enumerate(alphabet)}
    counts: list[int] = []
    codes: list[int] = []
    values: list[float] = []
    for strip in strips:
        remap = np.array([0] + [where[ch] for ch in strip.alphabet], dtype="<u2")
        for row in strip.probs:
            listed = np.nonzero(row)[0]
            listed = listed[np.argsort(-row[listed])]
            counts.append(len(listed))
            codes.extend(remap[listed])
            values.extend(row[listed])
    blob = (np.array(counts, dtype=np.uint8).tobytes() + np.array(codes, dtype="<u2").tobytes()
            + np.array(values, dtype="<f2").tobytes())
    return RingProbs(alphabet=alphabet, classes=max(r.classes for r in rings), steps=len(counts),
                     frames=base64.b64encode(blob).decode("ascii"))


@functools.cache
def _t2s() -> Callable[[str], str]:
    from opencc_purepy import OpenCC

    converter = OpenCC("t2s")
    return lambda text: str(converter.convert(text))


@functools.cache
def _simplified_char(ch: str) -> str:
    return _t2s()(ch)


def _strip_columns(alphabet: str) -> dict[str, list[int]]:
    return dictionary_columns(["blank", *alphabet], _simplified_char)


def ring_match(ring: RingProbs | None, text: str, flanks: bool = True, skip: float = SKIP) -> float:
    """0..1: how surely a kept ring strip says `text`, simplified or traditional either way (the
    text is tried as written and converted t2s; the strip's traditional readings count for their
    simplified characters)."""
    if ring is None or not text:
        return 0.0
    strip = expand(ring)
    labels = ["blank", *strip.alphabet]
    columns = _strip_columns(strip.alphabet)
    texts = dict.fromkeys((text, _t2s()(text)))
    return max(text_match(strip.probs, labels, columns, t, floor=strip.floor, flanks=flanks, skip=skip)
               for t in texts if t)
