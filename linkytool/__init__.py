"""linkytool: field tool for French Linky electricity meters.

The subpackages ``tic``, ``ocr``, ``mes`` and ``acc`` are the sans-I/O core (plus thin
I/O adapters); ``tui`` is the Textual shell and ``cli`` the command line. The core never
imports Textual (enforced by ``tests/test_architecture.py``).
"""

__version__ = "0.1.0"
