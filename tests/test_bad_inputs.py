"""Bad input through the real CLI (`tic`, `mes`, `acc`): a French message on stderr, the
documented exit code, no traceback, nothing on stdout, and never a silently wrong number.

Exit codes (README): 0 ok, 1 answer is no, 2 usage, 3 bad input, 6 output, 130 Ctrl+C.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from linkytool.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DEMO_DOSSIER = ROOT / "samples" / "dossier" / "demo.toml"
DEMO_PHOTO = ROOT / "samples" / "photos" / "demo-prm.jpg"
TIC_SAMPLE = ROOT / "samples" / "tic" / "demo-standard-consumer.bin"
PARIS = ZoneInfo("Europe/Paris")
CONSUMERS = ("30002345679001", "30002345679002")
PRODUCER = "30002345678901"


def _curve(prms: tuple[str, ...], day: datetime, watts: Callable[[int], int]) -> str:
    """Long-format curve (``prm,timestamp,w``) of one local day, offsets included."""
    start = day.replace(tzinfo=PARIS)
    end = (day + timedelta(days=1)).replace(tzinfo=PARIS)
    lines = ["prm,timestamp,w"]
    for prm in prms:
        moment, index = start.astimezone(ZoneInfo("UTC")), 0
        while moment < end:
            lines.append(f"{prm},{moment.astimezone(PARIS).isoformat()},{watts(index)}")
            moment += timedelta(minutes=15)
            index += 1
    return "\n".join(lines) + "\n"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding good and bad inputs for every command."""
    monkeypatch.chdir(tmp_path)
    day = datetime(2026, 3, 2)
    (tmp_path / "c.csv").write_text(_curve(CONSUMERS, day, lambda i: 400 + i))
    (tmp_path / "p.csv").write_text(_curve((PRODUCER,), day, lambda i: 900 if 30 < i < 70 else 0))
    (tmp_path / "k.csv").write_text(f"prm,coefficient\n{CONSUMERS[0]},60\n{CONSUMERS[1]},40\n")
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x\n")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "garbage").write_bytes(random.Random(7).randbytes(20_000))
    (tmp_path / "hugeline").write_text("A" * 300_000 + "\n")
    (tmp_path / "bad.toml").write_text('[producer\nname = "x\n')
    shutil.copy(DEMO_DOSSIER, tmp_path / "d.toml")
    return tmp_path


