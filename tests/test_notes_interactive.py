"""symback notes --interactive: one offline page to step through the forward and backward pass.

The page is driven in a real browser: Selenium with Debian's chromium and chromium-driver,
headless. Without them these tests skip, unless CI=true (then a missing browser fails).
"""

import json
import os
import re
import shutil

import pytest
from click.testing import CliRunner

from symback import problem
from symback.cli import cli
from symback.lang import wording
from symback.notes import render_files
from symback.notes.lesson import build_lesson
from symback.notes.steps import program, render_text

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")
HOSTILE = "</script><script>alert(1)</script> & <b>"


def _need(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} missing but CI=true")
    pytest.skip(f"{what} not installed")


@pytest.fixture(scope="module")
def seed():
    return build_lesson(texts={"title": HOSTILE})


@pytest.fixture(scope="module")
def pages(seed, tmp_path_factory):
    """The seed lesson's interactive page, the logistic example's, and its plain notes."""
    from symback.cli.options import build_problem, lesson_of
    from symback.train.run import settings

    folder = tmp_path_factory.mktemp("pages")
    (folder / "seed.html").write_text(render_files(seed, "x.html", interactive=True)["x.html"], encoding="utf-8")
    path = os.path.join(EXAMPLES, "logistic.toml")
    content = lesson_of(path)
    logistic = build_lesson(build_problem(None, None, (), None, None, path, content), 0,
                            settings(build_problem(None, None, (), None, None, path, content), epochs=5, mode="batch"))
    for name, interactive in (("logistic.html", True), ("logistic-notes.html", False)):
        (folder / name).write_text(render_files(logistic, "x.html", interactive=interactive)["x.html"], encoding="utf-8")
    return folder, logistic


def _browser(javascript: bool = True):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need("selenium")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        _need("chromium or chromium-driver")
    options = Options()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1200,900"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def _open(browser, pages, name):
    browser.get((pages[0] / name).as_uri())
    return browser


def _press(browser, key, times=1):
    from selenium.webdriver.common.by import By

    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(times):
        body.send_keys(key)


def _text(browser, element_id):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, element_id).text


def _current_box(browser):
    from selenium.webdriver.common.by import By

    return [int(g.get_attribute("data-sb-node")) for g in browser.find_elements(By.CSS_SELECTOR, "g.sb-current")]


def test_the_page_carries_its_program_as_data_and_only_our_script(seed):
    page = render_files(seed, "x.html", interactive=True)["x.html"]
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts == [' type="application/json" id="sb-program"', ""]
    assert "src=" not in page and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    data = page[page.index('id="sb-program">') + 16:page.index("</script>")]
    assert "<" not in data and json.loads(data)["values"][0] == 1.0


def test_the_teachers_title_cannot_end_the_script(seed):
    page = render_files(seed, "x.html", interactive=True)["x.html"]
    assert page.count("<script") == 2 and "alert(1)</script>" not in page


def test_every_step_is_printed_for_a_page_without_javascript(seed):
    page = render_files(seed, "x.html", interactive=True)["x.html"]
    for line in ("ŷ = w·x = 1·1 = 1", "∂L/∂r = ∂L/∂L × 2r = 1 × (−2) = −2", "w ← w − η·∂L/∂w = 1 − 0.01·(−2) = 1.02"):
        assert f"<li>{line}</li>" in page


def test_a_node_used_twice_gets_a_step_that_adds():
    p = program(build_lesson(problem("w*x + w**2", params={"w": 0.6})).derivation, 0.01)
    texts = [render_text(s["text"], p.values) for s in p.steps]
    assert "∂L/∂w = (−2.08) + (−2.496) = −4.5760000000000005" in texts


def test_interactive_is_for_html_only(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "--interactive", "-o", str(tmp_path / "n.md")])
    assert result.exit_code == 2 and "interactive page is written as .html" in result.stderr


def test_the_command_line_writes_the_page(tmp_path):
    result = CliRunner().invoke(cli, ["notes", "--interactive", "--lang", "zh", "-o", str(tmp_path / "n.html")])
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert result.exit_code == 0 and 'id="sb-stepper"' in page and "下一步" in page


def test_the_browser_steps_forward_then_backward_with_the_arrow_keys(browser, pages, seed):
    from selenium.webdriver.common.keys import Keys

    p = program(seed.derivation, seed.problem.lr)
    _open(browser, pages, "seed.html")
    shown = [_text(browser, "sb-equation")]
    for _ in p.steps[1:]:
        _press(browser, Keys.ARROW_RIGHT)
        shown.append(_text(browser, "sb-equation"))
    assert shown == [render_text(s["text"], p.values) for s in p.steps]  # the script's numbers are symback's


def test_the_current_node_is_highlighted_and_the_gradient_shown_on_its_edge(browser, pages, seed):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    p = program(seed.derivation, seed.problem.lr)
    _open(browser, pages, "seed.html")
    assert _current_box(browser) == [p.keys[seed.derivation.graph.nodes[0].name]]  # ŷ first
    _press(browser, Keys.ARROW_RIGHT, 4)  # ŷ, r, L, ∂L/∂L, then ∂L/∂r arrives along r -> L
    labels = [(t.get_attribute("data-sb-label"), t.text) for t in browser.find_elements(By.CSS_SELECTOR, "text.sb-label")
              if t.text]
    r, L = (p.keys[seed.derivation.graph.nodes[k].name] for k in (1, 2))
    assert _current_box(browser) == [r] and labels == [(f"{r}-{L}", "−2")]
    _press(browser, Keys.ARROW_LEFT)
    assert _text(browser, "sb-equation") == "∂L/∂L = 1" and "backward" in _text(browser, "sb-phase")


