"""Write torch_matrix_table.json: what PyTorch autograd computes, in float64, for a table of matrix models.

Run once, by hand, in a throwaway environment that has torch (PyTorch is not a
dependency of symback or of its tests; the tests read the JSON):

    python -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch numpy
    /tmp/torchvenv/bin/python tests/reference/torch_matrix_table.py

Each case gives a symback model (text), its loss, parameters and data, and the
same model written again here with torch operations, independently. For every
case the file records, in float64:

- ``sample``: on the first sample alone, the loss, the gradient of every
  parameter and the parameters after one step p - lr·g;
- ``batch``: the same for the mean loss over all samples;
- ``trajectories``: ``epochs`` epochs of training in each mode as symback
  defines them (docs/train.md): ``sgd`` one update per sample in data order,
  ``batch`` one update per epoch on the mean loss, ``minibatch`` batches of
  ``batch_size`` samples taken in an order shuffled every epoch by
  ``random.Random(seed).shuffle`` (one generator for the whole run). After
  each epoch: the mean loss over all samples at the new parameters, the
  parameters and, in sgd, the loss of the epoch's last sample before its update.

Shapes follow symback's language: a sample's input ``x`` is a vector, a layer is
``W @ x + b`` with W of shape (out, in); the data hold x with a first axis of
samples, so the batch here computes X @ Wᵀ + b. Losses as PyTorch's:
``mse`` = MSELoss (the mean over an output's components), ``ce`` =
cross_entropy of logits against a class index, ``bce`` = BCELoss; over several
samples, the mean.
"""

from __future__ import annotations

import json
import os
import random

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_matrix_table.json")
EPOCHS, BATCH_SIZE, SEED = 4, 3, 0


def numbers(rng: random.Random, *shape, scale=1.0):
    """A nested list of the given shape of numbers with two decimals (exact decimals for explain)."""
    if not shape:
        return round(rng.uniform(-scale, scale), 2)
    return [numbers(rng, *shape[1:], scale=scale) for _ in range(shape[0])]


def regression(rng, n, d, k=None):
    x = numbers(rng, n, d, scale=2.0)
    y = numbers(rng, n, k, scale=1.0) if k else numbers(rng, n, scale=1.0)
    return {"x": x, "y": y}


def labels(rng, n, d, classes):
    return {"x": numbers(rng, n, d, scale=2.0), "y": [float(rng.randrange(classes)) for _ in range(n)]}


def layer(X, W, b=None):
    """A layer on a batch: every row x of X becomes W @ x + b."""
    out = X @ W.T if W.dim() == 2 else X @ W
    return out if b is None else out + b


def cases():
    rng = random.Random(11)
    act = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}
    table = []

    def case(name, model, loss, params, data, lr, torch_model):
        table.append({"name": name, "model": model, "loss": loss, "params": params, "data": data, "lr": lr,
                      "torch": torch_model})

    case("linear regression, weight vector", "w @ x + b", "mse",
         {"w": numbers(rng, 3), "b": 0.1}, regression(rng, 8, 3), 0.05,
         lambda p, X: layer(X, p["w"], p["b"]))
    for f in ("tanh", "relu", "sigmoid"):
        case(f"2-layer MLP, {f}", f"h = {f}(W1 @ x + b1); y_hat = w2 @ h + b2", "mse",
             {"W1": numbers(rng, 4, 2), "b1": numbers(rng, 4, scale=0.5), "w2": numbers(rng, 4), "b2": 0.0},
             regression(rng, 8, 2), 0.1,
             lambda p, X, f=f: layer(act[f](layer(X, p["W1"], p["b1"])), p["w2"], p["b2"]))
    for f, g in (("tanh", "tanh"), ("relu", "sigmoid"), ("sigmoid", "relu")):
        case(f"3-layer MLP, {f} then {g}",
             f"h1 = {f}(W1 @ x + b1); h2 = {g}(W2 @ h1 + b2); y_hat = w3 @ h2 + b3", "mse",
             {"W1": numbers(rng, 4, 3), "b1": numbers(rng, 4, scale=0.5), "W2": numbers(rng, 3, 4),
              "b2": numbers(rng, 3, scale=0.5), "w3": numbers(rng, 3), "b3": 0.1},
             regression(rng, 8, 3), 0.1,
             lambda p, X, f=f, g=g: layer(act[g](layer(act[f](layer(X, p["W1"], p["b1"])), p["W2"], p["b2"])),
                                          p["w3"], p["b3"]))
    case("vector output, mse over components", "y_hat = W @ x + b", "mse",
         {"W": numbers(rng, 2, 3), "b": numbers(rng, 2, scale=0.5)}, regression(rng, 8, 3, 2), 0.05,
         lambda p, X: layer(X, p["W"], p["b"]))
    case("softmax regression, ce", "y_hat = W @ x + b", "ce",
         {"W": numbers(rng, 3, 2), "b": numbers(rng, 3, scale=0.5)}, labels(rng, 8, 2, 3), 0.2,
         lambda p, X: layer(X, p["W"], p["b"]))
    case("2-layer tanh classifier, ce", "h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2", "ce",
         {"W1": numbers(rng, 4, 2), "b1": numbers(rng, 4, scale=0.5), "W2": numbers(rng, 3, 4),
          "b2": numbers(rng, 3, scale=0.5)}, labels(rng, 8, 2, 3), 0.2,
         lambda p, X: layer(torch.tanh(layer(X, p["W1"], p["b1"])), p["W2"], p["b2"]))
    case("logistic regression, bce", "y_hat = sigmoid(w @ x + b)", "bce",
         {"w": numbers(rng, 3), "b": 0.0}, labels(rng, 8, 3, 2), 0.5,
         lambda p, X: torch.sigmoid(layer(X, p["w"], p["b"])))
    case("relu layer then a sigmoid output, bce", "h = relu(W1 @ x + b1); y_hat = sigmoid(w2 @ h + b2)", "bce",
         {"W1": numbers(rng, 3, 2), "b1": numbers(rng, 3, scale=0.5), "w2": numbers(rng, 3), "b2": 0.0},
         labels(rng, 8, 2, 2), 0.5,
         lambda p, X: torch.sigmoid(layer(torch.relu(layer(X, p["W1"], p["b1"])), p["w2"], p["b2"])))
    case("shared weights: one matrix used twice", "h1 = tanh(W @ x); h2 = tanh(W @ h1); y_hat = v @ h2", "mse",
         {"W": numbers(rng, 2, 2), "v": numbers(rng, 2)}, regression(rng, 8, 2), 0.1,
         lambda p, X: layer(torch.tanh(layer(torch.tanh(layer(X, p["W"])), p["W"])), p["v"]))
    return table


