"""`linkytool tui` and `linkytool serve` command lines (without opening a terminal)."""

from __future__ import annotations

from pathlib import Path
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


#: Runs the entry point with a fake ``make_app`` (records its arguments, or raises the
#: error named by argv[1]) and reports whether click was imported.
ENTRY = """
import json, sys
import linkytool.tui.app as app_module
from linkytool.errors import OutputError

calls = []

class FakeSession:
    workdir = "/tmp/demo"
    temporary_workdir = True
    def close(self):
        pass

class FakeApp:
    return_code = 0
    session = FakeSession()
    def run(self):
        pass

def fake_make_app(dossier, **options):
    if FAIL:
        message = "Dossier de démonstration impossible à créer."
        raise OutputError(message, hint="Libérez de la place.")
    calls.append({"dossier": dossier, **options})
    return FakeApp()

FAIL = sys.argv[1] == "fail"
app_module.make_app = fake_make_app
sys.argv = ["linkytool", *sys.argv[2:]]
from linkytool.__main__ import main
try:
    main()
finally:
    print(json.dumps({"calls": calls, "click": "click" in sys.modules}))
"""


def _entry(*argv: str, fail: bool = False) -> tuple[dict[str, Any], str, int]:
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", ENTRY, "fail" if fail else "ok", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report, result.stderr, result.returncode


@pytest.mark.parametrize("argv", [[], ["--demo"]])
def test_bare_linkytool_opens_the_ui_as_click_would_without_importing_it(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, stderr, code = _entry(*argv)
    assert code == 0, stderr
    assert not fast["click"], "bare linkytool and --demo must not import click"
    through_click, _, code = _entry("tui", *argv)  # the same UI through click
    assert code == 0
    assert through_click["click"]
    assert fast["calls"] == through_click["calls"]
    assert len(fast["calls"]) == 1 and fast["calls"][0]["demo"] == (argv == ["--demo"])
    if argv:
        assert "Démonstration terminée" in stderr


def test_a_session_that_cannot_start_is_reported_the_same_both_ways() -> None:
    _, fast_err, fast_code = _entry("--demo", fail=True)
    _, slow_err, slow_code = _entry("tui", "--demo", fail=True)
    assert fast_code == slow_code == 6  # ExitCode.OUTPUT
    assert fast_err == slow_err
    assert fast_err.startswith("Erreur : Dossier de démonstration impossible à créer.")
    assert "Traceback" not in fast_err


@pytest.mark.parametrize("command", ["tui", "serve"])
def test_a_dossier_in_a_folder_that_does_not_exist_is_refused(tmp_path: Path, command: str) -> None:
    """QA: `linkytool tui /nonexistent/dir` made /nonexistent/ at the root (the draft
    file) and opened empty screens; `serve` started."""
    from click.testing import CliRunner

    from linkytool.cli import cli

    missing = tmp_path / "faute-de-frappe"
    result = CliRunner().invoke(cli, [command, str(missing / "dossier.toml")])
    assert result.exit_code == 2, result.output
    assert f"le dossier {missing} n'existe pas" in result.stderr
    assert not missing.exists()
