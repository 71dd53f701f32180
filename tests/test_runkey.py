"""The run key (``autograder.runkey``): secret, long, private on disk, shared by shards."""

import os
import stat
import threading

import numpy as np
import pytest

from autograder import runkey
from autograder.errors import UsageError
from autograder.manifest import load
from autograder.runkey import KEY_BITS, RunKey, choose, keep, key_path


def test_a_fresh_key_asks_the_system_for_128_bits(monkeypatch):
    asked = []
    real = runkey.secrets.randbits
    monkeypatch.setattr(runkey.secrets, "randbits", lambda bits: asked.append(bits) or real(bits))
    RunKey.generate()
    assert asked == [KEY_BITS] and KEY_BITS >= 128


def test_fresh_keys_differ_and_use_their_bits():
    keys = {RunKey.generate().seed for _ in range(64)}
    assert len(keys) == 64
    assert max(k.bit_length() for k in keys) > 120


def test_two_default_runs_draw_different_hidden_cases():
    assignment = load("ch01_regression")
    first, second = (assignment.cases(RunKey.generate().seed) for _ in range(2))
    (_, a), (_, b) = first["mse"][-3], second["mse"][-3]
    assert "/h" in first["mse"][-3][0]
    assert not np.array_equal(a.args[0], b.args[0])


def test_the_id_tells_keys_apart_without_showing_them():
    key = RunKey(123456789)
    assert len(key.id) == 16 and int(key.id, 16) >= 0
    assert key.id != RunKey(123456788).id and key.id == RunKey(123456789).id
    assert "123456789" not in key.id and "123456789" not in repr(key)


@pytest.mark.parametrize("seed", [-1, "7", 1.0, True])
def test_a_key_is_a_non_negative_integer(seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        RunKey(seed)


def test_a_written_key_is_private_and_reads_back(tmp_path):
    old = os.umask(0)
    try:
        key = RunKey.generate()
        key.write(tmp_path / "grades.key")
        key.write(tmp_path / "grades.key")  # replaced, still private
    finally:
        os.umask(old)
    path = tmp_path / "grades.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert RunKey.read(path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["grades.key"]  # no temporary left


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such key file"), (b"0x1f\n", "not a run key"), (b"", "not a run key"),
    (b"12 34", "not a run key"), (b"9" * 200, "not a run key"), (b"\xff\xfe", "cannot read"),
])
def test_reading_anything_but_a_key_is_a_usage_error(tmp_path, content, message):
    path = tmp_path / "grades.key"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        RunKey.read(path)


def test_a_shared_key_is_created_once_and_then_reused(tmp_path):
    path = tmp_path / "course" / "run.key"
    created = RunKey.shared(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert RunKey.shared(path) == created
    assert [p.name for p in path.parent.iterdir()] == ["run.key"]


def test_tasks_that_start_at_once_share_one_key(tmp_path):
    path, keys = tmp_path / "run.key", []
    threads = [threading.Thread(target=lambda: keys.append(RunKey.shared(path)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1


def test_the_loser_of_a_race_reads_the_winners_key(tmp_path, monkeypatch):
    path, winner = tmp_path / "run.key", RunKey(42)

    def too_late(source, target):
        winner.write(path)
        raise FileExistsError(target)

    monkeypatch.setattr(runkey.os, "link", too_late)
    assert RunKey.shared(path) == winner
    assert [p.name for p in tmp_path.iterdir()] == ["run.key"]


def test_choose_a_fixed_a_shared_or_a_fresh_key(tmp_path):
    assert choose(seed=7) == RunKey(7)
    shared = choose(key=tmp_path / "run.key")
    assert choose(key=tmp_path / "run.key") == shared
    assert choose() != choose()
    with pytest.raises(UsageError, match="not both"):
        choose(seed=7, key=tmp_path / "run.key")


def test_keep_writes_the_key_beside_the_csv(tmp_path):
    csv_path = tmp_path / "out" / "grades.csv"
    assert keep(RunKey(5), csv_path) == key_path(csv_path) == tmp_path / "out" / "grades.key"
    assert RunKey.read(key_path(csv_path)) == RunKey(5)
    assert stat.S_IMODE(key_path(csv_path).stat().st_mode) == 0o600
