"""Numbers a user reads go through ``linkytool.textfmt`` (decimal comma, ``1,8 %``).

A format spec with decimals inside an f-string (``{rate:.1%}``, ``{s:.1f}``) printed
"taux d'erreur 1.8%" and "détecté en 0.0 s" in French messages; a local
``.replace(".", ",")`` is a copy of textfmt that drifts. Only files that write data for
programs (CSV numbers keep a decimal point) and developer tools may format numbers
themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "linkytool"

#: Files that write numbers for programs, not for people, with the reason.
DATA_WRITERS = {
    "acc/outputs.py": "CSV energies [kWh] with a decimal point, as the file contract says",
    "textfmt.py": "the French formatter itself",
    "acc/demo.py": "the demo's CSV inputs (a decimal point, as the file contract says)",
}

DECIMAL_SPEC = re.compile(r"\{[^{}]*:(?:,?\.[1-9][f%]|,?(?:\.[0-9]+)?g)\}")
LOCAL_COMMA = re.compile(r"""replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)""")


def test_user_text_formats_decimals_through_textfmt() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in DATA_WRITERS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DECIMAL_SPEC.search(line) or LOCAL_COMMA.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "use linkytool.textfmt.french_number/french_percent:\n" + "\n".join(
        offenders
    )


def test_the_guard_sees_what_it_forbids() -> None:
    assert DECIMAL_SPEC.search('f"(taux {rate:.1%})"')
    assert DECIMAL_SPEC.search('f"détecté en {self.elapsed_s:.1f} s"')
    assert not DECIMAL_SPEC.search('f"{count:.0f} s"')
    assert DECIMAL_SPEC.search('f"plus de {timeout_s:g} s"')  # 0.5 -> « 0.5 s » (QA)
    assert DECIMAL_SPEC.search('f"{share:.4g} %"')
    assert LOCAL_COMMA.search('f"{v:.1f}".replace(".", ",")')
