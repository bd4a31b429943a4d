"""Conservation laws on random operations, and agreement with the per-step reference."""

from __future__ import annotations

import numpy as np
import pytest
from acc_helpers import make_operation
from hypothesis import given, settings
from hypothesis import strategies as st

from linkytool.acc import KeyKind, StaticExcess, run_operation
from linkytool.acc.reference import reference_step

TOL = 1e-6


@st.composite
def operations(draw: st.DrawFn) -> dict[str, object]:
    n_t = draw(st.integers(1, 6))
    n_c = draw(st.integers(1, 5))
    n_p = draw(st.integers(1, 3))
    power = st.one_of(
        st.just(0.0),
        st.floats(0, 300, allow_nan=False, allow_subnormal=False),  # saturates static shares
        st.floats(0, 5000, allow_nan=False, allow_subnormal=False),
    )
    c = np.array(
        draw(st.lists(st.lists(power, min_size=n_c, max_size=n_c), min_size=n_t, max_size=n_t))
    )
    p = np.array(
        draw(st.lists(st.lists(power, min_size=n_p, max_size=n_p), min_size=n_t, max_size=n_t))
    )
    key = draw(st.sampled_from(list(KeyKind)))
    excess = draw(st.sampled_from(list(StaticExcess)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)

    def shares(*shape: int) -> np.ndarray:
        weights = rng.dirichlet(np.ones(n_c + 1), size=shape)[..., :n_c]
        weights[rng.random(weights.shape) < 0.2] = 0.0
        return weights

    covered = rng.random(n_t) < 0.8
    windows = None
    if draw(st.booleans()):
        entry = rng.integers(0, n_t, n_c)
        windows = [(int(a), int(rng.integers(a + 1, n_t + 1))) for a in entry]
    return {
        "c": c,
        "p": p,
        "key": key,
        "excess": excess,
        "static": shares(),
        "dynamic": shares(n_t),
        "full": shares(n_t, n_p),
        "covered": covered,
        "windows": windows,
    }


@given(operations())
def test_conservation_laws_and_reference(case: dict[str, object]) -> None:
    c, p = case["c"], case["p"]
    assert isinstance(c, np.ndarray) and isinstance(p, np.ndarray)
    key = case["key"]
    assert isinstance(key, KeyKind)
    excess = case["excess"]
    assert isinstance(excess, StaticExcess)
    shares = {KeyKind.DYNAMIC: case["dynamic"], KeyKind.FULL: case["full"]}.get(key)
    op = make_operation(
        c,
        p,
        key,
        static=case["static"] if key is KeyKind.STATIC else None,  # type: ignore[arg-type]
        shares=shares,
        covered=case["covered"],  # type: ignore[arg-type]
        excess=excess,
        windows=case["windows"],  # type: ignore[arg-type]
    )
    result = run_operation(op, chunk_steps=int(np.random.default_rng(0).integers(1, 4)))
    a = result.consumer_curves["self_consumed"]
    used = result.consumer_curves["consumption"]
    injection = result.producer_curves["injection"]
    surplus_p = result.producer_curves["surplus"]
    production = injection.sum(axis=1)
    scale = 1 + float(np.abs(c).max(initial=0) + np.abs(p).max(initial=0))
    tol = TOL * scale
    assert (a >= -tol).all()
    assert (a <= used + tol).all()
    assert (a.sum(axis=1) <= production + tol).all()
    assert (used - a >= -tol).all()  # complement
    assert (surplus_p >= -tol).all()
    collective = production - a.sum(axis=1)
    np.testing.assert_allclose(surplus_p.sum(axis=1), collective, atol=tol)
    np.testing.assert_allclose(surplus_p.sum(axis=1) + a.sum(axis=1), production, atol=tol)
    np.testing.assert_allclose(result.pairs_wh.sum(axis=0), result.self_consumed_wh, atol=tol)
    np.testing.assert_allclose(result.pairs_wh.sum(axis=1), result.self_produced_wh, atol=tol)
    # per-step agreement with the plain-Python reference
    windows = case["windows"]
    covered = case["covered"]
    assert isinstance(covered, np.ndarray)
    pairs = np.zeros_like(result.pairs_wh)
    for t in range(c.shape[0]):
        active = [True] * c.shape[1]
        if windows is not None:
            active = [a0 <= t < b0 for a0, b0 in windows]  # type: ignore[union-attr]
        row = [float(c[t, i]) if active[i] else 0.0 for i in range(c.shape[1])]
        kwargs: dict[str, object] = {"static_excess": excess.value, "active": active}
        if key is KeyKind.STATIC:
            kwargs["shares"] = list(case["static"])  # type: ignore[call-overload]
        elif key is KeyKind.DYNAMIC and covered[t]:
            kwargs["shares"] = list(case["dynamic"][t])  # type: ignore[index]
        elif key is KeyKind.FULL and covered[t]:
            kwargs["full_shares"] = [list(x) for x in case["full"][t]]  # type: ignore[index]
        expected = reference_step(key.value, row, list(p[t]), **kwargs)  # type: ignore[arg-type]
        np.testing.assert_allclose(a[t], expected.self_consumed, atol=tol)
        np.testing.assert_allclose(surplus_p[t], expected.surplus, atol=tol)
        pairs += np.array(expected.pairs) * 0.25
    np.testing.assert_allclose(result.pairs_wh, pairs, atol=tol)


def test_static_redistribute_matches_closed_form_on_many_consumers() -> None:
    """Many consumers, comparable consumption and shares: several sharing rounds needed."""
    rng = np.random.default_rng(42)
    n_t, n_c = 300, 30
    c = rng.uniform(0, 400, (n_t, n_c)) * (rng.random((n_t, n_c)) < 0.9)
    p = rng.uniform(0, 12_000, (n_t, 1))
    k = rng.dirichlet(np.ones(n_c + 1))[:n_c]
    op = make_operation(c, p, KeyKind.STATIC, static=k, excess=StaticExcess.REDISTRIBUTE)
    result = run_operation(op)
    a = result.consumer_curves["self_consumed"]
    for t in range(n_t):
        expected = reference_step(
            "static", list(c[t]), list(p[t]), shares=list(k), static_excess="redistribute"
        )
        np.testing.assert_allclose(a[t], expected.self_consumed, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(
        ["2026-03-29T00:00:00+01:00", "2026-10-25T01:00:00+02:00", "2026-06-01T13:00:00+02:00"]
    ),
    st.integers(1, 8),
    st.lists(st.integers(0, 99_999), min_size=4, max_size=4 * 8 * 3),
)
def test_long_wide_and_quarter_hour_files_read_the_same(
    tmp_path_factory: pytest.TempPathFactory, start: str, hours: int, raw: list[int]
) -> None:
    """The same curves written in the three CSV layouts load to the same operation."""
    from datetime import datetime

    from linkytool.acc import load_operation
    from linkytool.acc.timegrid import format_local

    folder = tmp_path_factory.mktemp("formats")
    epoch = int(datetime.fromisoformat(start).timestamp())
    n = 4 * hours
    prms = ["30000000000001", "30000000000002"]
    values = [(raw * (2 * n // len(raw) + 1))[k * n : (k + 1) * n] for k in range(2)]
    stamps = [format_local(epoch + 900 * t) for t in range(n)]
    long = ["prm,timestamp,w"] + [
        f"{prm},{stamps[t]},{values[k][t]}" for k, prm in enumerate(prms) for t in range(n)
    ]
    wide = ["timestamp," + ",".join(prms)] + [
        f"{stamps[t]},{values[0][t]},{values[1][t]}" for t in range(n)
    ]
    quarter = ["prm;horodate;w1;w2;w3;w4"] + [
        f"{prm};{stamps[4 * h]};" + ";".join(str(v) for v in values[k][4 * h : 4 * h + 4])
        for k, prm in enumerate(prms)
        for h in range(hours)
    ]
    producer = folder / "p.csv"
    producer.write_text(
        "prm,timestamp,w\n" + "".join(f"20000000000001,{s},500\n" for s in stamps),
        encoding="utf-8",
    )
    loaded = []
    for name, lines in (("long", long), ("wide", wide), ("qh", quarter)):
        path = folder / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        loaded.append(load_operation([path], [producer]))
    for operation in loaded:
        assert operation.grid == loaded[0].grid
        assert operation.grid.n_steps == n
        np.testing.assert_array_equal(
            operation.consumption.chunk(0, n), loaded[0].consumption.chunk(0, n)
        )
    np.testing.assert_array_equal(loaded[0].consumption.chunk(0, n), np.array(values).T)
