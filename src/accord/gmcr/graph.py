"""The compiled graph model of a conflict: states, moves and preferences as arrays.

A conflict in the Graph Model for Conflict Resolution (Fang, Hipel & Kilgour
1993, *Interactive Decision Making: The Graph Model for Conflict Resolution*,
Wiley, ch. 2) is a set of decision makers (DMs), a finite set of states, one
directed graph of moves per DM and one preference relation per DM.

accord compiles both input forms into :class:`CompiledConflict`:

* the **option form** (Howard's option form as used by GMCR II, Fang, Hipel,
  Kilgour & Peng 2003): each DM controls a block of binary options; a state is a
  code ``sum(bit_p << p)`` over all ``n`` options, option ``p`` in declaration
  order.  The index space is all ``2**n`` codes and a boolean mask marks the
  feasible ones.  Moves are *implicit*: DM ``j`` moves from ``s`` to every
  feasible ``s'`` that differs from ``s`` only in ``j``'s own option bits and
  respects irreversibility.  Reshaped in C order to
  ``(2**k_{m-1}, ..., 2**k_0)``, DM ``j`` moves along one axis only, which is
  what makes every operation below vectorise over states without an
  ``N x N`` matrix.
* the **explicit-graph form**: states are listed, and each DM's moves are an
  explicit sparse list of arcs ``(src, dst)``.

Preferences are integer scores per state and DM: higher is more preferred,
equal is a tie (GMCR II represents preference the same way, by a ranking with
ties, Fang et al. 2003 Part II).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "NEG",
    "POS",
    "CompiledConflict",
    "GraphMoves",
    "OptionMoves",
    "extreme_over_moves",
    "extreme_over_moves_or_stay",
    "moves_from",
]

#: Sentinels for "no move": the identity of ``max`` and of ``min`` on int64 scores.
NEG = np.iinfo(np.int64).min
POS = np.iinfo(np.int64).max

Reducer = Literal["min", "max"]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class OptionMoves:
    """Implicit moves of the option form.

    ``block_sizes[j]`` options belong to DM ``j`` (DM by DM, in order);
    ``only_up`` / ``only_down`` are bit masks of the irreversible options that
    may only move N->Y / only Y->N.
    """

    block_sizes: tuple[int, ...]
    only_up: int = 0
    only_down: int = 0

    @property
    def n_options(self) -> int:
        return sum(self.block_sizes)

    def offset(self, dm: int) -> int:
        return sum(self.block_sizes[:dm])

    def block_mask(self, dm: int) -> int:
        return ((1 << self.block_sizes[dm]) - 1) << self.offset(dm)

    def shape(self) -> tuple[int, ...]:
        return tuple(1 << k for k in reversed(self.block_sizes))

    def axis(self, dm: int) -> int:
        return len(self.block_sizes) - 1 - dm

    def local_irreversible(self, dm: int) -> tuple[int, int]:
        off, mask = self.offset(dm), self.block_mask(dm)
        return (self.only_up & mask) >> off, (self.only_down & mask) >> off


@dataclass(frozen=True, eq=False)
class GraphMoves:
    """Explicit moves: ``arcs[j]`` is an ``(m, 2)`` array of ``(src, dst)`` state indices."""

    arcs: tuple[IntArray, ...]


@dataclass(frozen=True, eq=False)
class CompiledConflict:
    """A conflict as arrays.

    Attributes:
        decision_makers: DM ids, in order.
        feasible: boolean mask over the index space (all codes in the option
            form; the listed states in the explicit form).
        scores: ``(n_dm, n_index)`` int64, higher = more preferred.  Values at
            infeasible indices are never read.
        moves: :class:`OptionMoves` or :class:`GraphMoves`.
        option_ids: option ids in code-bit order (option form), else ``()``.
        state_names: explicit-form state names, else ``()``.
        labels: readable labels by index, for states that have one.
        status_quo: the index of the status quo state, if given.
    """

    decision_makers: tuple[str, ...]
    feasible: BoolArray
    scores: IntArray
    moves: OptionMoves | GraphMoves
    option_ids: tuple[str, ...] = ()
    state_names: tuple[str, ...] = ()
    labels: dict[int, str] = field(default_factory=dict)
    status_quo: int | None = None
    _cache: dict[object, object] = field(init=False, repr=False, compare=False)
    """Results derived from the fields above (reach classes, sort plans, the reversed
    conflict, ...).  Never passed in and never copied: ``dataclasses.replace`` and
    :func:`copy.copy` build a new object through ``__init__``, whose ``__post_init__`` gives it
    an empty cache, so a conflict with other scores or moves cannot answer from this one's."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cache", {})
        n = self.feasible.shape[0]
        if self.scores.shape != (len(self.decision_makers), n):
            raise ValueError(
                f"scores must have shape {(len(self.decision_makers), n)}, got {self.scores.shape}"
            )
        if len(self.decision_makers) < 2:
            raise ValueError("a conflict needs at least two decision makers")
        if isinstance(self.moves, OptionMoves):
            if n != 1 << self.moves.n_options:
                raise ValueError("option form: the index space must hold 2**n_options codes")
            if len(self.moves.block_sizes) != len(self.decision_makers):
                raise ValueError("option form: one block of options per decision maker")
        elif len(self.moves.arcs) != len(self.decision_makers):
            raise ValueError("explicit form: one arc list per decision maker")

    def __copy__(self) -> CompiledConflict:
        return replace(self)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_options(
        cls,
        decision_makers: Sequence[str],
        block_sizes: Sequence[int],
        scores: NDArray[np.integer],
        feasible: NDArray[np.bool_] | None = None,
        *,
        only_up: int = 0,
        only_down: int = 0,
        option_ids: Sequence[str] = (),
        labels: dict[int, str] | None = None,
    ) -> CompiledConflict:
        n = 1 << sum(block_sizes)
        feas = np.ones(n, dtype=bool) if feasible is None else np.asarray(feasible, dtype=bool)
        return cls(
            tuple(decision_makers),
            feas,
            np.asarray(scores, dtype=np.int64),
            OptionMoves(tuple(int(k) for k in block_sizes), only_up, only_down),
            tuple(option_ids),
            (),
            dict(labels or {}),
        )

    @classmethod
    def from_graph(
        cls,
        decision_makers: Sequence[str],
        state_names: Sequence[str],
        arcs: Sequence[Sequence[tuple[int, int]]],
        scores: NDArray[np.integer],
    ) -> CompiledConflict:
        n = len(state_names)
        arrays = []
        for dm_arcs in arcs:
            a = np.asarray(sorted(set(dm_arcs)), dtype=np.int64).reshape(-1, 2)
            a = a[a[:, 0] != a[:, 1]]  # a move to the same state is no move
            arrays.append(a)
        return cls(
            tuple(decision_makers),
            np.ones(n, dtype=bool),
            np.asarray(scores, dtype=np.int64),
            GraphMoves(tuple(arrays)),
            (),
            tuple(state_names),
            {},
        )

    # -- naming -------------------------------------------------------------------------
    @property
    def n_dm(self) -> int:
        return len(self.decision_makers)

    @property
    def n_index(self) -> int:
        return int(self.feasible.shape[0])

    @property
    def is_option_form(self) -> bool:
        return isinstance(self.moves, OptionMoves)

    def feasible_states(self) -> IntArray:
        """Indices of the feasible states, ascending."""
        key = "feasible_states"
        if key not in self._cache:
            self._cache[key] = np.flatnonzero(self.feasible).astype(np.int64)
        out: IntArray = self._cache[key]  # type: ignore[assignment]
        return out

    def vector(self, index: int) -> str:
        """The option vector ``"NYNNY"`` of a state (option form) or its name (explicit form)."""
        if isinstance(self.moves, OptionMoves):
            return "".join("Y" if index >> p & 1 else "N" for p in range(self.moves.n_options))
        return self.state_names[index]

    def label(self, index: int) -> str:
        """The readable label of a state: its label if it has one, else its vector or name."""
        return self.labels.get(index, self.vector(index))

    def dm_index(self, dm: str) -> int:
        return self.decision_makers.index(dm)

    def find_state(self, text: str) -> int | None:
        """The feasible state a user names: by label, option vector or (explicit form) name."""
        for index, label in self.labels.items():
            if label == text:
                return index
        if isinstance(self.moves, OptionMoves):
            n = self.moves.n_options
            if len(text) == n and set(text) <= {"Y", "N"}:
                code = sum(1 << p for p, c in enumerate(text) if c == "Y")
                return code if self.feasible[code] else None
            return None
        if text in self.state_names:
            return self.state_names.index(text)
        return None


