"""French display of a TIC summary (``linkytool.tic.MeterReading``) for the Compteur pane.

Pure formatting (no Textual): numbers with thin spacing and units, the meter clock's drift
from the host clock, and the consumer-mode notice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from linkytool.textfmt import french_number, french_percent, french_quantity

#: Beyond this drift between meter and host clocks the value is highlighted [s].
DRIFT_WARNING_S = 60.0


def group_thousands(value: int) -> str:
    """12345 -> '12 345' (French grouping with a narrow no-break space)."""
    return french_number(value, ",d")


def quantity(value: int | float | None, unit: str) -> str:
    """A value with its unit, or an em dash when absent."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{french_number(value, '.1f')} {unit}"
    return french_quantity(int(value), unit)  # as tic read and tic decode show it


def drift_seconds(meter_time: datetime | None, host_time: datetime) -> float | None:
    """Meter clock minus host clock [s] (positive: the meter is ahead)."""
    if meter_time is None:
        return None
    return (meter_time - host_time).total_seconds()


def drift_text(drift: float | None) -> str:
    """'+3 s', '−2 min 05 s', or '—'."""
    if drift is None:
        return "—"
    sign = "+" if drift >= 0 else "−"
    seconds = round(abs(drift))
    if seconds < 60:
        return f"{sign}{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{sign}{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours} h {minutes:02d} min"


def meter_time_text(meter_time: datetime | None) -> str:
    if meter_time is None:
        return "—"
    return meter_time.strftime("%d/%m/%Y %H:%M:%S")


def rate_text(rate: float | None) -> str:
    if rate is None:
        return "—"
    return french_percent(rate)


def consumer_mode_notice(reading: Any) -> str | None:
    """The French banner when the meter runs in consumer mode without production data."""
    if not getattr(reading, "production_data_missing", False):
        return None
    return (
        "Mode consommateur : aucune donnée de production sur la TIC (normal avant la "
        "bascule par Enedis). Relevez l'index d'injection sur sa photo (Photos, F3)."
    )


def stge_items(summary: str) -> list[str]:
    """The STGE summary sentence as list items: 'consommateur, organe de coupure fermé,
    tarif 1' -> ['consommateur', 'organe de coupure fermé', 'tarif 1']."""
    parts = [part.strip() for part in summary.replace(";", ",").split(",")]
    return [part for part in parts if part]


def stge_lines(stge: Any) -> list[tuple[str, str]]:
    """The decoded status register as (French name, value) pairs, whatever its shape."""
    if stge is None:
        return []
    for attribute in ("describe", "summary", "items"):
        method = getattr(stge, attribute, None)
        if callable(method):
            result = method()
            if isinstance(result, dict):
                return [(str(k), str(v)) for k, v in result.items()]
            if isinstance(result, list | tuple):
                pairs: list[tuple[str, str]] = []
                for item in result:
                    if isinstance(item, tuple) and len(item) == 2:
                        pairs.append((str(item[0]), str(item[1])))
                    else:
                        pairs.append((str(item), ""))
                return pairs
            if isinstance(result, str):
                return [(line, "") for line in result.splitlines()]
    return [(str(stge), "")]
