"""A keyboard-first file picker: a path field plus a directory tree filtered by extension.

Type or paste a path and press Entrée, or move in the tree and press Entrée on a file.
Échap cancels. The screen returns the chosen :class:`~pathlib.Path` (or ``None``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label

from linkytool.tui.errors import SafetyNet
from linkytool.tui.widgets.inorder_input import InOrderInput

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff")


class FilteredTree(DirectoryTree):
    """A directory tree showing folders and the files with the given extensions."""

    def __init__(self, path: Path, extensions: tuple[str, ...] | None, **kwargs: object) -> None:
        super().__init__(path, **kwargs)  # type: ignore[arg-type]
        self.extensions = extensions

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                is_dir = path.is_dir()
            except OSError:
                continue
            if is_dir or self.extensions is None or path.suffix.lower() in self.extensions:
                shown.append(path)
        return shown


class FilePicker(SafetyNet, ModalScreen[Path | None]):
    """Choose a file (or, with ``directory=True``, a directory)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler"),
        Binding("backspace", "parent", "Dossier parent"),
    ]
    DEFAULT_CSS = """
    FilePicker { align: center middle; }
    FilePicker > Vertical {
        width: 90%; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    FilePicker FilteredTree { height: 1fr; }
    FilePicker Horizontal { height: auto; }
    """

    def __init__(
        self,
        title: str,
        start: Path,
        *,
        extensions: tuple[str, ...] | None = IMAGE_EXTENSIONS,
        directory: bool = False,
        initial: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.start = start if start.is_dir() else Path.cwd()
        self.extensions = extensions
        self.directory = directory
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"[b]{self.title_text}[/b]\nEntrée : choisir · Retour arrière : dossier "
                "parent · Échap : annuler"
            )
            yield InOrderInput(
                value=self.initial,
                placeholder="Chemin du fichier (ou choisissez dans l'arborescence)",
                id="picker-path",
                compact=True,
            )
            yield FilteredTree(self.start, self.extensions, id="picker-tree")
            with Horizontal():
                yield Button("Choisir", id="picker-ok", variant="primary", compact=True)
                yield Button("Annuler", id="picker-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#picker-tree").focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        if not self.directory:
            self.dismiss(event.path)

    def on_directory_tree_directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self.query_one("#picker-path", Input).value = str(event.path)

    def on_tree_node_highlighted(self, event: DirectoryTree.NodeHighlighted[object]) -> None:
        data = event.node.data
        path = getattr(data, "path", None)
        if isinstance(path, Path):
            self.query_one("#picker-path", Input).value = str(path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "picker-ok":
            self._accept(self.query_one("#picker-path", Input).value)
        else:
            self.dismiss(None)

    def _accept(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.notify("Saisissez un chemin ou choisissez un fichier.", severity="warning")
            return
        try:
            path = Path(text).expanduser()
            is_dir, is_file = path.is_dir(), path.is_file()
        except (OSError, RuntimeError, ValueError) as error:  # too long, NUL, a loop...
            self.notify(
                f"Chemin inutilisable ({error.__class__.__name__}) : saisissez-en un autre.",
                title="Fichier",
                severity="warning",
            )
            return
        if is_dir and not self.directory:
            self._browse(path)
            return
        if self.directory or is_file:
            self.dismiss(path)
        else:
            self.notify(
                f"{path} n'est pas un fichier.", title="Fichier introuvable", severity="warning"
            )

    def action_parent(self) -> None:
        tree = self.query_one("#picker-tree", FilteredTree)
        self._browse(Path(tree.path).resolve().parent)

    def _browse(self, directory: Path) -> None:
        tree = self.query_one("#picker-tree", FilteredTree)
        tree.path = directory
        self.query_one("#picker-path", Input).value = str(directory)
        tree.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


def shorten_path(path: str, width: int) -> str:
    """``path`` in at most ``width`` cells, keeping its end: the file name and as many of
    its folders as fit after « … » (« …/juin/consommateurs.csv »); a name alone too long
    keeps its last characters."""
    if cell_len(path) <= width:
        return path
    parts = path.split("/")
    shown = parts[-1]
    for part in reversed(parts[:-1]):
        longer = f"{part}/{shown}"
        if cell_len(f"…/{longer}") > width:
            break
        shown = longer
    if cell_len(f"…/{shown}") <= width:
        return f"…/{shown}"
    return "…" + shown[len(shown) - max(width - 1, 0) :]


class PathInput(InOrderInput):
    """A path field: left, a path too long for the field shows its end (see
    :func:`shorten_path`), so two files of one long folder do not look alike at 80
    columns; focused, the whole path is edited as usual."""

    @property
    def _value(self) -> Text:
        if self.has_focus or not self.value:
            return super()._value
        width = max(self.scrollable_content_region.width - 1, 1)
        return Text(shorten_path(self.value, width), no_wrap=True, overflow="ignore", end="")

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        self._reframe()

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        self._reframe()

    def _on_resize(self, event: events.Resize) -> None:  # Textual calls Input's too
        self._reframe()

    def _reframe(self) -> None:
        """Size the scroll area to what is shown (whole or shortened) and, left, show its
        start."""
        self.virtual_size = Size(self.content_width, 1)
        if not self.has_focus:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()


class PathField(SafetyNet, Horizontal):
    """A labelled path input with a "…" button opening the :class:`FilePicker`.

    The input keeps the id given (so drafts and tests find it); ``extensions`` None
    picks a directory. ``start`` says where the picker opens.
    """

    DEFAULT_CSS = "PathField { height: auto; width: 100%; }"

    def __init__(
        self,
        field_id: str,
        label: str,
        extensions: tuple[str, ...] | None,
        start: Callable[[], Path],
    ) -> None:
        super().__init__(classes="row")
        self.field_id = field_id
        self.label = label
        self.extensions = extensions
        self.start = start

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="form-label")
        yield PathInput(id=self.field_id, classes="draft grow", compact=True)
        yield Button("…", id=f"{self.field_id}-pick", compact=True, classes="pick")

    @property
    def input(self) -> Input:
        return self.query_one(f"#{self.field_id}", Input)

    @property
    def path(self) -> Path | None:
        """The typed path (``~`` expanded), or None when empty."""
        text = self.input.value.strip()
        return Path(text).expanduser() if text else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.input.value = str(path)

        picker = FilePicker(
            self.label,
            self.start(),
            extensions=self.extensions,
            directory=self.extensions is None,
            initial=self.input.value,
        )
        self.app.push_screen(picker, chosen)
