"""Matrix models: the tensor graph, its forward values and its backward pass.

The intermediate representation of a vector/matrix model, for explain and for train:

- :func:`build_tensor_graph` (graph.py): a :class:`~symback.model.tensor_spec.TensorProblem` ->
  :class:`TensorGraph`, a topologically ordered tuple of :class:`TNode` ``name = op(args) ∈ ℝ^shape``;
  ``node.rule`` is the operation's entry in :data:`symback.model.tensor_ops.OPS` (forward, VJP per
  operand, rule name, entry-by-entry line, display formula, NumPy code);
- :func:`tensor_pass` (values.py): float64 forward values, the adjoints of one reverse pass
  (:func:`symback.core.reverse.backward` with ``pull`` = the vector-Jacobian product) and the gradient;
- kernels.py: the float64 and SymPy kernels the operations are written against.

    >>> from symback.model.tensor_spec import tensor_problem
    >>> p = tensor_problem("y_hat = w @ x", params={"w": [1.0, 2.0]}, sample={"x": [1.0, 1.0], "y": 2.0})
    >>> g = build_tensor_graph(p)
    >>> tensor_pass(g, p.param_values, p.sample(0)).gradient["w"].tolist()
    [2.0, 2.0]
"""

from .graph import Edge, ShapeError, TensorGraph, TNode, build_tensor_graph, space
from .values import TensorPass, backward_values, forward_values, step, tensor_pass

__all__ = ["Edge", "ShapeError", "TensorGraph", "TNode", "build_tensor_graph", "space", "TensorPass",
           "backward_values", "forward_values", "step", "tensor_pass"]
