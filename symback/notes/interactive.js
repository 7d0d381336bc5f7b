/* symback's step-through: replays the forward and backward pass of one sample.
   The program (slots, expression trees, steps) is JSON data written by symback/notes/steps.py;
   this script evaluates the trees with its own small interpreter, never eval, and writes only
   text (textContent), never HTML. Without JavaScript the page shows every step as printed. */
(function () {
  "use strict";
  var root = document.getElementById("sb-stepper");
  var data = JSON.parse(document.getElementById("sb-program").textContent);
  var values = data.values.slice();
  var current = 0;

  var FUNCTIONS = {
    exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, tan: Math.tan, tanh: Math.tanh,
    abs: Math.abs, sign: Math.sign,
    sigmoid: function (z) { return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); },
    relu: function (z) { return z > 0 ? z : 0; },
    step: function (z) { return z > 0 ? 1 : 0; }
  };

  function evaluate(tree) {
    var op = tree[0], i, out;
    if (op === "n") { return tree[1]; }
    if (op === "v") { return values[tree[1]]; }
    if (op === "+") { out = 0; for (i = 1; i < tree.length; i++) { out += evaluate(tree[i]); } return out; }
    if (op === "*") { out = 1; for (i = 1; i < tree.length; i++) { out *= evaluate(tree[i]); } return out; }
    if (op === "^") { return Math.pow(evaluate(tree[1]), evaluate(tree[2])); }
    if (op === "f") { return FUNCTIONS[tree[1]](evaluate(tree[2])); }
    throw new Error("unknown operation " + op);
  }

  /* Everything from the fields: forward, locals, backward, updates (the order steps.py gives). */
  function run() {
    data.nodes.forEach(function (n) { values[n[0]] = evaluate(n[1]); });
    data.locals.forEach(function (l) { values[l[0]] = evaluate(l[1]); });
    data.backward.forEach(function (b) {
      if (b[0] === "seed") { values[b[1]] = 1; }
      else if (b[0] === "zero") { values[b[1]] = 0; }
      else if (b[0] === "mul") { values[b[1]] = values[b[2]] * values[b[3]]; }
      else if (b[0] === "add") { values[b[1]] += values[b[2]]; }
    });
    data.updates.forEach(function (u) { values[u[0]] = values[u[1]] - values[u[3]] * values[u[2]]; });
  }

  /* Python's shortest round-trip form, as symback prints numbers: 2, 1.02, 1e-05, −2. */
  function number(x) {
    var text;
    if (!isFinite(x)) { text = isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf"); }
    else if (x === 0) { text = "0"; }
    else if (Number.isInteger(x) && Math.abs(x) < 1e16) { text = x.toFixed(0); }
    else {
      var parts = Math.abs(x).toExponential().split("e");
      var digits = parts[0].replace(".", ""), exp = parseInt(parts[1], 10);
      if (exp < -4 || exp >= 16) {
        var e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
        text = parts[0] + "e" + (exp < 0 ? "-" : "+") + e;
      } else if (exp < 0) {
        text = "0." + "0".repeat(-exp - 1) + digits;
      } else {
        while (digits.length <= exp) { digits += "0"; }
        text = digits.slice(0, exp + 1) + (digits.length > exp + 1 ? "." + digits.slice(exp + 1) : "");
      }
      text = (x < 0 ? "-" : "") + text;
    }
    return text.replace(/-/g, "\u2212");
  }

  /* Four significant digits, as the figure shows them. */
  function short(x) { return isFinite(x) ? number(Number(x.toPrecision(4))) : number(x); }

  function render(pieces) {
    return pieces.map(function (p) {
      if (typeof p === "string") { return p; }
      var text = number(values[p.s]);
      return p.p && values[p.s] < 0 ? "(" + text + ")" : text;
    }).join("");
  }

  function each(selector, fn) { Array.prototype.forEach.call(root.querySelectorAll(selector), fn); }

  function show() {
    var step = data.steps[current];
    var seen = {};
    data.steps.slice(0, current + 1).forEach(function (s) { if (s.done || s.phase === "update") { seen[s.box] = true; } });
    each("[data-sb-value]", function (el) {
      el.textContent = el.getAttribute("data-sb-word") + " " + short(values[+el.getAttribute("data-sb-value")]);
    });
    each("[data-sb-grad]", function (el) {
      var slot = +el.getAttribute("data-sb-grad"), box = +el.getAttribute("data-sb-box");
      el.textContent = seen[box] ? el.getAttribute("data-sb-word") + " " + short(values[slot]) : "";
    });
    each("[data-sb-node]", function (el) {
      el.classList.toggle("sb-current", +el.getAttribute("data-sb-node") === step.box);
    });
    var edge = step.edge ? step.edge.join("-") : "";
    each("[data-sb-edge]", function (el) { el.classList.toggle("sb-current", el.getAttribute("data-sb-edge") === edge); });
    each("[data-sb-label]", function (el) {
      el.textContent = el.getAttribute("data-sb-label") === edge ? short(values[step.arrives]) : "";
    });
    document.getElementById("sb-equation").textContent = render(step.text);
    document.getElementById("sb-phase").textContent = root.getAttribute("data-sb-" + step.phase) + " \u00b7 " +
      root.getAttribute("data-sb-count").replace("{k}", current + 1).replace("{n}", data.steps.length);
    each("#sb-all li", function (li, k) {
      li.textContent = render(data.steps[k].text);
      li.classList.toggle("sb-current", k === current);
    });
    document.getElementById("sb-back").disabled = current === 0;
    document.getElementById("sb-next").disabled = current === data.steps.length - 1;
  }

  function go(k) { current = Math.max(0, Math.min(data.steps.length - 1, k)); show(); }

  function read() {
    each("input[data-sb-field]", function (input) {
      var value = parseFloat(input.value);
      var ok = input.value.trim() !== "" && isFinite(value);
      input.setAttribute("aria-invalid", ok ? "false" : "true");
      if (ok) { values[+input.getAttribute("data-sb-field")] = value; }
    });
    run();
    show();
  }

  document.getElementById("sb-back").addEventListener("click", function () { go(current - 1); });
  document.getElementById("sb-next").addEventListener("click", function () { go(current + 1); });
  document.getElementById("sb-start").addEventListener("click", function () { go(0); });
  each("input[data-sb-field]", function (input) { input.addEventListener("input", read); });
  document.addEventListener("keydown", function (event) {
    if (event.target && event.target.tagName === "INPUT") { return; }
    if (event.key === "ArrowRight") { go(current + 1); event.preventDefault(); }
    else if (event.key === "ArrowLeft") { go(current - 1); event.preventDefault(); }
  });
  root.classList.add("sb-live");
  run();
  show();
}());
