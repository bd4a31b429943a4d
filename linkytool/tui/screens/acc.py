"""ACC: load an operation's files, choose the key, run with progress, see the results.

The preview is :func:`linkytool.acc.service.run_preview`, the function ``linkytool acc
run`` calls too: it runs in a thread worker and reports progress through its callback
(posted as :class:`AccProgress`). The pane shows the indicators, the options applied and
what to know about the run, a per-participant table and the production /
self-consumption curves.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Label, ProgressBar, Select, Static

from linkytool.acc.labels import INDICATOR_LABELS, KEY_NAMES, key_title
from linkytool.textfmt import french_number, french_percent
from linkytool.tui.errors import describe_error, guarded
from linkytool.tui.messages import AccDemoReady, AccFinished, AccProgress, WorkFailed
from linkytool.tui.screens.base import Pane
from linkytool.tui.widgets.chart import BarChart
from linkytool.tui.widgets.inorder_input import InOrderInput
from linkytool.tui.widgets.picker import PathField
from linkytool.tui.widgets.select import SafeSelect

KEYS: list[tuple[str, str]] = [(key_title(key), key) for key in KEY_NAMES]

STATIC_EXCESS: list[tuple[str, str]] = [
    ("Au surplus collectif", "surplus"),
    ("Redistribuée aux autres", "redistribute"),
]

GAPS: list[tuple[str, str]] = [
    ("Erreur (fichier et ligne)", "error"),
    ("Comptés 0 W", "zero"),
    ("0 W et clé par défaut", "default-key"),
]

#: Select id, French label, choices, default value: the options that change the result.
OPTION_SELECTS: tuple[tuple[str, str, list[tuple[str, str]], str], ...] = (
    ("acc-key", "Clé de répartition", KEYS, "default"),
    ("acc-static-excess", "Part non absorbable", STATIC_EXCESS, "surplus"),
    ("acc-gaps", "Pas manquants", GAPS, "error"),
)

FILE_FIELDS: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("acc-consumers", "Courbes des consommateurs (CSV)", (".csv",)),
    ("acc-producers", "Courbes des producteurs (CSV)", (".csv",)),
    ("acc-coefficients", "Coefficients (CSV, clé ≠ défaut)", (".csv",)),
    ("acc-perimeter", "Entrées/sorties (CSV, facultatif)", (".csv",)),
    ("acc-calendar", "Calendrier postes (CSV, facultatif)", (".csv",)),
    ("acc-outdir", "Dossier de sortie", None),
)

#: The indicators shown, with the command line's and the workbooks' wording.
INDICATORS = INDICATOR_LABELS


def indicator_text(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return french_percent(value)
    return f"{french_number(value, ',.3f')} {unit}"


class AccPane(Pane):
    """The ACC tab."""

    TITLE = "ACC"
    HELP = """