# -- reductions over one DM's moves ------------------------------------------------------


def _ident(op: Reducer) -> int:
    return POS if op == "min" else NEG


def extreme_over_moves(
    conflict: CompiledConflict,
    dm: int,
    values: IntArray,
    *,
    improving: bool,
    op: Reducer = "min",
) -> IntArray:
    """For every state ``s``: the min (or max) of ``values[s']`` over ``s'`` in ``R_dm(s)``.

    ``R_dm(s)`` is DM ``dm``'s unilateral-move list (Fang, Hipel & Kilgour 1993,
    Def. 2.1); with ``improving=True`` it is the unilateral-improvement list
    ``R_dm^+(s) = {s' in R_dm(s) : s' >_dm s}``.  Where the list is empty the
    result is the reducer's identity (:data:`POS` for min, :data:`NEG` for max);
    the result at infeasible states is the identity too.
    """
    ident = _ident(op)
    v = np.where(conflict.feasible, values, ident)
    if isinstance(conflict.moves, GraphMoves):
        out = _graph_extreme(conflict, dm, v, improving, op)
    else:
        up, down = conflict.moves.local_irreversible(dm)
        if up == 0 and down == 0:
            if improving:
                out = _sorted_extreme(conflict, dm, v, op)
            else:
                out = _others_extreme(conflict, dm, v, op)
        elif improving:
            out = _flip_extreme(conflict, dm, v, improving, op)
        else:
            out = _product_extreme(conflict, dm, v, op)
    out[~conflict.feasible] = ident
    return out


