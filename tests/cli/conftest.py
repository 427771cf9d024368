"""Command-line fixtures."""

import pytest

from tests.cli.test_cli_end_to_end import INIT, run


@pytest.fixture(scope="module")
def desk_home(tmp_path_factory):
    """A DESK_APP_HOME with a desk set up by `desk-app init`, shared by one test module."""
    path = tmp_path_factory.mktemp("desk-home")
    run(path, *INIT)
    return path