def test_a_new_learning_rate_changes_the_update(browser, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages, "seed.html")
    field = browser.find_elements(By.CSS_SELECTOR, "input[data-sb-field]")[-1]
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("0.1")
    _press(browser, Keys.ARROW_RIGHT, 7)
    assert _text(browser, "sb-equation") == "w ← w − η·∂L/∂w = 1 − 0.1·(−2) = 1.2"


def test_a_new_sample_changes_every_step(browser, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, pages, "seed.html")
    x = browser.find_elements(By.CSS_SELECTOR, "input[data-sb-field]")[1]
    x.send_keys(Keys.CONTROL, "a")
    x.send_keys("3")
    x.send_keys(Keys.ARROW_RIGHT)  # typing in a field does not move the steps
    assert _text(browser, "sb-equation") == "ŷ = w·x = 1·3 = 3"
    _press(browser, Keys.ARROW_RIGHT, 7)
    assert _text(browser, "sb-equation") == "w ← w − η·∂L/∂w = 1 − 0.01·6 = 0.94"  # r = 1, ∂L/∂w = 2rx = 6


def test_the_logistic_page_computes_the_numbers_symback_does(browser, pages):
    from selenium.webdriver.common.keys import Keys

    p = program(pages[1].derivation, pages[1].problem.lr)
    _open(browser, pages, "logistic.html")
    _press(browser, Keys.ARROW_RIGHT, len(p.steps) - 1)
    shown = [float(n.replace("−", "-")) for n in re.findall(r"−?\d+(?:\.\d+)?(?:e[-+]\d+)?", _text(browser, "sb-equation"))]
    expected = render_text(p.steps[-1]["text"], p.values)
    wanted = [float(n.replace("−", "-")) for n in re.findall(r"−?\d+(?:\.\d+)?(?:e[-+]\d+)?", expected)]
    assert shown == pytest.approx(wanted, rel=1e-12)


def test_the_screenshot_is_not_blank_and_shows_the_highlight(browser, pages, tmp_path):
    import io

    import numpy
    from PIL import Image

    _open(browser, pages, "logistic.html")
    browser.find_element("id", "sb-stepper").location_once_scrolled_into_view
    rgb = numpy.asarray(Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")).astype(int)
    (tmp_path / "page.png").write_bytes(browser.get_screenshot_as_png())
    red = ((rgb[..., 0] > 170) & (rgb[..., 1] < 60) & (rgb[..., 2] < 80)).sum()  # the highlight, C8102E
    assert (rgb < 200).any(axis=2).mean() > 0.02 and red > 100


def test_the_wide_logistic_tables_and_program_fit_1200_pixels(browser, pages):
    _open(browser, pages, "logistic-notes.html")
    overflow = browser.execute_script(
        "return Array.from(document.querySelectorAll('.wide')).map(d => d.scrollWidth - d.clientWidth);")
    listing = browser.execute_script("return document.querySelectorAll('.wide table.listing').length;")
    assert listing == 1 and max(overflow) <= 0  # the program's notes wrap beside its code


def test_without_javascript_the_controls_hide_and_every_step_shows(pages):
    from selenium.webdriver.common.by import By

    driver = _browser(javascript=False)
    try:
        driver.get((pages[0] / "seed.html").as_uri())
        controls = driver.find_element(By.CSS_SELECTOR, ".sb-controls")
        steps = driver.find_elements(By.CSS_SELECTOR, "#sb-all li")
        assert not controls.is_displayed() and len(steps) == 8 and steps[-1].text.endswith("= 1.02")
    finally:
        driver.quit()


def test_a_graph_too_big_to_draw_is_a_one_line_error(seed, monkeypatch):
    from symback.errors import SpecError
    from symback.notes import layout

    monkeypatch.setattr(layout, "MAX_NODES", 2)
    with pytest.raises(SpecError, match="too big to draw"):
        render_files(seed, "x.html", interactive=True)


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(EXAMPLES) if n.endswith(".toml")))
def test_every_example_lesson_steps_through_with_symbacks_numbers(browser, tmp_path, name):
    from selenium.webdriver.common.keys import Keys

    from symback.cli.options import build_problem, lesson_of
    from symback.train.run import settings

    path = os.path.join(EXAMPLES, name)
    content = lesson_of(path)
    example = build_problem(None, None, (), None, None, path, content)
    lesson = build_lesson(example, 0, settings(example, epochs=2, mode=content["mode"]))
    (tmp_path / "page.html").write_text(render_files(lesson, "x.html", interactive=True)["x.html"], encoding="utf-8")
    p = program(lesson.derivation, lesson.problem.lr)
    browser.get((tmp_path / "page.html").as_uri())
    shown, lit = [_text(browser, "sb-equation")], [len(_current_box(browser))]
    for _ in p.steps[1:]:
        _press(browser, Keys.ARROW_RIGHT)
        shown.append(_text(browser, "sb-equation"))
        lit.append(len(_current_box(browser)))
    assert shown == [render_text(s["text"], p.values) for s in p.steps] and min(lit) >= 1
