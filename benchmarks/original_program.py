"""The original lesson's PyTorch program (shared/reference/seed-blog-pytorch-backprop.txt), for comparison.

It computes what the lesson's listing computes, in the same order, and prints
the same lines, so ``python benchmarks/original_program.py`` reproduces
shared/reference/seed_torch_float32_output.txt (``--float64`` gives the
float64 file). Needs torch: ``pip install torch``.
"""

import sys

import torch

DTYPE = torch.float64 if "--float64" in sys.argv else torch.float32
w = torch.tensor([1.0], dtype=DTYPE, requires_grad=True)
xs, ys = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


def forward(x):
    return x * w


def loss(x, y):
    return (forward(x) - y) ** 2


print("predict(before training)", 4, forward(4).item())
for epoch in range(100):
    for x, y in zip(xs, ys):
        l = loss(x, y)  # noqa: E741 - the lesson's name
        l.backward()
        print("\tgrad:", x, y, w.grad.item())
        w.data = w.data - 0.01 * w.grad.data
        w.grad.data.zero_()
    print("progress:", epoch, l.item())
print("predict(after training)", 4, forward(4).item())