def _graph_extreme(
    conflict: CompiledConflict, dm: int, v: IntArray, improving: bool, op: Reducer
) -> IntArray:
    assert isinstance(conflict.moves, GraphMoves)
    arcs = conflict.moves.arcs[dm]
    src, dst = arcs[:, 0], arcs[:, 1]
    if improving:
        score = conflict.scores[dm]
        keep = score[dst] > score[src]
        src, dst = src[keep], dst[keep]
    out = np.full(conflict.n_index, _ident(op), dtype=np.int64)
    ufunc = np.minimum if op == "min" else np.maximum
    ufunc.at(out, src, v[dst])
    return out


def _others_extreme(conflict: CompiledConflict, dm: int, v: IntArray, op: Reducer) -> IntArray:
    """All-moves case without irreversibility: every other feasible state of the fibre.

    The extreme over "the fibre except myself" is the best of the fibre unless I
    am the best, then the second best.
    """
    assert isinstance(conflict.moves, OptionMoves)
    shape, ax = conflict.moves.shape(), conflict.moves.axis(dm)
    t = v.reshape(shape)
    arg = np.argmin(t, axis=ax) if op == "min" else np.argmax(t, axis=ax)
    arg = np.expand_dims(arg, ax)
    best = np.take_along_axis(t, arg, ax)
    t2 = t.copy()
    np.put_along_axis(t2, arg, _ident(op), ax)
    second = t2.min(axis=ax, keepdims=True) if op == "min" else t2.max(axis=ax, keepdims=True)
    del t2
    k = shape[ax]
    pos = np.arange(k).reshape([k if i == ax else 1 for i in range(len(shape))])
    return np.where(pos == arg, second, best).reshape(-1)


def _sort_plan(
    conflict: CompiledConflict, dm: int
) -> tuple[NDArray[np.integer], NDArray[np.integer]]:
    """Per fibre of DM ``dm``: the order of its states by ``dm``'s score and, for each
    state, the sorted position of the first strictly better state (cached)."""
    key = ("sort", dm)
    if key not in conflict._cache:
        assert isinstance(conflict.moves, OptionMoves)
        shape, ax = conflict.moves.shape(), conflict.moves.axis(dm)
        k = shape[ax]
        s = conflict.scores[dm].reshape(shape)
        order = np.argsort(s, axis=ax, kind="stable")
        ss = np.take_along_axis(s, order, ax)
        # end of each tie group in sorted position: the first position with a larger score
        nxt = np.concatenate(
            [np.take(ss, np.arange(1, k), axis=ax), np.full_like(np.take(ss, [0], axis=ax), POS)],
            axis=ax,
        )
        pos = np.arange(1, k + 1).reshape([k if i == ax else 1 for i in range(len(shape))])
        end = np.where(nxt != ss, pos, k)
        end = np.flip(np.minimum.accumulate(np.flip(end, ax), axis=ax), ax)
        first_better = np.empty_like(end)
        np.put_along_axis(first_better, order, end, ax)
        small = np.uint8 if k < 256 else np.uint16 if k < 65536 else np.int64
        conflict._cache[key] = (order.astype(small), first_better.astype(small))
    plan: tuple[NDArray[np.integer], NDArray[np.integer]] = conflict._cache[key]  # type: ignore[assignment]
    return plan


