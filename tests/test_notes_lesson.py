"""The lesson behind the notes: one Derivation, one History, the update-map analysis."""

import math

import pytest
import sympy

from symback import problem
from symback.notes.convergence import convergence, stability_bound
from symback.notes.lesson import build_lesson
from symback.model.parse import symbol
from symback.train.run import Settings

x, w = symbol("x"), symbol("w")


@pytest.fixture(scope="module")
def seed():
    return build_lesson()


def test_the_default_lesson_is_the_original(seed):
    assert seed.derivation.gradient == {"w": -2.0}
    assert seed.first_update.params_after == {"w": 1.02}
    assert len(seed.history.epochs) == 100


def test_the_default_lesson_predicts_x_equals_4(seed):
    (prediction,) = seed.predictions
    assert dict(prediction.point) == {"x": 4.0}
    assert prediction.before == 4.0
    assert prediction.after == seed.history.predict({"x": 4.0})


def test_other_data_predict_nothing_by_default():
    lesson = build_lesson(problem(data=(["x", "y"], [[1, 3], [2, 5]])))
    assert lesson.predictions == ()


def test_full_batch_training_explains_the_batch_update():
    lesson = build_lesson(settings=Settings(mode="batch"))
    assert lesson.first_update.gradient["w"] == pytest.approx(-28 / 3)


def test_the_update_map_is_derived_from_the_gradient(seed):
    c = seed.convergence
    eta = symbol("eta")
    assert sympy.expand(c.affine_map - ((1 - 2 * eta * x**2) * w + 2 * eta * x * symbol("y"))) == 0
    assert c.curvature == 2 * x**2


def test_the_stability_bound_is_solved_by_sympy(seed):
    assert sympy.simplify(seed.convergence.bound - 1 / x**2) == 0


def test_stability_bound_of_a_curvature():
    assert sympy.simplify(stability_bound(8 * x**2) - 1 / (4 * x**2)) == 0


def test_no_bound_when_the_curvature_is_never_positive():
    assert stability_bound(-x**2) is None


def test_one_epoch_of_sgd_multiplies_the_error_by_the_product_of_slopes(seed):
    assert seed.convergence.epoch_slope == pytest.approx(0.98 * 0.92 * 0.82)


def test_the_fixed_point_is_where_training_ends(seed):
    learned = seed.history.final_params[0][1]
    assert seed.convergence.fixed_point == pytest.approx(2.0)
    assert learned == pytest.approx(seed.convergence.fixed_point, abs=1e-12)


def test_the_batch_map_has_the_mean_curvature():
    lesson = build_lesson(settings=Settings(mode="batch"))
    assert lesson.convergence.epoch_slope == pytest.approx(1 - 0.01 * 28 / 3)
    assert lesson.convergence.batch_bound == pytest.approx(3 / 14)


def test_a_curvature_that_depends_on_w_is_taken_at_the_learned_value():
    lesson = build_lesson(problem(model="w*x", loss="(y_hat - y)**4", params={"w": 1.5}))
    c = lesson.convergence
    assert not c.affine and c.at == lesson.history.final_params[0][1]


def test_several_parameters_have_no_map():
    assert build_lesson(problem(model="w*x + b", params={"w": 1, "b": 0})).convergence is None


def test_a_learning_rate_past_the_bound_diverges_and_says_why():
    lesson = build_lesson(problem(lr=0.3), settings=Settings(epochs=50))
    assert lesson.history.diverged is not None
    assert abs(lesson.convergence.epoch_slope) > 1


def test_convergence_needs_a_closed_form(seed):
    from dataclasses import replace

    gradient = replace(seed.derivation.gradients[0], closed=None)
    derivation = replace(seed.derivation, gradients=(gradient,))
    assert convergence(derivation, "sgd", 2.0) is None


def test_every_sample_map_is_finite(seed):
    assert all(math.isfinite(s.slope) and math.isfinite(s.curvature) for s in seed.convergence.samples)
