"""The page of ``linkytool serve``: French, and nothing fetched from the internet.

textual-serve's own page has English buttons (« Start », « Session ended. »,
« Restart ») and loads its font from fonts.googleapis.com: on a field laptop offline next
to a meter, the terminal then falls back to another font after a timeout. This page keeps
what textual-serve's script (``static/js/textual.js``) relies on (``#terminal`` and its
``data-`` attributes, the ``-first-byte`` and ``-closed`` classes of ``body``, a global
``refresh()``) and takes the Roboto Mono font from the files textual-serve ships in its
static folder, served by the same server.
"""

from __future__ import annotations

import html

#: The font files of textual-serve's static folder (``font-family`` named as textual.js asks).
FONT_FILES = (
    ("normal", "fonts/RobotoMono-VariableFont_wght.ttf"),
    ("italic", "fonts/RobotoMono-Italic-VariableFont_wght.ttf"),
)

_FONT_FACE = """@font-face {{
  font-family: "Roboto Mono"; font-style: {style}; font-weight: 100 700;
  src: url("{url}") format("truetype");
}}"""

_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="{static}css/xterm.css">
<script src="{static}js/textual.js"></script>
<style>
{fonts}
body {{ background: #0c181f; margin: 0; }}
.dialog-container {{
  position: absolute; width: 100vw; height: 100vh; display: flex; align-items: center;
  justify-content: center; z-index: 10;
}}
.shade {{
  position: absolute; width: 100%; height: 100%; background: #0c181f;
  background-image: url("{static}images/background.png");
}}
.intro {{
  width: 640px; min-height: 240px; font-size: 16px; z-index: 20;
  font-family: "Roboto Mono", menlo, monospace; text-align: center;
  color: rgba(255, 255, 255, 0.95); background-color: #12232d; display: flex;
  flex-direction: column; align-items: center; justify-content: center; margin: 32px;
}}
body.-first-byte .intro-dialog, body.-first-byte .intro-dialog .shade {{
  opacity: 0; transition: opacity 0.3s ease-out; display: none;
}}
body .textual-terminal {{ opacity: 0; transition: opacity 0.3s ease-out; }}
body.-first-byte .textual-terminal {{ opacity: 1; transition: opacity 0.3s ease-out; }}
button {{
  padding: 16px 32px; background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95);
  border: none; font-family: "Roboto Mono", menlo, monospace; margin: 16px; display: block;
}}
button:hover {{ background: #ac5af4; cursor: pointer; }}
.closed-dialog {{ opacity: 0; display: none; }}
body.-closed .closed-dialog {{ opacity: 1; display: flex; }}
#start {{ display: none; }}
#start.-delay {{ display: flex; }}
</style>
<script>
function getStartUrl() {{
  const url = new URL(window.location.href);
  const params = new URLSearchParams(url.search);
  params.delete("delay");
  return url.pathname + "?" + params.toString();
}}
async function refresh() {{
  window.location.href = getStartUrl();
}}
</script>
</head>
<body>
<div class="dialog-container intro-dialog">
  <div class="shade"></div>
  <div class="intro">
    <div>{title} : ouverture de l'interface…</div>
    <button type="button" onclick="refresh()" id="start">Démarrer</button>
  </div>
</div>
<div class="dialog-container closed-dialog">
  <div class="shade"></div>
  <div class="intro">
    <div class="message">Session terminée : l'interface a été fermée.</div>
    <button type="button" onclick="refresh()">Relancer</button>
  </div>
</div>
<div id="terminal" class="textual-terminal"
  data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
</body>
</html>
"""


def render_serve_page(*, title: str, static_url: str, websocket_url: str, font_size: int) -> str:
    """The page's HTML: ``static_url`` ends with ``/`` (textual-serve's static folder as
    served), ``websocket_url`` is the session's WebSocket."""
    static = html.escape(static_url, quote=True)
    fonts = "\n".join(
        _FONT_FACE.format(style=style, url=static + path) for style, path in FONT_FILES
    )
    return _PAGE.format(
        title=html.escape(title),
        static=static,
        fonts=fonts,
        websocket=html.escape(websocket_url, quote=True),
        font_size=int(font_size),
    )


__all__ = ["FONT_FILES", "render_serve_page"]
