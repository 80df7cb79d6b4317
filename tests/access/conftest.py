"""The world the access matrix asks about, seeded once through the running system."""

import pytest_asyncio

from cbkit.testing import RunningSystem
from tests.access.world import World, seed_world


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(running_system: RunningSystem) -> World:
    return await seed_world(running_system)
