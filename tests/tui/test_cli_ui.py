"""`linkytool tui` and `linkytool serve` command lines (without opening a terminal)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from linkytool.cli import cli


def test_serve_binds_localhost_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, Any] = {}

    class FakeServer:
        def __init__(self, command: str, host: str, port: int, title: str) -> None:
            calls.update(command=command, host=host, port=port, title=title)

        def serve(self) -> None:
            calls["served"] = True

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert calls["host"] == "localhost" and calls["port"] == 8000 and calls["served"]
    assert calls["command"].endswith("-m linkytool tui --demo")
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert calls["host"] == "0.0.0.0" and calls["port"] == 9000


def test_bare_linkytool_and_demo_flag_open_the_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[dict[str, Any]] = []

    class FakeApp:
        return_code = 0
        session = type(
            "FakeSession",
            (),
            {"workdir": "/tmp/demo", "temporary_workdir": True, "close": lambda self: None},
        )()

        def run(self) -> None:
            pass

    def fake_make_app(dossier: Any, **options: Any) -> FakeApp:
        opened.append({"dossier": dossier, **options})
        return FakeApp()

    monkeypatch.setattr("linkytool.tui.app.make_app", fake_make_app)
    assert CliRunner().invoke(cli, []).exit_code == 0
    assert CliRunner().invoke(cli, ["--demo"]).exit_code == 0
    assert [o["demo"] for o in opened] == [False, True]
    assert all(o["reopen_last"] for o in opened)  # bare linkytool reopens the last dossier
