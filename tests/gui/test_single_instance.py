"""One window per database on Windows: the named mutex decides who came first (through a fake
kernel here, as ``CreateMutexW`` exists on Windows only), the local socket carries the
request to come forward."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from mixtimer_gui.gui.single_instance import (
    ERROR_ACCESS_DENIED,
    ERROR_ALREADY_EXISTS,
    NamedMutex,
    SingleInstance,
)


class FakeKernel:
    """Named mutexes as the kernel keeps them: a name lives while any handle to it is open;
    each process (each ``FakeKernel.process()``) gets its own handles."""

    def __init__(self) -> None:
        self.open: dict[int, str] = {}
        self._next = 100
        self.fail_with = 0  # a CreateMutexW that returns NULL with this error

    def process(self) -> FakeMutexApi:
        return FakeMutexApi(self)

    def names(self) -> set[str]:
        return set(self.open.values())


class FakeMutexApi:
    def __init__(self, kernel: FakeKernel) -> None:
        self.kernel = kernel

    def create(self, name: str) -> tuple[int, int]:
        if self.kernel.fail_with:
            return 0, self.kernel.fail_with
        existed = name in self.kernel.names()
        self.kernel._next += 4
        self.kernel.open[self.kernel._next] = name
        return self.kernel._next, ERROR_ALREADY_EXISTS if existed else 0

    def close(self, handle: int) -> None:
        del self.kernel.open[handle]


def test_the_first_creator_holds_the_name_until_it_releases_it() -> None:
    kernel = FakeKernel()
    first = NamedMutex("Local\\mixtimer-gui-abc", kernel.process())
    second = NamedMutex("Local\\mixtimer-gui-abc", kernel.process())
    assert first.acquire() is True
    assert first.acquire() is True  # asking again changes nothing
    assert second.acquire() is False
    assert len(kernel.open) == 1  # the second closed its extra reference
    first.release()
    assert kernel.open == {}
    assert second.acquire() is True


def test_a_name_held_with_other_rights_is_another_instance_too() -> None:
    kernel = FakeKernel()
    kernel.fail_with = ERROR_ACCESS_DENIED
    assert NamedMutex("Local\\x", kernel.process()).acquire() is False
    kernel.fail_with = 1450  # ERROR_NO_SYSTEM_RESOURCES: the kernel did not say
    assert NamedMutex("Local\\x", kernel.process()).acquire() is None


def test_no_mutex_outside_windows(monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert NamedMutex.for_platform("mixtimer-gui-abc") is None
    assert SingleInstance(db_path).mutex is None


def test_a_held_mutex_means_another_instance_even_when_its_socket_is_silent(
        db_path: Path, qapp: Any) -> None:
    """Windows' case: the first instance's pipe may not answer (still starting, or a listen
    that "succeeded" twice), yet a second window must not open."""
    kernel = FakeKernel()
    first = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
    assert first.ask_running_instance() is False  # first: holds the name, no socket probe
    second = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
    assert second.ask_running_instance() is True
    first.close()
    assert kernel.open == {}
    third = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
    assert third.ask_running_instance() is False
    third.close()


def test_the_holder_is_asked_to_come_forward(db_path: Path, qtbot: Any) -> None:
    kernel = FakeKernel()
    first = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
    assert first.ask_running_instance() is False
    assert first.listen()
    try:
        second = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
        with qtbot.waitSignal(first.activated, timeout=3000):
            assert second.ask_running_instance() is True
    finally:
        first.close()


def test_when_the_kernel_cannot_say_the_socket_decides(db_path: Path, qtbot: Any) -> None:
    kernel = FakeKernel()
    kernel.fail_with = 1450
    lone = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
    assert lone.ask_running_instance() is False
    assert lone.listen()
    try:
        other = SingleInstance(db_path, mutex=NamedMutex("Local\\k", kernel.process()))
        with qtbot.waitSignal(lone.activated, timeout=3000):
            assert other.ask_running_instance() is True
    finally:
        lone.close()
