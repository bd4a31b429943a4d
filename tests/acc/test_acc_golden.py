"""Hand-computed cases for every key (acc.md worked examples and edge cases)."""

from __future__ import annotations

import numpy as np
import pytest
from acc_helpers import make_operation

from linkytool.acc import CoefficientError, KeyKind, StaticExcess, run_operation

H = 0.25  # h per 15-min step: Wh = W x 0.25


def test_example_1_default_key() -> None:
    op = make_operation([[300, 700], [900, 100]], [[800], [2000]])
    result = run_operation(op)
    curves = result.consumer_curves["self_consumed"]
    assert curves.tolist() == [[240, 560], [900, 100]]
    assert result.producer_curves["surplus"][:, 0].tolist() == [0, 1000]
    assert result.self_consumed_wh.tolist() == [(240 + 900) * H, (560 + 100) * H]
    assert result.surplus_wh.tolist() == [1000 * H]


@pytest.mark.parametrize(
    ("excess", "expected", "surplus"),
    [(StaticExcess.SURPLUS, [200, 400], 400), (StaticExcess.REDISTRIBUTE, [200, 800], 0)],
)
def test_example_2_static_key(excess: StaticExcess, expected: list[float], surplus: float) -> None:
    op = make_operation([[200, 900]], [[1000]], KeyKind.STATIC, static=[0.6, 0.4], excess=excess)
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][0].tolist() == expected
    assert result.producer_curves["surplus"][0, 0] == pytest.approx(surplus)


def test_example_3_full_dynamic_key() -> None:
    shares = [[[0.5, 0.5], [0.75, 0.25]]]  # [step][producer][consumer]
    op = make_operation([[500, 200]], [[600, 400]], KeyKind.FULL, shares=shares)
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][0].tolist() == pytest.approx([500, 200])
    assert result.pairs_wh / H == pytest.approx(np.array([[250, 150], [250, 50]]))
    assert result.producer_curves["surplus"][0].tolist() == pytest.approx([200, 100])
    assert result.producer_curves["self_produced"][0].tolist() == pytest.approx([400, 300])


def test_default_key_zero_consumer_and_production_above_and_below() -> None:
    # consumer Z consumes nothing; step 1 production < consumption, step 2 above, step 3 none
    op = make_operation([[100, 300, 0], [100, 300, 0], [0, 0, 0]], [[200], [1000], [50]])
    result = run_operation(op)
    a = result.consumer_curves["self_consumed"]
    assert a.tolist() == [[50, 150, 0], [100, 300, 0], [0, 0, 0]]
    assert result.producer_curves["surplus"][:, 0].tolist() == [0, 600, 50]


def test_static_coefficients_under_100_percent_leave_surplus() -> None:
    # 30 % + 50 % = 80 %: 20 % of P is unassigned and goes to the surplus in both modes
    for excess in StaticExcess:
        op = make_operation(
            [[1000, 1000, 0]], [[1000]], KeyKind.STATIC, static=[0.3, 0.5, 0.0], excess=excess
        )
        result = run_operation(op)
        assert result.consumer_curves["self_consumed"][0].tolist() == [300, 500, 0]
        assert result.surplus_wh[0] == pytest.approx(200 * H)


def test_static_redistribute_repeats_until_nobody_can_absorb() -> None:
    # P = 1000, k = 50/30/20 %; C = 100, 250, 1000 -> X excess 400 shared 60/40 among Y, Z;
    # Y saturates at 250, rest to Z: A = 100, 250, 650; no surplus
    op = make_operation(
        [[100, 250, 1000]],
        [[1000]],
        KeyKind.STATIC,
        static=[0.5, 0.3, 0.2],
        excess=StaticExcess.REDISTRIBUTE,
    )
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][0].tolist() == pytest.approx([100, 250, 650])
    # two rounds: X's excess 400 -> 200 each to Y and Z; Y saturates at 300 (keeps 300),
    # its 150 leftover goes to Z: A = 100, 300, 600
    op = make_operation(
        [[100, 300, 1000]],
        [[1000]],
        KeyKind.STATIC,
        static=[0.5, 0.25, 0.25],
        excess=StaticExcess.REDISTRIBUTE,
    )
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][0].tolist() == pytest.approx([100, 300, 600])
    # nobody can absorb: the rest goes to the surplus
    op = make_operation(
        [[100, 250, 300]],
        [[1000]],
        KeyKind.STATIC,
        static=[0.5, 0.3, 0.2],
        excess=StaticExcess.REDISTRIBUTE,
    )
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][0].tolist() == pytest.approx([100, 250, 300])
    assert result.surplus_wh[0] == pytest.approx(350 * H)