def _run(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def _assert_clean_failure(result: Result, code: int, phrase: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert phrase in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert result.stdout == ""


ACC = ("acc", "run", "-q", "-o", "out")

#: (id, command line, exit code, French phrase expected on stderr)
CASES: list[tuple[str, tuple[str, ...], int, str]] = [
    # tic decode
    ("tic-missing", ("tic", "decode", "missing.bin"), 3, "introuvable"),
    ("tic-directory", ("tic", "decode", "adir"), 3, "est un dossier"),
    ("tic-empty", ("tic", "decode", "empty"), 3, "Aucune trame TIC"),
    ("tic-garbage", ("tic", "decode", "garbage"), 3, "Aucun groupe valide"),
    ("tic-huge-line", ("tic", "decode", "hugeline"), 3, "Aucun groupe valide"),
    ("tic-toml", ("tic", "decode", "bad.toml"), 3, "Aucun groupe valide"),
    ("tic-forced-wrong-mode", ("tic", "decode", str(TIC_SAMPLE), "--mode", "historique"), 3,
     "essayez --mode auto"),
    ("tic-record-dir", ("tic", "read", "--port", "x", "--record", "adir"), 6, "est un dossier"),
    ("tic-link-dir", ("tic", "simulate", "--link", "adir", "--frames", "1", "--fast"), 6,
     "est un dossier"),
    ("tic-link-proc", ("tic", "simulate", "--link", "/proc/linkytool-tic", "--frames", "1",
                       "--fast"), 6, "Impossible de créer le lien"),
    ("tic-link-over-file", ("tic", "simulate", "--link", "d.toml", "--frames", "1", "--fast"), 6,
     "n'est pas un lien"),
    ("tic-prm-13", ("tic", "simulate", "--prm", "3000234567890", "--stdout", "--frames", "1"), 2,
     "14 chiffres"),
    # mes
    ("mes-missing", ("mes", "check", "missing.toml"), 3, "fichier introuvable"),
    ("mes-directory", ("mes", "check", "adir"), 3, "est un dossier"),
    ("mes-empty", ("mes", "check", "empty"), 3, "section [producer] manquante"),
    ("mes-garbage", ("mes", "check", "garbage"), 3, "n'est pas un texte UTF-8"),
    ("mes-toml-syntax", ("mes", "check", "bad.toml"), 3, "crochet ] attendu"),
    ("mes-new-dir", ("mes", "new", "adir"), 6, "il faut un nom de fichier"),
    ("mes-new-proc", ("mes", "new", "/proc/linkytool.toml"), 6, "Impossible d'écrire"),
    ("mes-new-under-file", ("mes", "new", "afile/d.toml"), 6, "pas un dossier"),
    ("mes-attest-to-dir", ("mes", "attest", "d.toml", "-o", "adir"), 6, "nom de fichier"),
    ("mes-import-tic-dir", ("mes", "import-tic", "d.toml", "adir"), 3, "est un dossier"),
    ("mes-import-tic-empty", ("mes", "import-tic", "d.toml", "empty"), 3, "Aucune trame"),
    # any file is no capture: the cross-check asked for was silently « non vérifiable » (QA)
    ("ocr-tic-not-a-capture", ("ocr", str(DEMO_PHOTO), "--tic", str(DEMO_PHOTO)), 3,
     "n'est pas une capture TIC"),
    ("mes-pack-to-file", ("mes", "pack", str(DEMO_DOSSIER), "-o", "afile"), 6,
     "est un fichier, pas un dossier"),
    ("mes-pack-to-tar", ("mes", "pack", str(DEMO_DOSSIER), "-o", "envoi.tar"), 6,
     "pas en .tar"),
    ("mes-signature-garbage", ("mes", "attest", str(DEMO_DOSSIER), "-o", "a.pdf",
                               "--signature", "garbage"), 3, "n'est pas une image PNG ou JPEG"),
    ("mes-signature-empty", ("mes", "attest", str(DEMO_DOSSIER), "-o", "a.pdf",
                             "--installer-signature", "empty"), 3, "est vide"),
    ("mes-verify-garbage", ("mes", "verify", "garbage"), 3, "garbage : Le fichier n'est pas"),
    ("mes-verify-toml", ("mes", "verify", "d.toml"), 3, "pas un PDF lisible"),
    # refused by the option itself now (linkytool.cli.french), before the dossier is read
    ("mes-test-nan", ("mes", "test", "d.toml", "--injecting", "nan"), 2, "pas un nombre fini"),
    # the value as typed, not with its comma made a point (« 1.2.5 »)
    ("mes-test-two-commas", ("mes", "test", "d.toml", "--delay", "1,2.5"), 2,
     "« 1,2.5 » n'est pas un nombre"),
    ("mes-test-negative", ("mes", "test", "d.toml", "--injecting", "-5"), 3, "strictement"),
    ("mes-index-decimal", ("mes", "reading", "d.toml", "injection_index", "12.5"), 3,
     "ni virgule, ni point"),
    ("mes-index-negative", ("mes", "reading", "d.toml", "injection_index", "--", "-5"), 3,
     "ni signe"),
    ("mes-reading-13", ("mes", "reading", "d.toml", "prm", "3000234567890"), 3, "14 chiffres"),
    # acc
    ("acc-missing", ("acc", "run", "--consumers", "x.csv", "--producers", "p.csv", "-o", "o"), 3,
     "fichier introuvable"),
    ("acc-directory", (*ACC, "--consumers", "adir", "--producers", "p.csv"), 3, "est un dossier"),
    ("acc-empty", (*ACC, "--consumers", "empty", "--producers", "p.csv"), 3, "vide"),
    ("acc-garbage", (*ACC, "--consumers", "garbage", "--producers", "p.csv"), 3,
     "pas un fichier texte CSV"),
    ("acc-huge-line", (*ACC, "--consumers", "hugeline", "--producers", "p.csv"), 3,
     "un champ dépasse"),
    ("acc-toml-calendar", (*ACC, "--consumers", "c.csv", "--producers", "p.csv", "--calendar",
                           "bad.toml"), 3, "colonnes manquantes"),
    ("acc-out-is-file", ("acc", "run", "--consumers", "c.csv", "--producers", "p.csv", "-o",
                         "afile"), 6, "il faut un dossier"),
    ("acc-out-under-file", ("acc", "run", "--consumers", "c.csv", "--producers", "p.csv", "-o",
                            "afile/out"), 6, "pas un dossier"),
    ("acc-out-proc", ("acc", "demo", "-q", "-o", "/proc/linkytool-acc"), 6, "Impossible d'écrire"),
    ("acc-period-reversed", (*ACC, "--consumers", "c.csv", "--producers", "p.csv", "--from",
                             "2026-03-02", "--to", "2026-03-01"), 3, "après son dernier jour"),
    ("acc-same-file-twice", (*ACC, "--consumers", "c.csv", "--consumers", "c.csv",
                             "--producers", "p.csv"), 3, "deux fichiers"),
    ("acc-same-file-both-roles", (*ACC, "--consumers", "c.csv", "--producers", "c.csv"), 3,
     "consommateurs et comme producteurs"),
    ("acc-static-no-file", (*ACC, "--consumers", "c.csv", "--producers", "p.csv", "--key",
                            "static"), 3, "demande un fichier de coefficients"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_reported_in_french(
    work: Path, args: tuple[str, ...], code: int, phrase: str
) -> None:
    before = (work / "d.toml").read_bytes()
    _assert_clean_failure(_run(*args), code, phrase)
    assert (work / "d.toml").read_bytes() == before  # a refused change writes nothing
    assert not (work / "a.pdf").exists()


#: Bad ACC files: (id, file name, content, option, exit code, phrase).
ACC_FILES: list[tuple[str, str, str, str, int, str]] = [
    ("coefficients-over-100", "k2.csv",
     f"prm,coefficient\n{CONSUMERS[0]},60.0001\n{CONSUMERS[1]},40\n", "--coefficients", 3,
     "100,0001 %"),
    ("coefficients-13-digits", "k2.csv",
     f"prm,coefficient\n3000234567900,60\n{CONSUMERS[1]},40\n", "--coefficients", 3,
     "zéros en tête"),
    ("coefficients-duplicated", "k2.csv",
     f"prm,coefficient\n{CONSUMERS[0]},60\n{CONSUMERS[0]},60\n", "--coefficients", 3,
     "déjà donné ligne 2"),
    ("curve-13-digits", "c2.csv", "prm,timestamp,w\n3000234567900,2026-03-02T00:00:00+01:00,5\n",
     "--consumers", 3, "14 chiffres"),
    ("curve-negative", "c2.csv", f"prm,timestamp,w\n{CONSUMERS[0]},2026-03-02T00:00:00+01:00,-5\n",
     "--consumers", 3, "négative"),
    ("curve-nan", "c2.csv", f"prm,timestamp,w\n{CONSUMERS[0]},2026-03-02T00:00:00+01:00,nan\n",
     "--consumers", 3, "nombre fini"),
    ("curve-no-offset", "c2.csv", f"prm,timestamp,w\n{CONSUMERS[0]},2026-03-02T00:00:00,5\n",
     "--consumers", 3, "sans décalage horaire"),
    ("curve-lone-cr", "c2.csv", "prm,timestamp,w\n1,2,3\rx\n", "--consumers", 3,
     "retour chariot isolé"),
    # a decimal comma in a comma-separated file: 1020,7 was read 1020, silently (QA)
    ("curve-decimal-comma", "c2.csv",
     f"prm,timestamp,w\n{CONSUMERS[0]},2026-03-02T00:00:00+01:00,1020,7\n", "--consumers", 3,
     "ligne 2 : 4 champs au lieu de 3"),
    ("curve-wide-extra", "c2.csv",
     f"timestamp,{CONSUMERS[0]}\n2026-03-02T00:00:00+01:00,1020,7\n", "--consumers", 3,
     "3 champs au lieu de 2"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "option", "code", "phrase"),
    [c[1:] for c in ACC_FILES],
    ids=[c[0] for c in ACC_FILES],
)
def test_bad_acc_file_is_reported_in_french(  # noqa: PLR0917 - one argument per column
    work: Path, name: str, content: str, option: str, code: int, phrase: str
) -> None:
    (work / name).write_text(content)
    args = {"--consumers": "c.csv", "--producers": "p.csv", option: name}
    line = [*ACC, "--key", "static"] + [a for pair in args.items() for a in pair]
    if option != "--coefficients":
        line += ["--coefficients", "k.csv"]
    _assert_clean_failure(_run(*line), code, phrase)


def _indicators(
    *extra: str, consumers: str = "c.csv", coefficients: str = "k.csv"
) -> list[dict[str, Any]]:
    result = _run(
        *ACC,
        "--consumers",
        consumers,
        "--producers",
        "p.csv",
        "--key",
        "static",
        "--coefficients",
        coefficients,
        "--format",
        "json",
        *extra,
    )
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.mark.parametrize(
    "variant",
    [
        "semicolon-decimal-comma",
        "latin-1",
        "utf-8-bom-crlf",
        "utf-16-tab",
        "duplicated-row",
        "percent-sign",
    ],
)
def test_acc_file_variants_give_the_same_numbers(work: Path, variant: str) -> None:
    """French spreadsheets' exports and identical duplicated rows change no number."""
    reference = _indicators()
    curve = (work / "c.csv").read_text()
    keys = (work / "k.csv").read_text()
    if variant == "semicolon-decimal-comma":
        # every value 0.5 W lower, written "399,5": a parser that cut at the comma or read
        # it as a thousands separator would give another total
        lines = curve.replace(",", ";").splitlines()
        for number, line in enumerate(lines[1:], start=1):
            head, watts = line.rsplit(";", 1)
            lines[number] = f"{head};{int(watts) - 1},5"
        curve = "\n".join(lines) + "\n"
        keys = keys.replace(",", ";").replace(";60\n", ";60,0\n")
        (work / "c2.csv").write_text(curve)
        (work / "k2.csv").write_text(keys)
    elif variant == "latin-1":
        (work / "c2.csv").write_bytes(curve.replace("prm,", "prm,", 1).encode("latin-1"))
        (work / "k2.csv").write_bytes(
            keys.replace("coefficient", "coefficient,remarque")
            .replace("60\n", "60,élève\n")
            .replace("40\n", "40,café\n")
            .encode("latin-1")
        )
    elif variant == "utf-8-bom-crlf":
        (work / "c2.csv").write_bytes(b"\xef\xbb\xbf" + curve.replace("\n", "\r\n").encode())
        (work / "k2.csv").write_bytes(b"\xef\xbb\xbf" + keys.replace("\n", "\r\n").encode())
    elif variant == "utf-16-tab":  # Excel's "texte Unicode (*.txt)"
        (work / "c2.csv").write_bytes(curve.replace(",", "\t").encode("utf-16"))
        (work / "k2.csv").write_bytes(keys.replace(",", "\t").encode("utf-16"))
    elif variant == "percent-sign":
        (work / "c2.csv").write_text(curve)
        (work / "k2.csv").write_text(keys.replace("60\n", "60 %\n").replace("40\n", "40%\n"))
    else:
        lines = curve.splitlines()
        (work / "c2.csv").write_text("\n".join([*lines, lines[10], lines[1]]) + "\n")
        (work / "k2.csv").write_text(keys)
    result = _indicators(consumers="c2.csv", coefficients="k2.csv")
    if variant != "semicolon-decimal-comma":
        assert result == reference
        return
    values = {row["indicator"]: row["value"] for row in result}
    expected = {row["indicator"]: row["value"] for row in reference}
    # 2 consumers x 96 quarter-hours x 0.5 W x 0.25 h = 0.024 kWh less
    assert values["consumption_kwh"] == pytest.approx(expected["consumption_kwh"] - 0.024)
    assert values["production_kwh"] == expected["production_kwh"]


def test_acc_coefficients_typed_as_fractions_are_flagged(work: Path) -> None:
    """0.6 and 0.4 are valid percentages but almost surely meant 60 % and 40 %."""
    (work / "k2.csv").write_text(f"prm,coefficient\n{CONSUMERS[0]},0.6\n{CONSUMERS[1]},0.4\n")
    line = ("acc", "run", "-o", "out", "--consumers", "c.csv", "--producers", "p.csv")
    result = _run(*line, "--key", "static", "--coefficients", "k2.csv")
    assert result.exit_code == 0, result.stderr
    assert "pas en fraction (0,6)" in result.stderr and "Traceback" not in result.stderr


def test_acc_outputs_never_replace_an_input(work: Path) -> None:
    """-o . with a curve named curves.csv: refused before anything is written."""
    shutil.copy(work / "c.csv", work / "curves.csv")
    before = (work / "curves.csv").read_bytes()
    line = ("acc", "run", "-q", "-o", ".", "--consumers", "curves.csv", "--producers", "p.csv")
    _assert_clean_failure(_run(*line), 6, "est un fichier d'entrée")
    assert (work / "curves.csv").read_bytes() == before
    assert not (work / "participants.csv").exists()


def test_acc_never_replaces_a_users_file_named_as_a_result(work: Path) -> None:
    """QA: `-o mine` with the user's own allocations.csv in it: replaced, exit 0. A folder
    of a previous run of ours (its report.json says linkytool) is still replaced."""
    mine = work / "mine"
    mine.mkdir()
    (mine / "allocations.csv").write_text("important\n")
    line = ("acc", "run", "-q", "--consumers", "c.csv", "--producers", "p.csv", "-o")
    _assert_clean_failure(_run(*line, "mine"), 6, "ne viennent pas d'un calcul linkytool")
    assert (mine / "allocations.csv").read_text() == "important\n"
    assert _run(*line, "ours").exit_code == 0
    assert _run(*line, "ours").exit_code == 0  # our own previous run: replaced


def test_acc_conflicting_duplicate_is_refused(work: Path) -> None:
    lines = (work / "c.csv").read_text().splitlines()
    prm, moment, _ = lines[10].split(",")
    (work / "c2.csv").write_text("\n".join([*lines, f"{prm},{moment},99999"]) + "\n")
    line = (*ACC, "--consumers", "c2.csv", "--producers", "p.csv")
    _assert_clean_failure(_run(*line), 3, "deux fois avec des valeurs différentes")


@pytest.mark.parametrize(
    ("day", "steps"), [(datetime(2026, 3, 29), 92), (datetime(2026, 10, 25), 100)]
)
def test_acc_daylight_saving_days_count_every_quarter_hour(
    work: Path, day: datetime, steps: int
) -> None:
    (work / "c2.csv").write_text(_curve(CONSUMERS, day, lambda i: 1000))
    (work / "p2.csv").write_text(_curve((PRODUCER,), day, lambda i: 0))
    result = _run(*ACC, "--consumers", "c2.csv", "--producers", "p2.csv", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["indicator"]: row["value"] for row in json.loads(result.stdout)}
    # two consumers at 1 kW over `steps` quarter-hours [kWh]
    assert rows["consumption_kwh"] == pytest.approx(2 * steps * 0.25)


# -- unreadable files (we run as root, so PermissionError is simulated) ------------------


def test_unreadable_input_file_is_bad_input(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.access", lambda *args, **kwargs: False)
    _assert_clean_failure(_run("mes", "check", "d.toml"), 3, "lecture refusée")
    _assert_clean_failure(
        _run(*ACC, "--consumers", "c.csv", "--producers", "p.csv"), 3, "lecture refusée"
    )


def _deny(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    original = getattr(Path, method)

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self.name in {"d.toml", "c.csv", "capture.bin"}:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, denied)


def test_permission_error_while_reading_is_bad_input(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(TIC_SAMPLE, work / "capture.bin")
    _deny(monkeypatch, "read_bytes")
    _deny(monkeypatch, "open")
    original_open = os.open

    def os_open_denied(path: object, *args: object, **kwargs: object) -> int:
        # linkytool.fileio reads user files with os.open (bounded, never blocks on a FIFO)
        if os.path.basename(os.fsdecode(path)) in {"d.toml", "c.csv", "capture.bin"}:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
        return original_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", os_open_denied)
    _assert_clean_failure(_run("mes", "check", "d.toml"), 3, "permission refusée")
    _assert_clean_failure(
        _run(*ACC, "--consumers", "c.csv", "--producers", "p.csv"), 3, "permission refusée"
    )
    _assert_clean_failure(_run("tic", "decode", "capture.bin"), 3, "refusée")


def test_ctrl_c_exits_130_quietly(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("linkytool.tic.capture.iter_capture", interrupted)
    _assert_clean_failure(_run("tic", "decode", str(TIC_SAMPLE)), 130, "Interrompu")
    monkeypatch.setattr("linkytool.acc.run_operation", interrupted)
    line = (*ACC, "--consumers", "c.csv", "--producers", "p.csv")
    _assert_clean_failure(_run(*line), 130, "Interrompu")


def test_stdin_decodes_like_the_file(work: Path) -> None:
    from_file = _run("tic", "decode", str(TIC_SAMPLE), "--format", "jsonl")
    from_stdin = _run("tic", "decode", "-", "--format", "jsonl", stdin=TIC_SAMPLE.read_bytes())
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout and from_file.stdout
    _assert_clean_failure(_run("tic", "decode", "-", stdin=b""), 3, "entrée standard")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("mes", "check", "d.toml", "--format", "json"),
        ("acc", "run", "-q", "-o", "out", "--consumers", "c.csv", "--producers", "p.csv"),
        ("tic", "simulate", "--stdout", "--frames", "2", "--fast"),
    ],
    ids=["mes-check", "acc-run", "tic-simulate"],
)
def test_full_disk_on_stdout_is_exit_6(work: Path, args: tuple[str, ...]) -> None:
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "linkytool", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 6, result.stderr
    assert "Écriture impossible sur la sortie standard" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("variant", ["utf-8-bom", "crlf", "bom-crlf"])
def test_text_dump_saved_on_windows_decodes_the_same(
    work: Path, samples_real: Path, variant: str
) -> None:
    """A dump re-saved by Notepad (BOM, CR LF) loses no group (CR LF was taken for raw
    bytes: 3 groups rejected and frames lost; the BOM spoilt the first group)."""
    original = samples_real / "tic" / "teleinfo-test-historique-hc.txt"
    data = original.read_bytes()
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    (work / "dump.txt").write_bytes(data)
    expected = _run("tic", "decode", str(original), "--format", "jsonl")
    result = _run("tic", "decode", "dump.txt", "--format", "jsonl")
    assert result.exit_code == expected.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout


@pytest.mark.parametrize("target", ["dossier/demo.toml", "photos/demo-prm.jpg"])
def test_attestation_never_replaces_a_dossier_file(work: Path, target: str) -> None:
    """-o onto the dossier or one of its photos: refused before the PDF is written."""
    shutil.copytree(DEMO_DOSSIER.parent, work / "dossier")
    shutil.copytree(ROOT / "samples" / "photos", work / "photos")
    before = (work / target).read_bytes()
    result = _run("mes", "attest", "dossier/demo.toml", "-o", target, "--draft")
    _assert_clean_failure(result, 6, "est un fichier du dossier")
    assert (work / target).read_bytes() == before
