"""After a divergence the suggested learning rate was tried and works; a stalled run is flagged."""

import json

from click.testing import CliRunner

from symback import problem
from symback.train import advice as train_advice
from symback.cli import cli
from symback.train.run import Settings, train

SATURATING = problem("exp(w*x)", lr=1)


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_suggested_rate_was_tried_and_converges():
    suggestion = train(SATURATING, Settings()).diverged.suggestion
    assert suggestion.lr == 0.001 and suggestion.tried == (0.1, 0.01, 0.001)
    again = train(problem("exp(w*x)", lr=suggestion.lr), Settings())
    assert train_advice.converges(again) and again.final_loss == suggestion.end


def test_a_rate_that_stalls_or_oscillates_is_not_suggested():
    assert train(problem("exp(w*x)", lr=0.1), Settings()).stalled is not None  # 0.1: w runs to −3189
    assert not train_advice.converges(train(problem("exp(w*x)", lr=0.01), Settings()))  # 0.01: the loss swings


def test_the_message_names_the_working_rate_and_what_it_did():
    result = run("train", "--model", "exp(w*x)", "--lr", "1")
    assert result.exit_code == 3
    assert "--lr 0.001 (tried: the mean loss goes from 70.13466014709222 to 0.16170814707745448" in result.stderr
    assert "--lr 0.1" not in result.stderr


def test_when_no_rate_converges_the_message_says_so(monkeypatch):
    monkeypatch.setattr(train_advice, "TRIES", 1)
    diverged = train(problem(lr=3), Settings()).diverged  # 0.3 diverges too
    assert diverged.suggestion.lr is None
    assert "no smaller learning rate tried (0.3) converges in 100 epochs" in diverged.reason


def test_a_stalled_run_warns_and_exits_0():
    result = run("train", "--model", "exp(w*x)", "--lr", "0.1")
    assert result.exit_code == 0
    assert "Warning: training stalled: the mean loss has not improved since epoch 0" in result.output


def test_a_stalled_run_says_so_in_json():
    result = run("train", "--model", "exp(w*x)", "--lr", "0.1", "--format", "json")
    assert json.loads(result.stdout)["stalled"] == {"since_epoch": 0, "loss": 18.666666666666668}


def test_a_run_that_reaches_a_minimum_has_not_stalled():
    assert train(problem(), Settings(epochs=1000)).stalled is None  # the loss reaches 0 and stays there
    noisy = problem("w*x + b", params={"w": 0, "b": 0}, data=(("x", "y"), [(1, 2.1), (2, 3.9), (3, 6.2), (4, 7.7)]),
                    lr=0.05)
    history = train(noisy, Settings(epochs=3000, mode="batch"))
    assert history.final_loss > 0.01 and history.stalled is None  # a minimum above 0 is not a stall


def test_a_dead_relu_stalls():
    assert train(problem("relu(w*x + b)", params={"w": -1, "b": -1}), Settings()).stalled is not None


def test_json_and_text_give_the_divergence_in_the_same_words_and_numbers():
    text = run("train", "--lr", "0.3", "--epochs", "1000")
    data = json.loads(run("train", "--lr", "0.3", "--epochs", "1000", "--format", "json").stdout)
    assert text.stderr.strip() == "symback: error: " + data["diverged"]["reason"]
    assert "71066523668.61461" in data["diverged"]["reason"] and data["diverged"]["suggested_lr"] == 0.03


def test_a_saturated_model_with_many_parameters_stalls():
    terms = " + ".join(f"exp(w{i}*x)" for i in range(10))
    p = problem(terms, params={f"w{i}": -50.0 for i in range(10)})  # every term is 0 on the data: flat
    assert train(p, Settings(epochs=40)).stalled is not None


def test_a_model_with_many_parameters_at_a_minimum_has_not_stalled():
    terms = " + ".join(f"w{i}*x" for i in range(10))
    p = problem(terms, params={f"w{i}": 0.2 for i in range(10)})  # Σw = 2 fits y = 2x exactly
    history = train(p, Settings(epochs=200))
    assert history.stalled is None


def test_a_one_epoch_trial_says_1_epoch():
    steep = problem(data=(("x", "y"), [(100, 200)]), lr=10)  # one step multiplies the loss by 4e10
    diverged = train(steep, Settings(epochs=1)).diverged
    assert "no smaller learning rate tried (1, 0.1, 0.01) converges in 1 epoch:" in diverged.reason
