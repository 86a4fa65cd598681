"""Dynamic programming over alignment beads, with posterior confidences.

Beads: 1:1, 1:0, 0:1, 2:1, 1:2 and, for runs of short blocks (header lines, table rows, short
list items), n:1 and 1:n up to ``max_run``. A bead's cost is its shape prior minus the
weighted sum of the evidence of every :class:`~tei.align.signals.Scorer`.

How the work is kept small (a 100-block pair aligns in well under 50 ms):

* every scorer pre-computes its per-block features once (``prepare``) and scores all candidate
  beads in one batch call (``beads``, falling back to ``bead`` per span for plug-in scorers);
  one-sided beads depend on one block only and are scored once per block;
* the DP runs inside a band around a *guide*: the longest monotone chain of anchors (block
  pairs sharing a key that is unique on both sides - a number, a date, a name - offered by
  scorers with an ``anchors()`` method; at least :data:`MIN_CHAIN` of them), linearly
  interpolated; otherwise the diagonal. Where the best path runs along the band's edge the
  band is doubled around those rows and the DP redone (bead costs already computed are
  reused);
* merge beads (2:1, 1:2, n:1, 1:n) are only candidates when the content lengths of their two
  sides are compatible (:data:`MERGE_Z`), and runs stop growing once they are too long;
* Viterbi and the forward pass share one sweep over the band; the backward pass sweeps the same
  beads in reverse. Each group's ``score`` is the posterior probability of its bead (summed
  over all paths inside the band, at ``temperature``), in [0, 1].

Everything is deterministic: ties are broken by a fixed shape order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .model import AlignBlock, Group
from .signals import (
    LENGTH_RATIO,
    LENGTH_VARIANCE,
    PreparedScorer,
    Scorer,
    content_length,
    default_scorers,
    is_editorial,
)

INF = float("inf")
Bead = tuple[int, int, int, int]  # orig[i0:i1] <-> trans[j0:j1]


@dataclass(frozen=True, slots=True)
class BeadPriors:
    """Shape costs (negative log prior, in nats) and limits of the bead set."""

    one_one: float = 0.0
    null: float = 3.0  # 1:0 and 0:1
    two_one: float = 2.2  # 2:1 and 1:2
    many_extra: float = 0.6  # each block beyond two in an n:1 / 1:n bead
    max_run: int = 8
    short_len: int = 80  # only blocks up to this many content characters join n>2 runs
    two_two: float | None = None  # 2:2 beads are off unless given a cost

    def shapes(self) -> list[tuple[int, int, float]]:
        """(orig count, trans count, prior cost) for every allowed bead shape."""
        out = [
            (1, 1, self.one_one),
            (1, 0, self.null),
            (0, 1, self.null),
            (2, 1, self.two_one),
            (1, 2, self.two_one),
        ]
        if self.two_two is not None:
            out.append((2, 2, self.two_two))
        for k in range(3, self.max_run + 1):
            c = self.two_one + (k - 2) * self.many_extra
            out += [(k, 1, c), (1, k, c)]
        return out


# Merge beads (anything but 1:1, 1:0, 0:1) are only considered when the content lengths of
# their two sides are compatible: within this many standard deviations of the Gale-Church model
# (signals.LENGTH_RATIO / LENGTH_VARIANCE; the length signal is at its floor beyond about 2.7).
# Blocks wholly in square brackets (an editor's description) are exempt, as in LengthScorer.
MERGE_Z = 3.0


# The anchor chain only guides the band when at least this many anchors agree.
MIN_CHAIN = 2

# The band is widened (doubled) around rows where the best path runs along its edge, but never
# beyond this half-width: on a page of thousands of look-alike list items the path keeps
# touching the edge, and doubling without bound grows the table towards n x m cells (40 kB of
# labelled items took two minutes). With the bound the table has at most (n + 1)(2 MAX_BAND + 1)
# cells. Real document pairs are far narrower (the example and ../shared pages need at most 8).
MAX_BAND = 32


# On a huge pair (more blocks than any real page: the examples and ../shared pages have at most
# a few hundred) the band starts at half-width HUGE_BAND instead of ``band``: it is widened
# wherever the best path runs along its edge, as every band is, and the table it starts from
# holds half the beads (a page of 56,000 labelled items at the 1 MB limit: 1.0 -> 0.5 million,
# bead costs 17.5 -> 8.4 s CPU).
HUGE_PAIR = 4000
HUGE_BAND = 2


class Aligner:
    """Configurable n:m block aligner (signals, bead priors, band, temperature).

    ``band`` is the initial half-width of the band around the anchor guide (at most
    :data:`HUGE_BAND` on a pair of more than :data:`HUGE_PAIR` blocks; doubled while the
    best path runs along its edge, up to ``max_band``). ``merge_z`` bounds the length mismatch
    of merge beads (``None``: no bound; see :data:`MERGE_Z`). ``prune`` is kept for
    compatibility and unused.
    """

    def __init__(
        self,
        scorers: Sequence[Scorer] | None = None,
        priors: BeadPriors | None = None,
        band: int = 4,
        temperature: float = 1.0,
        prune: float = 12.0,
        merge_z: float | None = MERGE_Z,
        max_band: int = MAX_BAND,
    ) -> None:
        self.scorers = list(scorers) if scorers is not None else default_scorers()
        self.priors = priors or BeadPriors()
        self.band = band
        self.temperature = temperature
        self.prune = prune
        self.merge_z = merge_z
        self.max_band = max(max_band, band)

    # ------------------------------------------------------------------ public
    def align(self, orig: Sequence[AlignBlock], trans: Sequence[AlignBlock]) -> list[Group]:
        """Align two block lists; groups come in document order and cover every block once."""
        n, m = len(orig), len(trans)
        if n == 0 or m == 0:
            return [Group((b.id,), (), 1.0) for b in orig] + [
                Group((), (b.id,), 1.0) for b in trans
            ]
        prepared = [(s.weight, s.prepare(orig, trans)) for s in self.scorers if s.weight]
        ctx = _Context(self, orig, trans, prepared)
        centre = _guide(n, m, [a for _, p in prepared for a in _anchors(p)])
        band = self.band if n + m <= HUGE_PAIR else min(self.band, HUGE_BAND)
        widths = [max(1, band)] * (n + 1)
        lo, hi = _band(n, m, centre, widths)
        sweep: _Sweep | None = None
        while True:
            cells = ctx.beads(lo, hi)
            # rows before the first one whose band changed keep their forward values
            sweep = _forward(n, lo, hi, cells, self.temperature, ctx.first_changed, sweep)
            fwd, back = sweep[0], sweep[2]
            path = _backtrack(n, m, back)
            rows = _edge_rows(path, lo, hi, m)
            if not rows:
                break
            # the best path ran along the band's edge: widen the band around there and redo
            old = list(widths)
            for r in rows:
                w = old[r]
                for i in range(max(0, r - 2 * w), min(n, r + 2 * w) + 1):
                    widths[i] = max(widths[i], min(2 * w, self.max_band))
            if widths == old:
                break  # at the widest band allowed: the table stays linear in the blocks
            wider = _band(n, m, centre, widths)
            if wider == (lo, hi):
                break  # the band already spans the whole table there
            lo, hi = wider
        post = _posteriors(n, m, lo, hi, cells, fwd, path, self.temperature)
        return [
            Group(
                tuple(orig[k].id for k in range(i0, i1)),
                tuple(trans[k].id for k in range(j0, j1)),
                round(p, 4),
            )
            for (i0, i1, j0, j1), p in zip(path, post, strict=True)
        ]


# --------------------------------------------------------------------------- bead costs


class _Context:
    """Bead enumeration and costs for one document pair (costs cached across band widths)."""

    def __init__(
        self,
        aligner: Aligner,
        orig: Sequence[AlignBlock],
        trans: Sequence[AlignBlock],
        prepared: list[tuple[float, PreparedScorer]],
    ) -> None:
        pr = aligner.priors
        self.prepared = prepared
        self.n, self.m = n, m = len(orig), len(trans)
        lo_len = [content_length(b.text) for b in orig]
        lt_len = [content_length(b.text) for b in trans]
        self.po, self.pt = _prefix(lo_len), _prefix(lt_len)
        self.eo = _prefix([is_editorial(b.text) for b in orig])
        self.et = _prefix([is_editorial(b.text) for b in trans])
        # run_o[i]: how many short blocks end at orig[i - 1] (only those join 3+ block runs)
        self.run_o, self.run_t = [0] * (n + 1), [0] * (m + 1)
        for run, lens in ((self.run_o, lo_len), (self.run_t, lt_len)):
            for k, x in enumerate(lens):
                run[k + 1] = run[k] + 1 if x <= pr.short_len else 0
        self.max_run = pr.max_run
        self.z = aligner.merge_z
        # one-sided beads depend on one block only: score them once per block
        self.null_o = self._score([(i, i + 1, 0, 0) for i in range(n)], [pr.null] * n)
        self.null_t = self._score([(0, 0, j, j + 1) for j in range(m)], [pr.null] * m)
        self.prior = {(a, b): c for a, b, c in pr.shapes() if a and b}
        # per row: (band signature, cells, lo of the row) of the last call (see ``beads``)
        self.rows: dict[int, tuple[tuple[tuple[int, ...], tuple[int, ...]], list, int]] = {}
        self.first_changed = 0  # the first row ``beads`` recomputed in its last call

    def _score(self, spans: list[Bead], total: list[float]) -> list[float]:
        """``total`` minus the weighted evidence of every scorer for each span."""
        for w, p in self.prepared:
            batch = getattr(p, "beads", None)
            ev = batch(spans) if batch is not None else [p.bead(*s) for s in spans]
            total = [c - w * e for c, e in zip(total, ev, strict=True)]
        return total

    def _ending_at(self, i: int, j: int) -> list[Bead]:
        """Admissible two-sided beads ending at cell (i, j), wherever they start."""
        return [(i - a, i, j - b, j) for a, b in self._shapes_at(i, j)]

    def _shapes_at(self, i: int, j: int) -> list[tuple[int, int]]:
        """(orig count, trans count) of the admissible two-sided beads ending at (i, j)."""
        if not (i and j):
            return []
        out = [(1, 1)]
        po, pt, eo, et, z = self.po, self.pt, self.eo, self.et, self.z
        ratio, var, sqrt = LENGTH_RATIO, LENGTH_VARIANCE, math.sqrt
        # n:1 runs, n = 2..: stop once the run is too long for trans[j - 1]
        top = min(i, self.max_run, max(2, self.run_o[i]))
        if top >= 2:
            one_t, ed_t = pt[j] - pt[j - 1], et[j] - et[j - 1]
            if z is None or ed_t:
                out += [(a, 1) for a in range(2, top + 1)]  # no length bound (see MERGE_Z)
            else:
                po_i, eo_i = po[i], eo[i]
                for a in range(2, top + 1):
                    if eo_i - eo[i - a] == a:
                        out.append((a, 1))  # editorial: no length bound
                        continue
                    lo = po_i - po[i - a]
                    d = lo * ratio - one_t
                    x = (lo + one_t / ratio) / 2.0
                    lim = z * sqrt(var * (x if x > 1.0 else 1.0))
                    if d > lim:
                        break
                    if d >= -lim:
                        out.append((a, 1))
        top = min(j, self.max_run, max(2, self.run_t[j]))
        if top >= 2:
            one_o, ed_o = po[i] - po[i - 1], eo[i] - eo[i - 1]
            if z is None or ed_o:
                out += [(1, b) for b in range(2, top + 1)]
            else:
                pt_j, et_j = pt[j], et[j]
                for b in range(2, top + 1):
                    if et_j - et[j - b] == b:
                        out.append((1, b))
                        continue
                    lt = pt_j - pt[j - b]
                    d = one_o * ratio - lt
                    x = (one_o + lt / ratio) / 2.0
                    lim = z * sqrt(var * (x if x > 1.0 else 1.0))
                    if d < -lim:
                        break
                    if d <= lim:
                        out.append((1, b))
        return out

    def beads(self, lo: list[int], hi: list[int]) -> list[list[list[tuple[int, int, float]]]]:
        """Per cell ``cells[i][j - lo[i]]``: the (a, b, cost) of every bead ending there.

        A row depends on the band of its own row and of the ``max_run`` rows before it; rows
        whose band did not change since the previous call are reused as they are, and a row
        that changed keeps the costs of the beads it had before (only new beads are scored).
        Costs are scored in batches of about :data:`BATCH` beads, so memory stays linear in the
        band, not in the beads of the whole table. ``first_changed`` is set to the first row
        recomputed (the forward pass need not redo the rows before it).
        """
        n, reach, shapes_at = self.n, self.max_run, self._shapes_at
        null_o, null_t, prior = self.null_o, self.null_t, self.prior
        cells: list[list[list[tuple[int, int, float]]]] = []
        todo: list[Bead] = []
        slots: list[tuple[list[tuple[int, int, float]], int, int, int]] = []
        first = n + 1

        priors: list[float] = []  # the shape prior of each bead in ``todo``

        def flush() -> None:
            costs = self._score(todo, priors)
            for (here, k, a, b), c in zip(slots, costs, strict=True):
                here[k] = (a, b, c)
            todo.clear()
            slots.clear()
            priors.clear()

        for i in range(n + 1):
            a0 = max(0, i - reach)
            sig = (tuple(lo[a0 : i + 1]), tuple(hi[a0 : i + 1]))
            old = self.rows.get(i)
            if old is not None and old[0] == sig:
                cells.append(old[1])  # unchanged: reuse
                continue
            first = min(first, i)
            known: dict[tuple[int, int, int], float] = {}
            if old is not None:  # the costs this row's beads had in the narrower band
                for jj, cell in enumerate(old[1]):
                    for a, b, c in cell:
                        if a and b:
                            known[(old[2] + jj, a, b)] = c
            row: list[list[tuple[int, int, float]]] = []
            li = lo[i]
            lo_p, hi_p = (lo[i - 1], hi[i - 1]) if i else (1, 0)
            null_i = null_o[i - 1] if i else 0.0
            for j in range(li, hi[i] + 1):
                here: list[tuple[int, int, float]] = []
                for a, b in shapes_at(i, j):
                    i0, j0 = i - a, j - b
                    if not lo[i0] <= j0 <= hi[i0]:
                        continue
                    c = known.get((j, a, b)) if known else None
                    if c is None:
                        todo.append((i0, i, j0, j))
                        priors.append(prior[(a, b)])
                        slots.append((here, len(here), a, b))
                        here.append((a, b, 0.0))  # filled in by flush()
                    else:
                        here.append((a, b, c))
                if lo_p <= j <= hi_p:
                    here.append((1, 0, null_i))
                if j > li:
                    here.append((0, 1, null_t[j - 1]))
                row.append(here)
            cells.append(row)
            self.rows[i] = (sig, row, li)
            if len(todo) >= BATCH:
                flush()
        if todo:
            flush()
        self.first_changed = first
        return cells


# Bead costs are scored in batches of this many (one call per scorer per batch).
BATCH = 20_000


def _prefix(values: Sequence[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def _anchors(p: PreparedScorer) -> list[tuple[int, int, float]]:
    get = getattr(p, "anchors", None)
    return list(get()) if get is not None else []


def _guide(n: int, m: int, anchors: list[tuple[int, int, float]]) -> list[float]:
    """Centre of the band per row: the heaviest monotone anchor chain, interpolated."""
    weight: dict[tuple[int, int], float] = {}
    for i, j, w in anchors:
        weight[(i, j)] = weight.get((i, j), 0.0) + w
    pts = sorted(weight)
    best, prev = _chains(pts, weight)
    chain: list[tuple[float, float]] = []
    k = max(range(len(pts)), key=lambda x: (best[x], -x)) if pts else -1
    if k >= 0 and best[k][0] >= MIN_CHAIN:  # one lone anchor does not bend the band
        while k >= 0:
            chain.append((pts[k][0] + 0.5, pts[k][1] + 0.5))
            k = prev[k]
        chain.reverse()
    knots = [(0.0, 0.0), *chain, (float(n), float(m))]
    centre = []
    k = 0
    for i in range(n + 1):
        while k + 1 < len(knots) - 1 and knots[k + 1][0] <= i:
            k += 1
        (x0, y0), (x1, y1) = knots[k], knots[k + 1]
        centre.append(y0 + (y1 - y0) * (i - x0) / (x1 - x0) if x1 > x0 else y1)
    return centre


def _chains(
    pts: list[tuple[int, int]], weight: dict[tuple[int, int], float]
) -> tuple[list[tuple[int, float]], list[int]]:
    """For each anchor (sorted), the best chain ending there and its predecessor.

    A chain has i and j strictly increasing; "best" is the longest, ties broken by weight:
    many consistent anchors outvote one strong but misplaced one.  Among equal chains the
    earliest predecessor wins.  O(A log A) with a prefix-maximum (Fenwick) tree over j: a
    page full of numbers can give thousands of anchors.
    """
    js = sorted({j for _, j in pts})
    rank = {j: r + 1 for r, j in enumerate(js)}
    tree: list[tuple[int, float, int]] = [(0, 0.0, 1)] * (len(js) + 1)  # (len, weight, -q)
    best = [(1, weight[p]) for p in pts]
    prev = [-1] * len(pts)
    # by i, and by j descending within one i, so that anchors of the same row never chain
    for k in sorted(range(len(pts)), key=lambda x: (pts[x][0], -pts[x][1])):
        i, j = pts[k]
        r, top = rank[j] - 1, (0, 0.0, 1)
        while r > 0:  # best chain among anchors with a smaller j (all have a smaller i)
            top = max(top, tree[r])
            r -= r & -r
        if top[0] > 0:
            cand = (top[0] + 1, top[1] + weight[(i, j)])
            if cand > best[k]:
                best[k], prev[k] = cand, -top[2]
        entry = (best[k][0], best[k][1], -k)
        r = rank[j]
        while r <= len(js):
            tree[r] = max(tree[r], entry)
            r += r & -r
    return best, prev


def _band(n: int, m: int, centre: list[float], widths: list[int]) -> tuple[list[int], list[int]]:
    lo = [max(0, math.floor(c - w)) for c, w in zip(centre, widths, strict=True)]
    hi = [min(m, math.ceil(c + w)) for c, w in zip(centre, widths, strict=True)]
    lo[0], hi[n] = 0, m
    # keep the band connected from (0, 0) to (n, m)
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = max(hi[i], lo[i + 1])
    return lo, hi


# --------------------------------------------------------------------------- DP sweeps


_Sweep = tuple[list[list[float]], list[list[float]], list[dict[int, tuple[int, int]]]]


def _forward(
    n: int,
    lo: list[int],
    hi: list[int],
    cells: list,
    t: float,
    start: int = 0,
    prev: _Sweep | None = None,
) -> _Sweep:
    """Viterbi (best cost and back-pointer) and forward (log-sum) costs in one sweep.

    Rows before ``start`` are taken from ``prev`` (a sweep over a band that differs only from
    row ``start`` on): a widened band redoes only the rows from its first change.
    """
    exp, log1p = math.exp, math.log1p
    start = start if prev is not None else 0
    fwd: list[list[float]] = prev[0][:start] if prev is not None else []
    best: list[list[float]] = prev[1][:start] if prev is not None else []
    back: list[dict[int, tuple[int, int]]] = prev[2][:start] if prev is not None else []
    for i in range(start, n + 1):
        li = lo[i]
        frow = [INF] * (hi[i] - li + 1)
        brow = [INF] * (hi[i] - li + 1)
        # back-pointers by absolute column
        krow: dict[int, tuple[int, int]] = {}
        fwd.append(frow)
        best.append(brow)
        back.append(krow)
        for jj, here in enumerate(cells[i]):
            if i == 0 and jj == 0:
                frow[0] = brow[0] = 0.0
                continue
            j = li + jj
            bv, bk, fv = INF, None, INF
            for a, b, c in here:
                if a:
                    pi = i - a
                    pj = j - b - lo[pi]
                    pb = best[pi][pj]
                    pf = fwd[pi][pj]
                else:
                    pb = brow[jj - b]
                    pf = frow[jj - b]
                y = pb + c
                if y < bv:
                    bv, bk = y, (a, b)
                x = pf + c
                if x < INF:
                    if fv == INF:
                        fv = x
                    elif x < fv:
                        fv = x - t * log1p(exp((x - fv) / t))
                    else:
                        fv = fv - t * log1p(exp((fv - x) / t))
            brow[jj], frow[jj] = bv, fv
            if bk is not None:
                krow[j] = bk
    return fwd, best, back


def _backtrack(n: int, m: int, back: list[dict[int, tuple[int, int]]]) -> list[Bead]:
    path: list[Bead] = []
    i, j = n, m
    while i or j:
        step = back[i].get(j)
        if step is None:  # pragma: no cover - the band always contains a path
            raise RuntimeError("alignment band too narrow")
        a, b = step
        path.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    path.reverse()
    return path


def _edge_rows(path: list[Bead], lo: list[int], hi: list[int], m: int) -> list[int]:
    """Rows where the path runs along an edge of the band (it may want to leave it)."""
    return [
        i1
        for _i0, i1, _j0, j1 in path
        if (j1 <= lo[i1] and lo[i1] > 0) or (j1 >= hi[i1] and hi[i1] < m)
    ]


def _posteriors(
    n: int,
    m: int,
    lo: list[int],
    hi: list[int],
    cells: list,
    fwd: list[list[float]],
    path: list[Bead],
    t: float,
) -> list[float]:
    """Posterior probability of each bead of ``path`` (backward sweep over the same beads)."""
    exp, log1p = math.exp, math.log1p
    bwd = [[INF] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    bwd[n][m - lo[n]] = 0.0
    for i in range(n, -1, -1):
        li = lo[i]
        brow = bwd[i]
        row = cells[i]
        for jj in range(len(row) - 1, -1, -1):
            here_b = brow[jj]
            if here_b == INF:
                continue
            j = li + jj
            for a, b, c in row[jj]:
                pi = i - a
                target = bwd[pi]
                pj = j - b - lo[pi]
                x = here_b + c
                y = target[pj]
                if y == INF:
                    target[pj] = x
                elif x < y:
                    target[pj] = x - t * log1p(exp((x - y) / t))
                else:
                    target[pj] = y - t * log1p(exp((y - x) / t))
    total = fwd[n][m - lo[n]]
    out = []
    for i0, i1, j0, j1 in path:
        c = next(c for a, b, c in cells[i1][j1 - lo[i1]] if a == i1 - i0 and b == j1 - j0)
        x = fwd[i0][j0 - lo[i0]] + c + bwd[i1][j1 - lo[i1]] - total
        out.append(min(1.0, math.exp(-x / t)))
    return out


def align_blocks(
    orig: Sequence[AlignBlock], trans: Sequence[AlignBlock], aligner: Aligner | None = None
) -> list[Group]:
    """Align two block lists with the default (model-free) signals."""
    return (aligner or Aligner()).align(orig, trans)
