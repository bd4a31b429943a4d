"""The phone page of the intake: French, phone-sized, self-contained (no external asset).

One card per slot: a button that opens the phone's camera, a preview, and the reading
the laptop sends back ("sûr" / "à confirmer" with the value, or what to retake). URLs in
the page are relative to ``/<token>/``, so the token never appears in the script.
The time from the start of an upload to the reading shown [ms] is kept in each card's
``data-ms`` attribute (read by the browser test and ``bench/intake_latency.py``).
"""

from __future__ import annotations

import html

from linkytool.intake.slots import SLOTS

_CARD = """
<section class="card" id="card-{name}" data-slot="{name}" data-state="vide">
  <h2>{label}</h2>
  <label class="button">Prendre la photo
    <input id="file-{name}" type="file" accept="image/*" capture="environment">
  </label>
  <img class="preview" id="preview-{name}" alt="Aperçu {label}" hidden>
  <p class="status" id="status-{name}" role="status">Pas encore de photo.</p>
</section>"""

_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>linkytool : photos du compteur</title>
<style nonce="{nonce}">
body {{ font-family: system-ui, sans-serif; margin: 0; padding: 12px; background: #f4f4f4;
       color: #111; font-size: 17px; }}
h1 {{ font-size: 20px; margin: 4px 0 8px; }}
p.intro {{ margin: 0 0 12px; color: #444; }}
.card {{ background: #fff; border-radius: 10px; padding: 12px; margin-bottom: 12px;
        box-shadow: 0 1px 3px rgba(0,0,0,.15); }}
.card h2 {{ font-size: 18px; margin: 0 0 8px; }}
.button {{ display: block; text-align: center; background: #0b5cad; color: #fff;
          border-radius: 8px; padding: 14px; font-weight: 600; }}
.button input {{ display: none; }}
.preview {{ display: block; max-width: 100%; max-height: 180px; margin: 8px auto 0; }}
.status {{ margin: 8px 0 0; font-weight: 600; }}
.card[data-state="sur"] .status {{ color: #16692c; }}
.card[data-state="a_confirmer"] .status {{ color: #a05a00; }}
.card[data-state="a_reprendre"] .status, .card[data-state="erreur"] .status {{ color: #b00020; }}
#finish {{ width: 100%; padding: 14px; font-size: 17px; border: 0; border-radius: 8px;
          background: #555; color: #fff; }}
#closed {{ font-weight: 600; }}
</style>
</head>
<body>
<h1>Photos de l'écran du compteur</h1>
<p class="intro">Une photo par écran, de face, nette et sans reflet (avec les références
gravées au-dessus de l'écran). Appuyez sur « + » du compteur pour changer d'écran.</p>
{cards}
<button id="finish" type="button">Terminer</button>
<p id="closed" hidden>Envoi terminé : vous pouvez fermer cette page.</p>
<script nonce="{nonce}">
"use strict";
function show(slot, data, ms) {{
  const card = document.getElementById("card-" + slot);
  card.dataset.state = data.status;
  if (ms !== undefined) card.dataset.ms = String(Math.round(ms));
  let text = data.label;
  if (data.display_value) text += " : " + data.display_value;
  if (data.message) text += " (" + data.message + ")";
  document.getElementById("status-" + slot).textContent = text;
  if (data.done) closed();
}}
function closed() {{
  document.getElementById("closed").hidden = false;
  document.getElementById("finish").disabled = true;
  for (const input of document.querySelectorAll("input[type=file]")) input.disabled = true;
}}
async function send(slot, file) {{
  const card = document.getElementById("card-" + slot);
  const status = document.getElementById("status-" + slot);
  const preview = document.getElementById("preview-" + slot);
  preview.src = URL.createObjectURL(file);
  preview.hidden = false;
  card.dataset.state = "envoi";
  delete card.dataset.ms;
  status.textContent = "Envoi puis lecture…";
  const form = new FormData();
  form.append("photo", file, "photo");
  const started = performance.now();
  try {{
    const response = await fetch("photo/" + slot, {{ method: "POST", body: form }});
    let data;
    try {{ data = await response.json(); }}
    catch (e) {{
      /* never the browser's English status text ("Forbidden"): the code, in French */
      data = {{ status: "erreur", label: "Refusée",
               message: "réponse inattendue du poste (code " + response.status + ")" }};
    }}
    show(slot, data, performance.now() - started);
  }} catch (e) {{
    show(slot, {{ status: "erreur", label: "Envoi impossible",
                 message: "le poste ne répond plus" }}, performance.now() - started);
  }}
}}
for (const input of document.querySelectorAll("input[type=file]")) {{
  input.addEventListener("change", () => {{
    const slot = input.id.slice(5);
    if (input.files.length) send(slot, input.files[0]);
    input.value = "";
  }});
}}
document.getElementById("finish").addEventListener("click", async () => {{
  try {{ await fetch("close", {{ method: "POST" }}); }} catch (e) {{}}
  closed();
}});
fetch("state").then(r => r.json()).then(states => {{
  for (const [slot, data] of Object.entries(states)) if (data) show(slot, data);
}}).catch(() => {{}});
</script>
</body>
</html>
"""


def render_page(nonce: str) -> str:
    """The page's HTML; ``nonce`` authorises its inline style and script (CSP)."""
    cards = "".join(_CARD.format(name=slot.name, label=html.escape(slot.label)) for slot in SLOTS)
    return _PAGE.format(nonce=nonce, cards=cards)


__all__ = ["render_page"]
