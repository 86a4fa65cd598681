"""The forked worker split of ``tei validate --jobs N`` (:mod:`tei.validate.workers`)."""

from __future__ import annotations

import os
import signal

import pytest

from tei.validate.workers import WorkerFailed, map_forked, shares


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked during a test."""
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def _all_reaped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False  # still running, or ended and not waited for
    return True


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
def test_shares_deal_every_item_once_and_evenly(jobs: int) -> None:
    sizes = [(i * 7919) % 1000 + 1 for i in range(203)]
    parts = shares(sizes, jobs)
    assert len(parts) == jobs
    assert sorted(i for p in parts for i in p) == list(range(len(sizes)))
    assert all(p == sorted(p) for p in parts)
    loads = [sum(sizes[i] for i in p) for p in parts]
    assert max(loads) - min(loads) <= max(sizes)
    assert shares(sizes, jobs) == parts  # deterministic


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_in_input_order_with_every_step_counted(jobs: int, forked: list[int]) -> None:
    items = list(range(57))
    steps: list[int] = []
    got = map_forked(lambda x: (x, x * x, os.getpid()), items, jobs, [1] * len(items), steps.append)
    assert [(x, sq) for x, sq, _ in got] == [(x, x * x) for x in items]
    assert len({pid for _, _, pid in got}) == jobs  # the parent worked too, each child once
    assert os.getpid() in {pid for _, _, pid in got}
    assert sum(steps) == len(items)
    assert len(forked) == jobs - 1
    assert _all_reaped(forked)


def test_an_exception_in_a_child_is_raised_in_the_parent(forked: list[int]) -> None:
    items = list(range(10))
    child_items = shares([1] * 10, 2)[1]

    def check(x: int) -> int:
        if x == child_items[-1] and os.getpid() != parent:
            raise ValueError(f"bad item {x}")
        return x

    parent = os.getpid()
    with pytest.raises(ValueError, match=f"bad item {child_items[-1]}"):
        map_forked(check, items, 2, [1] * 10, lambda n: None)
    assert len(forked) == 1 and _all_reaped(forked)


def test_a_child_that_dies_is_reported_not_waited_for(forked: list[int]) -> None:
    parent = os.getpid()

    def check(x: int) -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return x

    with pytest.raises(WorkerFailed, match="killed by signal 9"):
        map_forked(check, list(range(6)), 2, [1] * 6, lambda n: None)
    assert len(forked) == 1 and _all_reaped(forked)


def test_a_failure_in_the_parent_leaves_no_child_running(forked: list[int]) -> None:
    parent = os.getpid()

    def check(x: int) -> int:
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return x

    with pytest.raises(KeyboardInterrupt):
        map_forked(check, list(range(40)), 3, [1] * 40, lambda n: None)
    assert len(forked) == 2 and _all_reaped(forked)
