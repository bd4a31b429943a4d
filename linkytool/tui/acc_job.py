"""The ACC pane's side of the preview service (no Textual): the request from the pane's
fields, the UI's wording of settings and notices, and display data from the result.

Everything computed comes from :func:`linkytool.acc.service.run_preview`, the same
function the CLI calls; this module only builds its request and reshapes its result.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from linkytool.acc.errors import AccError, OptionRef
from linkytool.acc.labels import KEY_NAMES
from linkytool.acc.service import Notice, NoticeKind, PreviewRequest
from linkytool.textfmt import french_agree, french_count, french_datetime, french_number

#: Most points of the production / self-consumption sparklines for short periods.
CHART_POINTS = 120

#: Enedis's ACC convention number: ``ACC`` then 8 digits.
CONVENTION_PATTERN = re.compile(r"ACC\d{8}")

#: About this many progress updates while computing (at least a day of steps each).
PROGRESS_REPORTS = 40

#: French labels of the option values shown with the results (value -> label).
KEY_LABELS = KEY_NAMES
STATIC_EXCESS_LABELS = {
    "surplus": "au surplus collectif",
    "redistribute": "redistribuée aux autres consommateurs",
}
GAPS_LABELS = {
    "error": "erreur",
    "zero": "comptés 0 W",
    "default-key": "0 W et clé par défaut sur ces pas",
}

#: How the pane names each setting in hints (field label; value labels below).
FIELD_WORDS: dict[str, str] = {
    "consumers": "le champ « Courbes des consommateurs »",
    "producers": "le champ « Courbes des producteurs »",
    "coefficients": "le champ « Coefficients »",
    "perimeter": "le champ « Entrées/sorties »",
    "calendar": "le champ « Calendrier postes »",
    "key": "« Clé de répartition »",
    "gaps": "« Pas manquants »",
    "replace": "« Remplacer » (question posée par « Démo »)",
}
VALUE_LABELS: dict[str, dict[str, str]] = {"key": KEY_LABELS, "gaps": GAPS_LABELS}
#: Settings the pane does not offer: the command line has them.
COMMAND_LINE_ONLY: dict[str, str] = {
    "timestamps": "--timestamps",
    "period": "--from/--to",
    "step": "--step",
}


def ui_word(option: OptionRef) -> str:
    """The pane's wording of a setting named in a hint."""
    if option.name in COMMAND_LINE_ONLY:
        flag = COMMAND_LINE_ONLY[option.name]
        value = f" {option.value}" if option.value else ""
        return f"le réglage {flag}{value} (ligne de commande « linkytool acc run » seulement)"
    field = FIELD_WORDS.get(option.name, option.name)
    if option.value is None:
        return field
    label = VALUE_LABELS.get(option.name, {}).get(option.value, option.value)
    return f"{field} : {label}"


def error_hint(error: BaseException) -> str | None:
    """An ACC error's hint worded for the pane (None: use the generic description)."""
    if isinstance(error, AccError) and error.options:
        return error.render_hint(ui_word)
    return None


def check_convention(text: str) -> str | None:
    """``acc00000112`` -> ``ACC00000112``; "" stays ""; anything else -> None (invalid)."""
    number = text.strip().upper()
    if not number:
        return ""
    return number if CONVENTION_PATTERN.fullmatch(number) else None


def build_request(
    files: dict[str, Path | None],
    *,
    key: str,
    static_excess: str,
    gaps: str,
    convention: str,
    outdir: Path | None,
) -> PreviewRequest:
    """The service request from the pane's fields (``files``: consumers, producers,
    coefficients, perimeter, calendar; the first two required)."""
    from linkytool.acc import GapPolicy, KeyKind, LoadOptions, StaticExcess

    consumers, producers = files.get("consumers"), files.get("producers")
    assert consumers is not None and producers is not None
    return PreviewRequest(
        consumers=(consumers,),
        producers=(producers,),
        coefficients=files.get("coefficients"),
        perimeter=files.get("perimeter"),
        calendar=files.get("calendar"),
        load=LoadOptions(
            key=KeyKind(key), static_excess=StaticExcess(static_excess), gaps=GapPolicy(gaps)
        ),
        outdir=outdir,
        convention=convention or None,
        progress_reports=PROGRESS_REPORTS,
    )