def _sorted_extreme(conflict: CompiledConflict, dm: int, v: IntArray, op: Reducer) -> IntArray:
    """Improvement case without irreversibility: the states of the fibre that ``dm``
    strictly prefers form a suffix of the fibre sorted by ``dm``'s score."""
    assert isinstance(conflict.moves, OptionMoves)
    shape, ax = conflict.moves.shape(), conflict.moves.axis(dm)
    order, first_better = _sort_plan(conflict, dm)
    t = np.take_along_axis(v.reshape(shape), order.astype(np.intp), ax)
    acc = np.minimum.accumulate if op == "min" else np.maximum.accumulate
    t = np.flip(acc(np.flip(t, ax), axis=ax), ax)
    pad_shape = list(shape)
    pad_shape[ax] = 1
    t = np.concatenate([t, np.full(pad_shape, _ident(op), dtype=np.int64)], axis=ax)
    return np.take_along_axis(t, first_better.astype(np.intp), ax).reshape(-1)


def _allowed_bit(
    g: IntArray, axis: int, q: int, up: int, down: int, ufunc: Callable[..., IntArray]
) -> IntArray:
    """One bit of a product-set reduction: along ``axis`` (local option bit ``q``),
    the extreme over the values that bit may take from each side (a reversible
    bit either value; an only-up bit that is Y stays Y; an only-down bit that is
    N stays N)."""
    g0, g1 = np.take(g, [0], axis=axis), np.take(g, [1], axis=axis)
    both = ufunc(g0, g1)
    if up >> q & 1:  # from Y it must stay Y
        return np.concatenate([both, g1], axis=axis)
    if down >> q & 1:  # from N it must stay N
        return np.concatenate([g0, both], axis=axis)
    return np.concatenate([both, both], axis=axis)


def _product_extreme(conflict: CompiledConflict, dm: int, v: IntArray, op: Reducer) -> IntArray:
    """All-moves case with irreversible options, in ``O(k^2 N)`` instead of ``O(2^k N)``.

    Which block configurations ``b`` DM ``dm`` may move to from ``a`` is decided
    bit by bit (a reversible bit may take either value; an only-up bit that is
    already Y must stay Y; an only-down bit that is N must stay N), so the
    allowed targets form a product set ``S(a)`` over the ``k`` bits, and an
    extreme over a product set is ``k`` one-bit reductions.  A move must change
    something, and ``S(a) - {a}`` is the union over bits ``p`` of the product
    sets in which bit ``p`` is forced to flip: ``k`` products of ``k`` one-bit
    reductions each.
    """
    assert isinstance(conflict.moves, OptionMoves)
    shape, ax = conflict.moves.shape(), conflict.moves.axis(dm)
    k = conflict.moves.block_sizes[dm]
    up, down = conflict.moves.local_irreversible(dm)
    ident = _ident(op)
    ufunc = np.minimum if op == "min" else np.maximum
    split_shape = (*shape[:ax], *([2] * k), *shape[ax + 1 :])
    t = v.reshape(split_shape)

    def sub_axis(q: int) -> int:  # local bit q is the (k-1-q)-th of the split axes
        return ax + (k - 1 - q)

    def halves(g: IntArray, q: int) -> tuple[IntArray, IntArray]:
        axis = sub_axis(q)
        return np.take(g, [0], axis=axis), np.take(g, [1], axis=axis)

    def flipped(g: IntArray, q: int) -> IntArray:
        g0, g1 = halves(g, q)
        none = np.full_like(g0, ident)
        to_one = none if down >> q & 1 else g1  # N -> Y is barred for only-down bits
        to_zero = none if up >> q & 1 else g0  # Y -> N is barred for only-up bits
        return np.concatenate([to_one, to_zero], axis=sub_axis(q))

    out = np.full(split_shape, ident, dtype=np.int64)
    for p in range(k):
        h = t
        for q in range(k):
            if q != p:
                h = _allowed_bit(h, sub_axis(q), q, up, down, ufunc)
        ufunc(out, flipped(h, p), out=out)
    return out.reshape(-1)


