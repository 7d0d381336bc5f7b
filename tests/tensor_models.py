"""The table of matrix models the tensor tests run on (one sample each, small shapes)."""

W1 = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]]

MODELS = {
    "linear_vector": dict(model="y_hat = w @ x + b", loss="mse",
                          params={"w": [0.5, -0.3, 0.2], "b": 0.1}, sample={"x": [1.0, 2.0, 3.0], "y": 1.0}),
    "mlp_tanh": dict(model="h = tanh(W1 @ x + b1); y_hat = W2 @ h + b2", loss="mse",
                     params={"W1": W1, "b1": [0, 0.1, 0], "W2": [[0.3, -0.1, 0.2]], "b2": [0.0]},
                     sample={"x": [1.0, 2.0], "y": [0.5]}),
    "mlp3_relu_sigmoid": dict(model="h1 = relu(W1 @ x + b1); h2 = sigmoid(W2 @ h1 + b2); y_hat = W3 @ h2 + b3",
                              loss="mse",
                              params={"W1": W1, "b1": [0.1, -0.1, 0.2], "W2": [[0.2, -0.3, 0.5], [0.1, 0.4, -0.2]],
                                      "b2": [0.0, 0.1], "W3": [[0.7, -0.6], [0.2, 0.3]], "b3": [0.05, -0.05]},
                              sample={"x": [1.0, 2.0], "y": [0.5, -0.5]}),
    "softmax_ce": dict(model="y_hat = W @ x + b", loss="ce",
                       params={"W": W1, "b": [0.0, 0.1, -0.1]}, sample={"x": [1.0, 2.0], "y": 2}),
    "bce_sigmoid": dict(model="y_hat = sigmoid(w @ x + b)", loss="bce",
                        params={"w": [0.3, -0.2], "b": 0.1}, sample={"x": [1.0, 2.0], "y": 1.0}),
    "shared_weights": dict(model="h = tanh(W @ x); y_hat = sum(W @ h)", loss="mse",
                           params={"W": [[0.5, -0.2], [0.1, 0.3]]}, sample={"x": [1.0, -1.0], "y": 0.5}),
    "scalar_broadcast": dict(model="y_hat = a * tanh(W @ x) + c", loss="mse",
                             params={"a": 1.5, "W": [[0.2, 0.1], [-0.3, 0.4]], "c": 0.25},
                             sample={"x": [1.0, 2.0], "y": [0.1, 0.2]}),
    "matmat_transpose": dict(model="y_hat = sum(transpose(A) @ B @ x) / 2", loss="mse",
                             params={"A": [[0.1, 0.2], [0.3, -0.4]], "B": [[0.5, -0.1], [0.2, 0.2]]},
                             sample={"x": [1.0, 3.0], "y": 0.0}),
    "log_softmax_vecmat": dict(model="y_hat = -sum(t * log_softmax(x @ W))", loss="y_hat",
                               params={"W": [[0.1, 0.2, 0.3], [-0.1, 0.0, 0.5]]},
                               sample={"x": [1.0, 2.0], "t": [0.2, 0.3, 0.5], "y": 0.0}),
    "power_div_softmax": dict(model="s = softmax(v * x); y_hat = mean(s ** 2 / (1 + exp(v)))", loss="abs",
                              params={"v": [0.3, -0.2, 0.1]}, sample={"x": [1.0, 2.0, -1.0], "y": 0.0}),
}