def loss_of(name, y_hat, y):
    if name == "mse":
        return F.mse_loss(y_hat, y)
    if name == "ce":
        return F.cross_entropy(y_hat, y.long())
    return F.binary_cross_entropy(y_hat, y)


class Case:
    def __init__(self, spec):
        self.spec = spec
        self.X = torch.tensor(spec["data"]["x"])
        self.Y = torch.tensor(spec["data"]["y"])
        self.names = list(spec["params"])

    def tensors(self, params):
        return {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}

    def loss(self, p, index):
        return loss_of(self.spec["loss"], self.spec["torch"](p, self.X[index]), self.Y[index])

    def step(self, params, index):
        """(loss, gradient, params after p - lr·g) of the mean loss over the samples ``index``."""
        p = self.tensors(params)
        loss = self.loss(p, index)
        loss.backward()
        lr = self.spec["lr"]
        grads = {k: p[k].grad.tolist() for k in self.names}
        with torch.no_grad():
            after = {k: (p[k] - lr * p[k].grad).tolist() for k in self.names}
        return loss.item(), grads, after

    def mean_loss(self, params):
        with torch.no_grad():
            return self.loss(self.tensors(params), slice(None)).item()

    def trajectory(self, mode):
        params, n, out = self.spec["params"], len(self.X), []
        order, shuffle = list(range(n)), random.Random(SEED).shuffle
        for epoch in range(EPOCHS):
            last = None
            if mode == "sgd":
                for i in range(n):
                    last, _, params = self.step(params, [i])
            elif mode == "batch":
                _, _, params = self.step(params, slice(None))
            else:
                shuffle(order)
                for start in range(0, n, BATCH_SIZE):
                    _, _, params = self.step(params, order[start:start + BATCH_SIZE])
            entry = {"epoch": epoch, "loss": self.mean_loss(params), "params": params}
            if mode == "sgd":
                entry["last_sample_loss"] = last
            out.append(entry)
        return out

    def record(self):
        spec = {k: v for k, v in self.spec.items() if k != "torch"}
        for key, index in (("sample", [0]), ("batch", slice(None))):
            loss, grads, after = self.step(self.spec["params"], index)
            spec[key] = {"loss": loss, "gradient": grads, "params_after": after}
        spec["trajectories"] = {mode: self.trajectory(mode) for mode in ("sgd", "batch", "minibatch")}
        return spec


def main():
    table = {"torch": torch.__version__, "dtype": "float64", "epochs": EPOCHS, "batch_size": BATCH_SIZE,
             "seed": SEED, "cases": [Case(spec).record() for spec in cases()]}
    with open(OUT + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(table, handle, indent=1)
        handle.write("\n")
    os.replace(OUT + ".tmp", OUT)
    print(f"wrote {OUT}: {len(table['cases'])} cases")


if __name__ == "__main__":
    main()
