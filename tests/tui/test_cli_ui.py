"""`linkytool tui` and `linkytool serve` command lines (without opening a terminal)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from linkytool.cli import cli


def test_serve_binds_localhost_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    # the guarded server itself is tested for real in tests/web/test_serve_*.py
    from linkytool.cli.serve_app import GuardedServer

    calls: dict[str, Any] = {}

    def fake_serve(self: GuardedServer, debug: bool = False) -> None:
        calls.update(argv=self.argv, host=self.host, port=self.port, url=self.url)

    monkeypatch.setattr(GuardedServer, "serve", fake_serve)
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert calls["host"] == "localhost" and calls["port"] == 8000
    assert calls["argv"][-3:] == ["linkytool", "tui", "--demo"]
    assert calls["url"].startswith("http://127.0.0.1:8000/") and calls["url"] in result.output
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert calls["host"] == "0.0.0.0" and calls["port"] == 9000
    assert "joignable depuis le réseau" in result.output


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
    # where the Photos screen's phone intake listens: the default route's address by default
    assert [(o["intake_bind"], o["intake_port"]) for o in opened] == [(None, 0), (None, 0)]
    args = ["tui", "--intake-bind", "10.42.0.1", "--intake-port", "8765"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert (opened[-1]["intake_bind"], opened[-1]["intake_port"]) == ("10.42.0.1", 8765)
