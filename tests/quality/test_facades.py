"""The façades' methods are real, typed and current.

``LocalHall`` and ``RemoteHall`` take their operations from the interface, the
declarations and the engine (``console.facades`` writes them into the source). A
reader who follows a call lands on a method with its arguments and its answer, not on
``__getattr__`` or a ``setattr`` at import; and the committed methods are what the
generator writes today.
"""

from __future__ import annotations

import inspect

import pytest

from console import facades
from console.local import LocalHall
from console.remote import RemoteHall
from console.service import HallService


@pytest.mark.parametrize(
    ("path", "write"),
    [(facades.LOCAL, facades.local_source), (facades.REMOTE, facades.remote_source)],
    ids=["local", "remote"],
)
def test_the_generated_methods_are_what_the_declarations_say(path, write):
    assert path.read_text(encoding="utf-8") == write(), (
        f"{path.name} is out of date: run `uv run python -m console.facades` and commit it"
    )


@pytest.mark.parametrize("facade", [LocalHall, RemoteHall])
def test_every_interface_method_is_written_in_the_source(facade):
    assert "__getattr__" not in vars(facade)
    for name, value in vars(HallService).items():
        if name.startswith("_") or not callable(value):
            continue
        method = getattr(facade, name)
        where = inspect.getsourcefile(method)
        assert where and where.endswith(".py"), f"{facade.__name__}.{name} has no source"
        assert name in inspect.getsource(method).split("(")[0], f"{facade.__name__}.{name}"
        assert inspect.signature(method).return_annotation is not inspect.Signature.empty, name
