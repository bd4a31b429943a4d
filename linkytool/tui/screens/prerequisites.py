"""Prérequis: the dossier's prerequisites as a live checklist, and its editable fields.

Rules, citations and messages come from ``linkytool.mes.check_prerequisites``; fields and
their French labels from the dossier model's metadata (:mod:`dossier_form`). Each edit is
validated by the dossier schema and saved atomically (``save_dossier``) after a short
pause in typing; an invalid value stays in the draft file until corrected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.render import measure
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static
from textual.widgets.data_table import ColumnKey

from linkytool.errors import describe_os_error
from linkytool.mes.errors import example_as_typed
from linkytool.textfmt import form_value, french_count
from linkytool.tui.dossier_store import DossierEdits
from linkytool.tui.errors import describe_error, guarded
from linkytool.tui.labels import enum_label
from linkytool.tui.messages import ChecklistUpdated, DossierChanged, WorkFailed
from linkytool.tui.screens.base import Pane
from linkytool.tui.screens.dossier_form import (
    FieldSpec,
    field_specs,
    get_value,
    raw_from_text,
)
from linkytool.tui.session import paris_now
from linkytool.tui.widgets.inorder_input import InOrderInput
from linkytool.tui.widgets.select import SafeSelect

STATUS_ICON = {"satisfied": "✔", "missing": "?", "not_satisfied": "✘"}
STATUS_STYLE = {"satisfied": "green", "missing": "yellow", "not_satisfied": "bold red"}
STATUS_TEXT = {
    "satisfied": "rempli",
    "missing": "information manquante",
    "not_satisfied": "non rempli",
}
#: A satisfied rule that still asks for a look (its warnings: an index to check...).
WARNED_ICON, WARNED_STYLE = "!", "yellow"
#: Pause in typing before a field is validated and saved [s].
SAVE_DELAY_S = 0.6


class FormInput(InOrderInput):
    """A dossier field: an ``Input`` whose typing does not lay the whole screen out again.

    Textual's ``Input`` sets its ``virtual_size`` (the text's width, for its horizontal
    scrolling) on every change of its value, and that reactive asks for a layout of the
    whole screen: on this pane, 190-odd widgets reflowed for each key typed (about half
    the CPU of a key). The field's size never depends on its text (``width: 1fr``, one
    line): its scrolling reads ``virtual_size`` directly, and a repaint is enough.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


# The form's rows, labels and column: sized by the layout, never scrolled. Textual lays
# the screen out again for every widget whose ``virtual_size`` (its scrollable size) a
# layout changed; these do not scroll, so that second layout of the 190-odd widgets
# changed nothing: a third of the layouts of the fuzz test of this screen (issue 14).