def options_lines(options: dict[str, Any]) -> list[str]:
    """French one-line descriptions of the options applied, for the results view."""
    key = str(options.get("key"))
    lines = [f"Clé : {KEY_LABELS.get(key, key)}"]
    excess = options.get("static_excess")
    if excess:
        lines.append(
            f"Part non absorbable (clé statique) : {STATIC_EXCESS_LABELS.get(excess, excess)}"
        )
    gaps = str(options.get("gaps"))
    lines.append(f"Pas manquants : {GAPS_LABELS.get(gaps, gaps)}")
    lines.append(f"Convention : {options.get('convention')}")
    for name, label in (
        ("coefficients", "Coefficients"),
        ("perimeter", "Périmètre"),
        ("calendar", "Calendrier"),
    ):
        value = options.get(name)
        if value:
            lines.append(f"{label} : {Path(value).name}")
    return lines


def notice_lines(notices: tuple[Notice, ...]) -> list[str]:
    """The pane's French wording of what the user should know about the run."""
    lines: list[str] = []
    for notice in notices:
        data = notice.data
        if notice.kind is NoticeKind.DEFAULT_KEY_STEPS:
            lines.append(
                f"{data['steps']} pas sans coefficient : clé par défaut (voir report.json)."
            )
        elif notice.kind is NoticeKind.GAP_DEFAULT_STEPS:
            steps = data["steps"]
            lines.append(
                f"{steps} pas {french_agree(steps, 'incomplet calculé', 'incomplets calculés')} "
                "avec la clé par défaut."
            )
        elif notice.kind is NoticeKind.GAPS_FILLED:
            missing = data["missing_steps"]
            first, last = data["first"], data["last"]
            span = first if first == last else f"du {first} au {last}"
            lines.append(
                f"{french_count(missing, 'pas manquant', 'pas manquants')} pour "
                f"{data['prm']} ({span}), à 0 W."
            )
        elif notice.kind is NoticeKind.OUTSIDE_PERIMETER:
            lines.append(
                f"{data['steps']} pas de {data['prm']} hors de sa période de participation."
            )
        elif notice.kind is NoticeKind.WITHOUT_COEFFICIENT:
            count = french_count(len(data["prms"]), "consommateur", "consommateurs")
            lines.append(f"{count} sans coefficient statique (0 %).")
        elif notice.kind is NoticeKind.WITHOUT_COEFFICIENT_STEPS:
            steps = data["steps"]
            missing = french_count(
                steps, "coefficient dynamique manquant", "coefficients dynamiques manquants"
            )
            lines.append(
                f"{missing} ({french_count(data['consumers'], 'consommateur', 'consommateurs')})"
                f" : {french_agree(steps, 'compté', 'comptés')} 0 % (premier : {data['prm']} "
                f"le {data['first']})."
            )
        elif notice.kind is NoticeKind.PRODUCER_WITHOUT_COEFFICIENT_STEPS:
            producers = french_count(data["producers"], "producteur", "producteurs")
            lines.append(
                f"{french_count(data['steps'], 'pas', 'pas')} sans coefficient pour "
                f"{producers} : production au surplus (premier : {data['prm']} le "
                f"{data['first']})."
            )
        elif notice.kind is NoticeKind.CURVES_SKIPPED:
            lines.append(f"curves.csv non écrit ({french_number(data['rows'], ',d')} lignes).")
        elif notice.kind is NoticeKind.NOTE:
            lines.append(str(data["text"]))
    return lines


def demo_replace_question(count: int) -> str:
    """The pane's question when the demo would replace ``count`` files of the user."""
    if count > 1:
        return (
            "Remplacer ces fichiers par ceux de la démonstration ? Sinon rien n'est écrit : "
            "déplacez-les, ou changez de dossier de travail."
        )
    return (
        "Remplacer ce fichier par celui de la démonstration ? Sinon rien n'est écrit : "
        "déplacez-le, ou changez de dossier de travail."
    )