Aperçu de la répartition d'une opération d'autoconsommation collective, pas de
15 minutes par pas de 15 minutes, comme Enedis la calculera. Chargez les courbes de
charge des consommateurs et des producteurs (CSV, format décrit dans la documentation),
choisissez la clé de répartition (par défaut, statique, dynamique simple ou complète)
et ses coefficients, puis « Lancer ». Clé statique : la part qu'un consommateur ne peut
absorber va au surplus collectif ou est redistribuée aux autres consommateurs. Pas
manquants dans les courbes : erreur, comptés 0 W, ou 0 W avec la clé par défaut sur ces
pas. Le numéro de convention (ACC suivi de 8 chiffres) nomme la synthèse mensuelle.
Les options appliquées sont rappelées avec les résultats. La barre de progression suit
le calcul ; ensuite s'affichent les indicateurs (autoconsommation, autoproduction,
couverture), le tableau par participant et la courbe production / autoconsommé.
« Démo » prépare l'opération de démonstration fournie dans acc-demo/ : des fichiers
différents déjà présents n'y sont remplacés qu'après votre accord. Les fichiers de
résultat vont dans le dossier de sortie. Si un calcul échoue, les résultats affichés
restent ceux du calcul précédent, signalés comme tels.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", "Lancer"),
        Binding("ctrl+d", "demo", "Démo"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result: Any = None
        #: When the shown result was computed (Paris time of the session's clock).
        self.result_time: datetime | None = None
        #: The last failed run's French reason (and what to do), shown with the results.
        self.last_failure = ""
        self.running = False
        self.notices: tuple[Any, ...] = ()

    def compose_content(self) -> ComposeResult:
        for wid, label, extensions in FILE_FIELDS:
            yield PathField(wid, label, extensions, lambda: self.session.workdir)
        for wid, label, choices, default in OPTION_SELECTS:
            with Horizontal(classes="row"):
                yield Label(label, classes="form-label")
                yield SafeSelect[str](
                    choices, value=default, allow_blank=False, id=wid, compact=True
                )
        with Horizontal(classes="row"):
            yield Label("N° de convention", classes="form-label")
            yield InOrderInput(
                placeholder="ACC00000112 (facultatif)",
                id="acc-convention",
                classes="draft grow",
                compact=True,
            )
        with Horizontal(classes="row buttons"):
            yield Button("Lancer", id="acc-run", variant="primary", compact=True)
            yield Button("Démo", id="acc-demo", compact=True)
        yield ProgressBar(id="acc-progress", show_eta=True, classes="hidden")
        yield Static("", id="acc-indicators")
        yield Static("", id="acc-options")
        yield Label("", id="acc-chart-label")
        yield BarChart(id="acc-chart", classes="hidden")
        # Two narrow tables rather than one with empty cells: they fit in 80 columns.
        consumers: DataTable[Any] = DataTable(id="acc-table", zebra_stripes=True)
        yield consumers
        producers: DataTable[Any] = DataTable(id="acc-producers-table", zebra_stripes=True)
        yield producers

    def on_built(self) -> None:
        for wid, _, _ in FILE_FIELDS:
            self.lt_app.restore_draft(self.query_one(f"#{wid}", Input))
        self.lt_app.restore_draft(self.query_one("#acc-convention", Input))
        for wid, _, choices, _ in OPTION_SELECTS:
            saved = self.lt_app.drafts.get(wid)
            if saved is not None and saved in {value for _, value in choices}:
                self.query_one(f"#{wid}", Select).value = saved
        self._sync_static_excess()
        outdir = self.query_one("#acc-outdir", Input)
        if not outdir.value:
            outdir.value = str(self.session.workdir / "acc-resultats")

    def on_select_changed(self, event: Select.Changed) -> None:
        """Remember the chosen options (draft file) and enable what applies to the key."""
        wid = event.select.id or ""
        if wid in {select[0] for select in OPTION_SELECTS} and isinstance(event.value, str):
            self.lt_app.drafts.set(wid, event.value)
        if wid == "acc-key":
            self._sync_static_excess()

    def _sync_static_excess(self) -> None:
        key = self.query_one("#acc-key", Select).value
        self.query_one("#acc-static-excess", Select).disabled = key != "static"

    def settings(self) -> dict[str, str] | None:
        """The chosen key, static excess, gap policy and convention, or None (explained)."""
        from linkytool.tui.acc_job import check_convention

        text = self.query_one("#acc-convention", Input).value
        convention = check_convention(text)
        if convention is None:
            self.notify(
                f"Numéro de convention « {text.strip()} » invalide : ACC suivi de 8 chiffres, "
                "par exemple ACC00000112 (ou laissez vide).",
                title="Convention",
                severity="warning",
            )
            return None
        return {
            "key": str(self.query_one("#acc-key", Select).value),
            "static_excess": str(self.query_one("#acc-static-excess", Select).value),
            "gaps": str(self.query_one("#acc-gaps", Select).value),
            "convention": convention,
        }

    @guarded
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "acc-run":
            event.stop()
            self.action_run()
        elif button == "acc-demo":
            event.stop()
            self.action_demo()

    def _path(self, wid: str) -> Path | None:
        text = self.query_one(f"#{wid}", Input).value.strip()
        return Path(text).expanduser() if text else None

    def action_demo(self) -> None:
        key = str(self.query_one("#acc-key", Select).value)
        self._prepare_demo(self.session.workdir / "acc-demo", "static" if key == "default" else key)

    @work(thread=True, exit_on_error=False, exclusive=True, group="acc")
    def _prepare_demo(self, directory: Path, key: str, replace: bool = False) -> None:
        from linkytool.acc.errors import DemoOverwriteError

        try:
            from linkytool.tui.acc_job import write_demo_inputs

            files = write_demo_inputs(directory, key, replace=replace)
        except DemoOverwriteError as conflict:
            self.app.call_from_thread(self._ask_replace, conflict, key)
            return
        except Exception as error:
            message, hint = describe_error(error)
            self.post_message(WorkFailed("ACC", message, hint))
            return
        self.post_message(AccDemoReady(files))

    def _ask_replace(self, conflict: Any, key: str) -> None:
        """The demo would replace the user's files: ask; nothing is written on « no »."""
        from linkytool.tui.acc_job import demo_replace_question
        from linkytool.tui.widgets.confirm import ConfirmReplace

        def answered(yes: bool | None) -> None:
            if yes:
                self._prepare_demo(conflict.folder, key, replace=True)
            else:
                self.notify(
                    f"Démonstration non préparée : les fichiers de {conflict.folder} sont intacts.",
                    title="ACC",
                    severity="warning",
                )

        question = demo_replace_question(len(conflict.paths))
        self.app.push_screen(ConfirmReplace(conflict.message, question), answered)

    def on_acc_demo_ready(self, message: AccDemoReady) -> None:
        files = message.files
        for wid, _, _ in FILE_FIELDS:
            if wid != "acc-outdir":
                self.query_one(f"#{wid}", Input).value = ""
        for key, value in files.items():
            if key == "key":
                self.query_one("#acc-key", Select).value = str(value)
            elif self.query(f"#acc-{key}"):
                self.query_one(f"#acc-{key}", Input).value = str(value)
        self.notify("Opération de démonstration prête : Lancer (Ctrl+R).", title="ACC")

    def action_run(self) -> None:
        if self.running:
            self.notify("Un calcul est déjà en cours.", severity="warning")
            return
        consumers, producers = self._path("acc-consumers"), self._path("acc-producers")
        if consumers is None or producers is None:
            self.notify(
                "Choisissez les fichiers de courbes des consommateurs et des producteurs "
                "(ou « Démo »).",
                title="Fichiers manquants",
                severity="warning",
            )
            return
        settings = self.settings()
        if settings is None:
            return
        self.running = True
        bar = self.query_one("#acc-progress", ProgressBar)
        bar.remove_class("hidden")
        bar.update(total=None, progress=0)
        files = {
            name: self._path(f"acc-{name}")
            for name in ("consumers", "producers", "coefficients", "perimeter", "calendar")
        }
        from linkytool.tui.acc_job import build_request

        self._run(build_request(files, outdir=self._path("acc-outdir"), **settings))

    @work(thread=True, exit_on_error=False, exclusive=True, group="acc")
    def _run(self, request: Any) -> None:
        try:
            from linkytool.acc.service import run_preview

            def report(done: int, total: int) -> None:
                self.post_message(AccProgress(done, total))

            preview = run_preview(request, computing=report)
        except Exception as error:
            from linkytool.tui.acc_job import error_hint

            message, hint = describe_error(error)
            self.post_message(WorkFailed("ACC", message, error_hint(error) or hint))
            self.post_message(AccFinished(None, None))
            return
        self.notices = preview.notices
        self.post_message(AccFinished(preview.result, preview.outdir, dict(preview.options)))

    def on_acc_progress(self, message: AccProgress) -> None:
        self.query_one("#acc-progress", ProgressBar).update(
            total=message.total, progress=message.done
        )

    def on_work_failed(self, message: WorkFailed) -> None:
        """Kept for the results area (it still bubbles up to the app's notification,
        which goes away after a few seconds)."""
        if message.source == "ACC":
            self.last_failure = message.message + (f"\n→ {message.hint}" if message.hint else "")

    def on_acc_finished(self, message: AccFinished) -> None:
        self.running = False
        if message.result is None:
            self.query_one("#acc-progress", ProgressBar).update(total=100, progress=0)
            if self.result is not None:  # never shown as if it were this run's
                self.show_indicators(self.result, failed_since=self.result_time)
            elif self.last_failure:
                self.query_one("#acc-indicators", Static).update(
                    Text(f"Le calcul a échoué : {self.last_failure}", style="bold red")
                )
            return
        self.last_failure = ""
        self.result = message.result
        self.result_time = self.session.clock()
        self.show_result(message.result)
        self.show_options(message.options)
        if message.outdir is not None:
            self.notify(f"Résultats écrits dans {message.outdir}", title="ACC terminé")

    def show_options(self, options: dict[str, Any]) -> None:
        """Recall the options the shown result was computed with."""
        from linkytool.tui.acc_job import notice_lines, options_lines

        text = Text("Options appliquées\n", style="bold")
        for line in options_lines(options) if options else []:
            text.append(f"  {line}\n")
        notes = notice_lines(self.notices)
        if notes:
            text.append("À savoir\n", style="bold")
            for line in notes:
                text.append(f"  {line}\n")
        self.query_one("#acc-options", Static).update(text)

    def show_indicators(self, result: Any, *, failed_since: datetime | None = None) -> None:
        """The indicators of ``result``; after a failed run (``failed_since``: when the
        shown result was computed), headed by a line saying they are the previous run's."""
        from linkytool.tui.acc_job import shown_indicators, stale_results_line

        indicators = shown_indicators(result)
        text = Text()
        if failed_since is not None:
            text.append(stale_results_line(failed_since) + "\n", style="bold reverse")
            if self.last_failure:
                text.append(f"Cause : {self.last_failure}\n", style="bold red")
        for name, label, unit in INDICATORS:
            text.append(f"{label} : ", style="bold")
            text.append(indicator_text(indicators.get(name), unit) + "\n")
        self.query_one("#acc-indicators", Static).update(text)

    def show_result(self, result: Any) -> None:
        from linkytool.tui.acc_job import (
            CONSUMER_COLUMNS,
            PRODUCER_COLUMNS,
            chart_series,
            consumer_rows,
            producer_rows,
        )

        self.show_indicators(result)
        production, self_consumed, label = chart_series(result)
        self.query_one("#acc-chart-label", Label).update(label)
        chart = self.query_one("#acc-chart", BarChart)
        chart.remove_class("hidden")
        chart.set_series(production, self_consumed)
        for wid, columns, rows in (
            ("#acc-table", CONSUMER_COLUMNS, consumer_rows(result)),
            ("#acc-producers-table", PRODUCER_COLUMNS, producer_rows(result)),
        ):
            table = self.query_one(wid, DataTable)
            table.clear(columns=True)
            table.add_columns(*columns)
            for row in rows:
                # Energies right-aligned so their digits line up.
                table.add_row(row[0], *(Text(cell, justify="right") for cell in row[1:]))
