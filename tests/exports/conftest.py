"""The ``sample`` fixture: handles with awkward values (see ``export_samples``)."""

from __future__ import annotations

import pytest
from export_samples import Sample, build_sample

from mixtimer_gui.domain.clock import FakeClock
from mixtimer_gui.services import Services


@pytest.fixture
def sample(services: Services, fake_clock: FakeClock) -> Sample:
    return build_sample(services, fake_clock)