def extreme_over_moves_or_stay(
    conflict: CompiledConflict, dm: int, values: IntArray, *, op: Reducer = "max"
) -> IntArray:
    """Option form: for every feasible ``s``, the min (or max) of ``values`` over
    ``{s} + R_dm(s)``, in ``O(k N)``.

    The states DM ``dm`` may reach from ``s`` in one move, together with ``s``,
    are the feasible states of a product set over its ``k`` option bits (a
    reversible bit takes either value, an only-up bit that is Y stays Y, an
    only-down bit that is N stays N; see :func:`_product_extreme`), so the
    extreme is ``k`` one-bit reductions.  Unlike :func:`extreme_over_moves` it
    includes ``s`` itself, which saves the ``k``-fold work of excluding it.
    Infeasible states give and get the reducer's identity.
    """
    assert isinstance(conflict.moves, OptionMoves)
    shape, ax = conflict.moves.shape(), conflict.moves.axis(dm)
    k = conflict.moves.block_sizes[dm]
    up, down = conflict.moves.local_irreversible(dm)
    ident = _ident(op)
    ufunc = np.minimum if op == "min" else np.maximum
    split_shape = (*shape[:ax], *([2] * k), *shape[ax + 1 :])
    t = np.where(conflict.feasible, values, ident).reshape(split_shape)
    for q in range(k):
        t = _allowed_bit(t, ax + (k - 1 - q), q, up, down, ufunc)
    out = t.reshape(-1)
    out[~conflict.feasible] = ident
    return out


#: Budget for caching the per-flip "is this move an improvement" masks of the general path.
FLIP_MASK_CACHE_BYTES = 256 * 2**20


def _flip_extreme(
    conflict: CompiledConflict, dm: int, v: IntArray, improving: bool, op: Reducer
) -> IntArray:
    """General option-form case (irreversible options): enumerate the ``2**k - 1``
    flips of DM ``dm``'s bits as XOR masks, each vectorised over all states.

    The masks saying which flips are legal improvements depend only on the
    DM's scores, so they are cached across calls while they fit in
    :data:`FLIP_MASK_CACHE_BYTES`.
    """
    assert isinstance(conflict.moves, OptionMoves)
    shape, ax = conflict.moves.shape(), conflict.moves.axis(dm)
    k = shape[ax]
    up, down = conflict.moves.local_irreversible(dm)
    a = np.arange(k)
    bshape = [k if i == ax else 1 for i in range(len(shape))]
    t = v.reshape(shape)
    s = conflict.scores[dm].reshape(shape)
    ufunc = np.minimum if op == "min" else np.maximum
    out = np.full(shape, _ident(op), dtype=np.int64)
    cacheable = improving and (k - 1) * conflict.n_index <= FLIP_MASK_CACHE_BYTES
    masks: dict[int, NDArray[np.bool_]] = {}
    if cacheable:
        masks = conflict._cache.setdefault(("flip-masks", dm), {})  # type: ignore[assignment]
    for x in range(1, k):
        # an only-up bit may flip only from N (0); an only-down bit only from Y (1)
        legal = ((a & x & up) == 0) & ((~a & x & down) == 0)
        if not legal.any():
            continue
        perm = a ^ x
        keep: NDArray[np.bool_]
        if improving:
            if x in masks:
                keep = masks[x]
            else:
                keep = legal.reshape(bshape) & (np.take(s, perm, axis=ax) > s)
                if cacheable:
                    masks[x] = keep
        else:
            keep = np.broadcast_to(legal.reshape(bshape), shape)
        ufunc(out, np.take(t, perm, axis=ax), out=out, where=keep)
    return out.reshape(-1)


def moves_from(conflict: CompiledConflict, dm: int, state: int) -> list[int]:
    """DM ``dm``'s unilateral moves from one feasible ``state``, from the definition.

    Straightforward per-state enumeration, for explanations, paths and the
    brute-force reference; the analyses use :func:`extreme_over_moves`.
    """
    if isinstance(conflict.moves, GraphMoves):
        arcs = conflict.moves.arcs[dm]
        return [int(d) for d in arcs[arcs[:, 0] == state, 1]]
    mask = conflict.moves.block_mask(dm)
    out = []
    flip = mask
    while flip:  # every non-empty subset of DM dm's option bits
        other = state ^ flip
        flip = (flip - 1) & mask
        if not conflict.feasible[other]:
            continue
        turned_on, turned_off = other & ~state, state & ~other
        if turned_off & conflict.moves.only_up or turned_on & conflict.moves.only_down:
            continue
        out.append(other)
    return sorted(out)