class FormRow(Horizontal):
    """A field's row (label and field)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


#: Width of a field's label, the column left of the fields [cells].
LABEL_WIDTH = 36


class LabelledRow(FormRow):
    """A field's row that draws the field's one-line label itself, left of the field.

    A label widget per row was 38 of the screen's 275 widgets: each mounted, styled,
    placed by every layout of the screen and woken by every wait of the UI tests (issue
    14). The row draws the same text in the same cells (its first ``LABEL_WIDTH``
    columns, in the row's colour: ``.form-row.labelled`` in app.tcss) and the field
    starts after them (its left margin). Only for a label that fits on one line (see
    :func:`fits_one_line`): a wrapped label's second line would be drawn as one run of
    cells where the label widget and its row drew two, so those rows keep the widget.
    """

    def __init__(self, label: str, field: Widget) -> None:
        super().__init__(field, classes="form-row labelled")
        self.label = Content(label)

    def render(self) -> Content:
        return self.label


def fits_one_line(label: str) -> bool:
    """Whether ``label`` fits on one line of its column."""
    return len(Content(label).wrap(LABEL_WIDTH)) == 1


class FormLabel(Label):
    """A section title, a field's label or the refusal under it; the dossier and summary
    lines above the checklist."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class FormCheckbox(Checkbox):
    """A yes/no field of the dossier."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class DetailText(Static):
    """The selected rule's full text, below the checklist."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class FormColumn(Vertical):
    """The form itself."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


def show_text(widget: Static, content: str | Text) -> None:
    """Show ``content`` in ``widget``, laying the screen out again only if its size changes.

    ``Static.update`` asks for a layout of the whole screen (the form's 190-odd widgets)
    each time; a text that is unchanged, or that takes the same width and lines, only
    needs the widget repainted. The size is compared as Textual's layout computes it
    (``Widget._get_box_model``: the content's width and height in the parent's
    scrollable region less the widget's gutter and margin), old text against new.
    """
    if widget.content == content:
        return
    parent = widget.parent
    if not widget.size or not widget.display or not isinstance(parent, Widget):
        widget.update(content)  # never laid out, or not shown: Textual decides
        return
    styles, viewport = widget.styles, widget.app.size
    container = parent.scrollable_content_region.size - styles.gutter.totals - styles.margin.totals

    def size() -> tuple[int, int]:
        width = widget.content_size.width  # an explicit width: not the text's
        if styles.width is None:
            width = container.width
        elif styles.width.is_auto:
            width = widget.get_content_width(container, viewport)
        height = widget.content_size.height  # an explicit height, or the space left
        if styles.height is not None and styles.height.is_auto:
            height = widget.get_content_height(container, viewport, width)
        return width, height

    before = size()
    widget.update(content, layout=False)  # the repaint clears the widget's size caches
    if size() != before:
        widget.refresh(layout=True)


def field_id(path: str) -> str:
    """Widget id of a dossier field: ``installation.inverters[1].make`` ->
    ``f-installation--inverters-1--make``."""
    return "f-" + path.replace("[", "-").replace("]", "").replace(".", "--")


class PrerequisitesPane(Pane):
    """The Prérequis tab."""

    TITLE = "Prérequis"
    HELP = """
Les conditions de l'auto-mise en service (mode opératoire Enedis), vérifiées en direct sur
le dossier : ✔ rempli, ? information manquante, ✘ non rempli. Choisissez une ligne pour
lire la phrase de la procédure dont elle vient et ce qu'il faut faire.
Dessous, les champs du dossier : chaque saisie est vérifiée (format, exemple de valeur
correcte) et enregistrée automatiquement dans le fichier, sans perte en cas de coupure.
« Vérifier » (v) relit le fichier : un dossier corrigé dans un éditeur s'affiche
sans relancer linkytool.
Sans dossier ouvert, saisissez un chemin puis Ouvrir, ou Créer pour partir du modèle.
Le premier onduleur se saisit ici ; les suivants dans le fichier TOML
(sections [[installation.inverters]]).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "recheck", "Vérifier"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.outcomes: list[Any] = []
        self.specs: dict[str, FieldSpec] = {}
        self.path_by_id: dict[str, str] = {}
        self._pending: dict[str, Any] = {}
        self._timer: Timer | None = None
        self._form_built = False
        #: Sections of the form still to mount (None: not being built).
        self._form_chunks: list[list[Widget]] | None = None
        self._updating = False
        #: Text each input last received from the dossier: any other value was typed.
        self._shown: dict[str, str] = {}
        #: Each field's widget and error line, by dossier path (a query per field walked
        #: the form's 190-odd widgets each time: 45 walks per refresh).
        self._fields: dict[str, Input | Checkbox | Select[str]] = {}
        self._errors: dict[str, Label] = {}
        #: The last load of the file failed (its error is the summary): the file is read
        #: again, not only checked, by « Vérifier » and when the screen is shown again.
        self._load_failed = False

    def compose_content(self) -> ComposeResult:
        yield FormLabel("", id="prereq-dossier")
        with Horizontal(id="prereq-open", classes="row hidden"):
            yield InOrderInput(
                value="dossier-mes.toml",
                placeholder="chemin du dossier .toml",
                id="prereq-path",
                classes="draft",
                compact=True,
            )
            yield Button("Ouvrir", id="prereq-open-btn", compact=True)
            yield Button("Créer", id="prereq-new-btn", compact=True)
        yield FormLabel("", id="prereq-summary")
        table: DataTable[Any] = DataTable(id="prereq-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield DetailText("", id="prereq-detail")
        yield FormLabel("Champs du dossier (enregistrés automatiquement)", classes="section")
        form = FormColumn(id="prereq-form")
        form.display = False  # shown once all its sections are mounted (build_form)
        yield form

    def on_built(self) -> None:
        table = self.query_one("#prereq-table", DataTable)
        table.add_column("", width=1, key="icon")
        table.add_column("Prérequis", key="title")
        table.add_column("Constat", key="detail")
        self.lt_app.restore_draft(self.query_one("#prereq-path", Input))
        # First paint now; the dossier is loaded and checked in a thread after it.
        self.call_after_refresh(self.reload)

    def on_shown(self) -> None:
        """Focus follows the work: the checklist (↑ ↓ walk its rows, the full text of the
        selected one below), or the path field when no dossier is open (Entrée opens or
        creates it). A checklist shown before is checked again, a file that could not be
        read is read again (see :meth:`recheck`)."""
        if self.outcomes or self._load_failed:
            # shown again: files may have changed meanwhile (a photo replaced on disk makes
            # its reading stale), so the checklist is evaluated again, in a thread
            self.recheck()
        focused = self.app.focused
        if not self.shown or (
            focused is not None and focused is not self and self in focused.ancestors
        ):
            return  # another screen, or the user is already working in this one
        if self.store.path is None or not self.store.path.exists():
            self.focus_here(self.query_one("#prereq-path", Input))
        else:
            self.focus_here(self.query_one("#prereq-table", DataTable))

    # -- dossier --------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the dossier (if any) and refresh everything."""
        path = self.store.path
        if path is not None and not path.exists():
            # `linkytool tui NEW.toml`: offer to create it from the template.
            self.query_one("#prereq-path", Input).value = str(path)
            self.query_one("#prereq-open").remove_class("hidden")
            self.query_one("#prereq-dossier", Label).update(
                Text(
                    "Ce dossier n'existe pas encore : « Créer » part du modèle commenté.",
                    style="yellow",
                )
            )
            self.call_after_refresh(self.on_shown)  # the path field is shown now
            return
        self.query_one("#prereq-open").set_class(path is not None, "hidden")
        if path is None:
            self.query_one("#prereq-dossier", Label).update(
                Text("Aucun dossier ouvert : ouvrez-en un ou créez-le.", style="yellow")
            )
            self.call_after_refresh(self.on_shown)  # the path field is shown now
            return
        self.query_one("#prereq-dossier", Label).update(Text(f"Dossier : {path}"))
        if not self.outcomes:
            self.query_one("#prereq-summary", Label).update(
                Text("Vérification des prérequis en cours…", style="italic")
            )
        self._load_and_check()

    @work(thread=True, exit_on_error=False, exclusive=True, group="prereq")
    def _load_and_check(self) -> None:
        """Load the dossier from its file and check it, off the UI thread."""
        try:
            self.store.load()
        except Exception as error:
            message, hint = describe_error(error)
            self.app.call_from_thread(self._show_load_error, message)
            self.post_message(WorkFailed("Dossier", message, hint))
            return
        if self._load_failed:
            # fixed on disk since: the other screens show the dossier again too
            self._load_failed = False
            self.post_message(DossierChanged("dossier relu"))
        self._check_now()

    def _show_load_error(self, message: str) -> None:
        self._load_failed = True
        self.query_one("#prereq-summary", Label).update(Text(message, style="bold red"))

    @guarded
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id not in ("prereq-open-btn", "prereq-new-btn"):
            return
        event.stop()
        self.open_or_create(create=event.button.id == "prereq-new-btn")

    def open_or_create(self, *, create: bool | None = None) -> None:
        """Open the dossier typed in the path field, or create it from the template.

        ``create=None`` (Entrée in the field) does the obvious thing: open the file when
        it exists, create it when it does not (a folder gets ``dossier-mes.toml``).
        """
        text = self.query_one("#prereq-path", Input).value.strip()
        if not text:
            self.notify("Saisissez le chemin du dossier (.toml).", severity="warning")
            return
        try:
            path = Path(text).expanduser().resolve()
            if path.is_dir():
                path = path / "dossier-mes.toml"
            exists = path.exists()
        except (OSError, RuntimeError, ValueError) as error:  # too long, NUL, a loop...
            reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
            self.notify(
                f"Chemin inutilisable ({reason}).\n→ Saisissez le chemin d'un fichier .toml.",
                title="Dossier",
                severity="warning",
            )
            return
        if create is None:
            create = not exists
        if create:
            self.store.create(path)
            self.notify(f"Dossier créé : {path}", title="Nouveau dossier")
        else:
            self.store.open(path)
        self.lt_app.remember(last_folder=str(path.parent))
        self.session.dossier_path = path
        self.post_message(DossierChanged("dossier ouvert"))
        self.reload()

    # -- checklist ------------------------------------------------------------------------

    def action_recheck(self) -> None:
        """« Vérifier »: the file is read again and checked (it may have been fixed, or
        broken, in an editor meanwhile)."""
        self.reload()

    def recheck(self) -> None:
        """Check the dossier again; a file that could not be read is read again first
        (it may have been fixed on disk meanwhile)."""
        if self._load_failed:
            self.reload()
        elif self.store.dossier is not None:
            self._check()

    @work(thread=True, exit_on_error=False, exclusive=True, group="prereq")
    def _check(self) -> None:
        self._check_now()

    def _check_now(self) -> None:
        """In a worker thread: evaluate the prerequisites and post them."""
        try:
            result = self.store.check()
        except Exception as error:
            message, hint = describe_error(error)
            self.post_message(WorkFailed("Prérequis", message, hint))
            return
        self.post_message(
            ChecklistUpdated(
                result.outcomes, result.attestation_blockers, result.attestation_changes
            )
        )

    def on_checklist_updated(self, message: ChecklistUpdated) -> None:
        before, self.outcomes = self.outcomes, list(message.outcomes)
        table = self.query_one("#prereq-table", DataTable)
        if [(o.id, o.title) for o in before] == [(o.id, o.title) for o in self.outcomes]:
            # The same rules: only the rows whose status or finding changed are redrawn
            # (a rebuilt table laid the screen out again, moved the cursor to the top
            # and back, and redrew the detail twice).
            for old, new in zip(before, self.outcomes, strict=True):
                if (old.status, old.detail, old.warnings) != (
                    new.status,
                    new.detail,
                    new.warnings,
                ):
                    self._update_row(table, new)
        else:
            self._fill_table(table)
        counts = {"satisfied": 0, "missing": 0, "not_satisfied": 0}
        for outcome in self.outcomes:
            status = str(outcome.status)
            counts[status] = counts.get(status, 0) + 1
        summary = Text()
        summary.append(french_count(counts["satisfied"], "rempli", "remplis"), style="green")
        missing = french_count(counts["missing"], "incomplet", "incomplets")
        summary.append(f", {missing}", style="yellow")
        refused = french_count(counts["not_satisfied"], "non rempli", "non remplis")
        summary.append(f", {refused}", style="bold red")
        if message.blockers:  # the attestation's own date: mes attest would refuse it
            summary.append(" — attestation impossible : ", style="bold red")
            summary.append(" ; ".join(message.blockers), style="bold red")
        elif counts["missing"] == counts["not_satisfied"] == 0:
            summary.append(" — le dossier permet l'attestation.", style="bold green")
        if message.changes:  # the CheckResult's own list: the Attestation screen details it
            changed = french_count(len(message.changes), "changement", "changements")
            summary.append(
                f" — attestation produite à refaire ({changed} depuis, voir Attestation)",
                style="bold yellow",
            )
        show_text(self.query_one("#prereq-summary", Label), summary)
        self._show_detail(table.cursor_row)
        if not self._form_built:
            self.call_after_refresh(self.build_form)  # after the checklist is on screen

    @staticmethod
    def _cells(outcome: Any) -> tuple[Text, Text, Text]:
        """The icon, title and finding of ``outcome``'s row."""
        status = str(outcome.status)
        style = STATUS_STYLE.get(status, "") if status != "satisfied" else ""
        icon = Text(STATUS_ICON.get(status, "·"), style=STATUS_STYLE.get(status, ""))
        if status == "satisfied" and outcome.warnings:
            icon = Text(WARNED_ICON, style=WARNED_STYLE)
        return (
            icon,
            Text(outcome.title, style=style),
            Text(outcome.detail, style="dim" if status == "satisfied" else style),
        )

    def _fill_table(self, table: DataTable[Any]) -> None:
        """All the rows again (the first checklist, or another set of rules)."""
        row = table.cursor_row
        table.clear()
        # The whole title is shown (the longest is short); the finding takes what is left
        # and the selected row's full text is below the table.
        widest = max((len(o.title) for o in self.outcomes), default=10)
        table.columns["title"].width = widest  # type: ignore[index]
        table.columns["title"].auto_width = False  # type: ignore[index]
        for outcome in self.outcomes:
            table.add_row(*self._cells(outcome), key=str(outcome.id))
        if self.outcomes:
            table.move_cursor(row=min(row, len(self.outcomes) - 1))

    def _update_row(self, table: DataTable[Any], outcome: Any) -> None:
        """Redraw one row in place. Its finding widens the column only when longer than
        the column, as a rebuilt table did (columns never narrow when rows are replaced),
        and only then is the table measured again."""
        key = str(outcome.id)
        icon, title, detail = self._cells(outcome)
        table.update_cell(key, "icon", icon)
        table.update_cell(key, "title", title)
        column = table.columns[ColumnKey("detail")]
        wider = measure(self.app.console, detail, 1) > column.content_width
        table.update_cell(key, "detail", detail, update_width=wider)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#prereq-detail", Static)
        if not 0 <= index < len(self.outcomes):
            if detail.content != "":
                detail.update("")
            return
        outcome = self.outcomes[index]
        status = str(outcome.status)
        text = Text()
        text.append(f"{outcome.title} — ", style="bold")
        text.append(f"{STATUS_TEXT.get(status, status)}\n", style=STATUS_STYLE.get(status, ""))
        text.append(f"{outcome.message}\n")
        if outcome.detail:
            text.append(f"Constat : {outcome.detail}\n")
        for warning in outcome.warnings:
            text.append(f"À vérifier : {warning}\n", style=WARNED_STYLE)
        if outcome.citation:
            text.append(f"Procédure : « {outcome.citation} »\n", style="italic")
        if outcome.action and status != "satisfied":
            text.append(f"À faire : {outcome.action}", style="bold")
        show_text(detail, text)

    # -- form -----------------------------------------------------------------------------

    def build_form(self) -> None:
        """Build the dossier's fields below the checklist, one section per frame: the
        checklist stays on screen and the keys keep answering while 40-odd rows mount.

        The form stays hidden until its last section is mounted, then is shown and
        filled: each section mounted into a shown form laid the whole screen out again
        (the checklist and every row mounted so far, twice: Textual lays out again the
        widgets whose size a layout set), 18 layouts of a growing screen per F4; hidden,
        a mount lays out only the checklist, and the form is laid out once (issue 14).
        """
        if self._form_built:
            self.refresh_form()
            return
        if self._form_chunks is not None:
            return  # being built
        from linkytool.mes.model import Dossier

        chunks: list[list[Widget]] = []
        section = None
        for spec in field_specs(Dossier):
            self.specs[spec.path] = spec
            self.path_by_id[field_id(spec.path)] = spec.path
            if spec.section != section:
                section = spec.section
                chunks.append([FormLabel(section, classes="form-section", markup=False)])
            chunks[-1].append(self._field_row(spec))
            error = FormLabel("", id=f"err-{field_id(spec.path)}", classes="field-error hidden")
            self._errors[spec.path] = error
            chunks[-1].append(error)
        self._form_chunks = chunks
        self._mount_next_section()

    def _mount_next_section(self) -> None:
        chunks = self._form_chunks
        if chunks is None:
            return
        if not chunks:
            self._form_chunks = None
            self._form_built = True
            form = self.query_one("#prereq-form", Vertical)
            form.display = True
            self._reserve_scrollbar(form)
            self.refresh_form()
            return
        self.query_one("#prereq-form", Vertical).mount_all(chunks.pop(0))
        self.call_after_refresh(self._mount_next_section)

    def _reserve_scrollbar(self, form: Widget) -> None:
        """Show the screen's scrollbar with the form when the form alone is taller than
        the screen, as the layout that shows the form would find.

        That layout would be made at the full width, then find the content taller than
        the screen, show the scrollbar and lay the whole form out again one column
        narrower (issue 14). Each shown row is a line at least, each section title two
        (its margin): when they outnumber the screen's lines, the scrollbar is certain.
        Otherwise Textual decides after the layout, as before.
        """
        lines = sum(
            2 if child.has_class("form-section") else 1 for child in form.children if child.display
        )
        if lines > self.content_region.height:
            self.show_vertical_scrollbar = True

    def _field_row(self, spec: FieldSpec) -> Widget:
        """The row of a field: a checkbox is its own row (it draws its label), another
        field is put beside its label."""
        wid = field_id(spec.path)
        widget: Input | Checkbox | Select[str]
        if spec.kind == "bool":
            # In the form itself, not in a row of its own: one widget less per checkbox,
            # drawn in the same cells (width auto, one line, left-aligned either way).
            widget = self._fields[spec.path] = FormCheckbox(spec.label, id=wid, compact=True)
            return widget
        if spec.kind == "enum":
            widget = SafeSelect[str](
                [(enum_label(choice), choice) for choice in spec.choices],
                prompt="(à choisir)",
                id=wid,
                compact=True,
            )
        else:
            example = example_as_typed(spec.example) if spec.example else ""
            placeholder = f"ex. {example}" if example else ""
            widget = FormInput(placeholder=placeholder, id=wid, compact=True)
            # Shown empty until the form is filled: text typed before that is the user's.
            self._shown[spec.path] = ""
        self._fields[spec.path] = widget
        if fits_one_line(spec.label):
            return LabelledRow(spec.label, widget)
        return FormRow(
            FormLabel(spec.label, classes="form-label", markup=False), widget, classes="form-row"
        )

    def refresh_form(self) -> None:
        """Show the dossier's current values (and restore invalid drafts)."""
        dossier = self.store.dossier
        if dossier is None or not self._form_built:
            return
        from linkytool.mes.schema import dossier_to_data

        data = dossier_to_data(dossier)
        self._updating = True
        try:
            for path, spec in self.specs.items():
                value = get_value(data, path)
                widget = self._fields[path]  # a value set equal to the shown one: no-op
                if isinstance(widget, Checkbox):
                    widget.value = bool(value)
                elif isinstance(widget, Select):
                    if value in spec.choices:
                        widget.value = value
                    else:
                        widget.clear()
                elif isinstance(widget, Input) and not widget.has_focus:
                    typed = widget.value != self._shown.get(path, widget.value)
                    if typed or path in self._pending:
                        continue  # typed (or pasted) and not saved yet: never overwritten
                    draft = self.lt_app.drafts.get(widget.id or "")
                    text = draft if draft is not None else form_value(value)
                    self._shown[path] = text
                    widget.value = text
        finally:
            self.call_after_refresh(self._end_update)

    def _end_update(self) -> None:
        self._updating = False

    def on_input_changed(self, event: Input.Changed) -> None:
        if not (event.input.id or "").startswith("f-"):
            return
        path = self.path_by_id[event.input.id or ""]
        if self._updating and event.value == self._shown.get(path):
            return  # the form showing the dossier's value, not the user typing
        if event.value == self._saved_text(path):
            self._pending.pop(path, None)  # shown from the dossier, or typed back
            self._accepted(path, event.value)
            return
        self._queue(path, event.value)

    def _accepted(self, path: str, text: str | None) -> None:
        """``path``'s field holds a saved value: no refusal under it, no draft of it
        (a refused typo kept as a draft would come back at the next refresh)."""
        self._errors[path].add_class("hidden")
        if text is not None:
            self._shown[path] = text  # the form may show it normalised
        self.lt_app.drafts.discard(field_id(path))

    def _saved_text(self, path: str) -> str | None:
        """The dossier's current value of ``path`` as shown in its field."""
        if self.store.dossier is None:
            return None
        value = self._saved_value(path)
        return form_value(getattr(value, "value", value))

    @guarded
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "prereq-path":
            event.stop()
            self.open_or_create()
            return
        if (event.input.id or "").startswith("f-"):
            self._queue(self.path_by_id[event.input.id or ""], event.value)
            self.flush_edits()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if (event.checkbox.id or "").startswith("f-") and not self._updating:
            path = self.path_by_id[event.checkbox.id or ""]
            if event.value != bool(self._saved_value(path)):
                self._queue(path, event.value)
                self.flush_edits()

    def on_select_changed(self, event: Select.Changed) -> None:
        if (event.select.id or "").startswith("f-") and not self._updating:
            value = str(event.value) if isinstance(event.value, str) else ""
            path = self.path_by_id[event.select.id or ""]
            if value != (self._saved_text(path) or ""):
                self._queue(path, value)
                self.flush_edits()

    def _saved_value(self, path: str) -> Any:
        return get_value(self.store.dossier, path) if self.store.dossier is not None else None

    def _queue(self, path: str, value: Any) -> None:
        self._pending[path] = value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY_S, self.flush_edits)

    def flush_edits(self) -> None:
        """Validate and save the pending edits (each through the dossier schema)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        pending, self._pending = self._pending, {}
        if not pending:
            return
        edits = DossierEdits(self.store)
        saved = []
        for path, value in pending.items():
            spec = self.specs[path]
            raw = raw_from_text(spec, value) if isinstance(value, str) else value
            try:
                # "In the future" is judged on the real clock (the demo's runs on its day).
                issues = edits.set_field(path, raw, now=paris_now())
            except Exception as error:
                message, hint = describe_error(error)
                self.post_message(WorkFailed("Enregistrement du dossier", message, hint))
                self.lt_app.drafts.set(field_id(path), str(value))
                continue
            error_label = self._errors[path]
            if issues:
                # shown again with the same text (the same bad value): nothing to redraw
                show_text(error_label, "↳ " + "; ".join(issue.explanation for issue in issues))
                error_label.remove_class("hidden")
                if isinstance(value, str):
                    self.lt_app.drafts.set(field_id(path), value)
            else:
                self._accepted(path, value if isinstance(value, str) else None)
                self.lt_app.drafts.set("_saved", path)
                saved.append(path)
        if saved:
            self.post_message(DossierChanged(f"{len(saved)} champ(s) modifié(s)"))

    def dossier_changed(self, reason: str) -> None:
        if self.store.dossier is not None:
            self.build_form() if not self._form_built else self.refresh_form()
            self.recheck()

    def on_unmount(self) -> None:
        self.flush_edits()