def test_dynamic_simple_key_pools_producers_and_sends_excess_to_surplus() -> None:
    shares = [[0.5, 0.5], [0.2, 0.3]]
    op = make_operation(
        [[100, 800], [500, 500]], [[600, 400], [0, 1000]], KeyKind.DYNAMIC, shares=shares
    )
    result = run_operation(op)
    a = result.consumer_curves["self_consumed"]
    assert a.tolist() == [[100, 500], [200, 300]]
    # pooled surplus split: step 1 S = 400 -> 240/160, step 2 S = 500 -> 0/500
    np.testing.assert_allclose(result.producer_curves["surplus"], [[240, 160], [0, 500]])
    # per producer per consumer, pro rata of injection
    assert result.pairs_wh / H == pytest.approx(np.array([[60, 300], [40 + 200, 200 + 300]]))


def test_missing_dynamic_coefficients_fall_back_to_default_key() -> None:
    shares = [[0.1, 0.1], [0.0, 0.0]]
    op = make_operation(
        [[300, 700], [300, 700]],
        [[800], [800]],
        KeyKind.DYNAMIC,
        shares=shares,
        covered=[True, False],
    )
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"].tolist() == [[80, 80], [240, 560]]
    assert result.default_key_steps.tolist() == [1]


def test_full_key_missing_step_uses_default_and_pooled_split() -> None:
    shares = np.zeros((2, 2, 1))
    shares[0] = [[1.0], [0.0]]
    op = make_operation(
        [[500], [500]], [[300, 300], [300, 300]], KeyKind.FULL, shares=shares, covered=[True, False]
    )
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"][:, 0].tolist() == [300, 500]
    np.testing.assert_allclose(result.producer_curves["surplus"], [[0, 300], [50, 50]])
    assert result.pairs_wh / H == pytest.approx(np.array([[300 + 250], [250]]))


def test_coefficients_over_100_percent_are_rejected_with_their_steps() -> None:
    shares = [[0.6, 0.5], [0.5, 0.5], [0.7, 0.4]]
    op = make_operation([[1, 1]] * 3, [[10]] * 3, KeyKind.DYNAMIC, shares=shares)
    with pytest.raises(CoefficientError) as caught:
        run_operation(op)
    message = str(caught.value)
    assert "plus de 100 % sur 2 pas" in message
    assert "01/06/2026 00:00" in message
    assert "01/06/2026 00:30" in message
    assert "00:15" not in message


def test_full_coefficients_over_100_percent_per_producer() -> None:
    shares = [[[0.6, 0.5], [0.1, 0.1]]]
    op = make_operation([[1, 1]], [[10, 10]], KeyKind.FULL, shares=shares)
    with pytest.raises(CoefficientError, match="plus de 100 %"):
        run_operation(op)


def test_static_over_100_percent_rejected() -> None:
    op = make_operation([[1, 1]], [[10]], KeyKind.STATIC, static=[0.7, 0.4])
    with pytest.raises(CoefficientError, match=r"110,0000 %"):
        run_operation(op)


def test_withdrawn_consumer_share_goes_to_surplus_without_redistribution() -> None:
    # consumer 1 leaves at step 1 (window [0, 1)); static 50/50, redistribute mode
    op = make_operation(
        [[400, 400], [400, 400]],
        [[600], [600]],
        KeyKind.STATIC,
        static=[0.5, 0.5],
        excess=StaticExcess.REDISTRIBUTE,
        windows=[(0, 1), (0, 2)],
    )
    result = run_operation(op)
    assert result.consumer_curves["self_consumed"].tolist() == [[300, 300], [0, 300]]
    assert result.consumer_curves["consumption"][:, 0].tolist() == [400, 0]
    assert result.producer_curves["surplus"][:, 0].tolist() == [0, 300]


def test_chunking_does_not_change_the_result() -> None:
    rng = np.random.default_rng(1)
    c = rng.uniform(0, 1000, (500, 7))
    p = rng.uniform(0, 3000, (500, 2))
    shares = rng.dirichlet(np.ones(8), size=(500, 2))[:, :, :7]
    op = make_operation(c, p, KeyKind.FULL, shares=shares)
    whole = run_operation(op, chunk_steps=500)
    pieces = run_operation(op, chunk_steps=37)
    np.testing.assert_allclose(whole.self_consumed_wh, pieces.self_consumed_wh)
    np.testing.assert_allclose(whole.pairs_wh, pieces.pairs_wh)
    np.testing.assert_allclose(whole.surplus_wh, pieces.surplus_wh)


def test_progress_callback_reaches_total() -> None:
    op = make_operation(np.ones((300, 2)), np.ones((300, 1)))
    calls: list[tuple[int, int]] = []
    run_operation(op, progress=lambda done, total: calls.append((done, total)), chunk_steps=100)
    assert calls == [(100, 300), (200, 300), (300, 300)]
