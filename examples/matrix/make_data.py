"""Write the data of the two matrix lessons, from a fixed seed (run again, the files come out the same).

    python examples/matrix/make_data.py

- ``surface.csv`` (tanh-mlp.toml): 40 points (x1, x2) in [-2, 2]² and
  y = tanh(x1) · cos(x2) / 1.5 plus a little noise, a curved surface that a
  line cannot fit and two tanh layers can;
- ``three-classes.csv`` (three-classes.toml): 60 points (x1, x2), 20 around each
  of three centres, with their class y = 0, 1 or 2, in a shuffled order.

Every value has two decimals, so the explanation's exact arithmetic stays short.
"""

import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
CENTRES = ((-1.5, -1.0), (1.5, -1.0), (0.0, 1.5))


def surface(rng: random.Random, n: int = 40):
    for _ in range(n):
        x1, x2 = rng.uniform(-2, 2), rng.uniform(-2, 2)
        yield x1, x2, math.tanh(x1) * math.cos(x2) / 1.5 + rng.gauss(0, 0.03)


def three_classes(rng: random.Random, per_class: int = 20):
    points = [(rng.gauss(cx, 0.6), rng.gauss(cy, 0.6), k) for k, (cx, cy) in enumerate(CENTRES) for _ in range(per_class)]
    rng.shuffle(points)  # the classes mixed, so that one update per sample does not see one class at a time
    return points


def write(name: str, rows) -> None:
    lines = ["x1,x2,y"] + [f"{x1:.2f},{x2:.2f},{y:.2f}" if isinstance(y, float) else f"{x1:.2f},{x2:.2f},{y}"
                           for x1, x2, y in rows]
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(line.replace("-0.00", "0.00") for line in lines) + "\n")


if __name__ == "__main__":
    write("surface.csv", surface(random.Random(1)))
    write("three-classes.csv", three_classes(random.Random(2)))