def write_demo_inputs(
    directory: Path, key: str = "static", *, replace: bool = False
) -> dict[str, Path | str]:
    """Write the bundled demo operation's input files; return the pane's field values
    (:class:`~linkytool.acc.errors.DemoOverwriteError` when they would replace other
    files, unless ``replace``)."""
    from linkytool.acc import KeyKind
    from linkytool.acc import write_demo_inputs as write_inputs

    paths = write_inputs(directory, KeyKind(key), replace=replace)
    fields: dict[str, Path | str] = {name: path for name, path in paths.items()}
    fields["key"] = key
    return fields


def stale_results_line(computed_at: datetime) -> str:
    """The line above results kept on screen after a failed run."""
    return (
        f"Résultats du calcul précédent ({french_datetime(computed_at)}) : le dernier "
        "calcul a échoué."
    )


def _kwh(wh: float) -> str:
    """An energy as published (:attr:`AccResult.published`: whole Wh) [kWh], written as
    participants.csv writes it, with a decimal comma and grouped thousands."""
    return french_number(wh / 1000, ",.3f")


def shown_indicators(result: Any) -> dict[str, float | None]:
    """The indicators as the pane shows them: energies to 1 Wh, the sums of
    participants.csv's columns (production = self-consumption + surplus as printed),
    rates unchanged."""
    from linkytool.acc.rounding import published_indicators

    return published_indicators(result)


#: Column titles of the consumers' and producers' tables (energies over the period [kWh]).
CONSUMER_COLUMNS = ("PRM consommateur", "Conso. kWh", "Autocons. kWh", "Complément kWh")
PRODUCER_COLUMNS = ("PRM producteur", "Injection kWh", "Autoprod. kWh", "Surplus kWh")


def consumer_rows(result: Any) -> list[tuple[str, ...]]:
    """One row per consumer: PRM, consumption, self-consumed, complement [kWh], the
    numbers of participants.csv (rounded once, :attr:`AccResult.published`)."""
    figures = result.published.participants
    used, own, complement = figures.consumption, figures.self_consumed, figures.complement
    return [
        (prm, _kwh(used[index]), _kwh(own[index]), _kwh(complement[index]))
        for index, prm in enumerate(result.operation.consumers)
    ]


def producer_rows(result: Any) -> list[tuple[str, ...]]:
    """One row per producer: PRM, injection, self-produced (shared), surplus [kWh], the
    numbers of participants.csv (rounded once, :attr:`AccResult.published`)."""
    figures = result.published.participants
    injected, shared, surplus = figures.injection, figures.self_produced, figures.surplus
    return [
        (prm, _kwh(injected[index]), _kwh(shared[index]), _kwh(surplus[index]))
        for index, prm in enumerate(result.operation.producers)
    ]


def chart_series(result: Any, points: int = CHART_POINTS) -> tuple[list[float], list[float], str]:
    """Production and self-consumed mean power per bucket [W], and a French caption."""
    from linkytool.acc.engine import OPERATION_QUANTITIES

    curves = result.operation_curves
    production = curves[:, OPERATION_QUANTITIES.index("production")]
    self_consumed = curves[:, OPERATION_QUANTITIES.index("self_consumed")]
    n = len(production)
    if n == 0:
        return [], [], "Aucun pas de temps."
    per_hour = max(1, round(3600 / result.grid.step_s))
    per_day = 24 * per_hour
    if n >= 7 * per_day:
        size, unit = per_day, "jour"
    else:
        size, unit = max(per_hour, -(-n // points)), "heure"
    buckets = range(0, n, size)
    prod = [float(production[i : i + size].mean()) for i in buckets]
    selfc = [float(self_consumed[i : i + size].mean()) for i in buckets]
    caption = (
        f"Production (jaune) dont autoconsommé (vert), moyenne par {unit} ; "
        f"pic {french_number(max(prod) / 1000, '.1f')} kW"
    )
    return prod, selfc, caption
