"""Outside text stays text in the real app: Markdown, HTML and Streamlit's own Markdown extensions
(`:red[...]`, `:material/...:`, `$...$`) in a link parameter, a CSV cell and a typed number are
shown as the characters they are, with no link, image, colour, icon or formula made of them."""
import urllib.parse

import pytest

from tests.browser.conftest import exceptions_on, wait_for_app

pytestmark = pytest.mark.browser

EVIL = "evil.example"
# What a rendered payload would leave inside a message's text: a link to the host, an image, a
# KaTeX formula, bold text, an icon (the alert's own icon sits outside its Markdown container).
RENDERED = f"""() => [...document.querySelectorAll("[data-testid='stAlert'] [data-testid='stMarkdownContainer']")]
    .flatMap(box => [...box.querySelectorAll("a[href*='{EVIL}'], img, .katex, strong, [data-testid='stIconMaterial']")])
    .map(e => e.outerHTML.slice(0, 120))"""


def _alert_text(page) -> str:
    """The messages' visible text (without core.text's invisible word joiner)."""
    return " ".join(page.locator("[data-testid='stAlert']").all_inner_texts()).replace("\u2060", "")


def test_link_parameters_show_as_text(page, server_url):
    link, image, colour = f"[click me](http://{EVIL}/)", f"![x](http://{EVIL}/p.png)", ":red[alarm] **big** $x^2$"
    query = urllib.parse.urlencode({"lr": link, "opt": image, "act": colour, "ds": ":material/home:"})
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if urllib.parse.urlparse(r.url).hostname == EVIL else None)
    page.goto(f"{server_url}/playground?{query}")
    wait_for_app(page)
    text = _alert_text(page)
    for payload in (link, image, colour, ":material/home:"):
        assert payload in text, (payload, text)  # the very characters: no link, colour, formula or icon
    assert page.evaluate(RENDERED) == []
    assert fetched == []  # no visitor's browser fetches anything from the payload's host
    assert not exceptions_on(page)


def test_a_csv_cell_and_a_typed_number_show_as_text(page, server_url, tmp_path):
    cell = f"[x](http://{EVIL}/)"
    path = tmp_path / "evil.csv"
    path.write_text("\n".join(["x1,x2,label"] + ["1,2,0", "2,1,1"] * 6 + [f'1,"{cell}",0']) + "\n")
    page.goto(f"{server_url}/playground")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(path))
    page.wait_for_function(f"document.body.innerText.includes('{cell}')", timeout=60_000)
    assert cell in _alert_text(page) and page.evaluate(RENDERED) == []

    page.goto(f"{server_url}/activations")
    wait_for_app(page)
    page.get_by_role("tab", name="Softmax & temperature").click()
    box = page.locator(".st-key-act_logits input")
    box.fill(":red[alarm]")
    box.press("Enter")
    page.wait_for_function("document.body.innerText.includes(':red[alarm]')", timeout=60_000)
    assert ":red[alarm]" in _alert_text(page) and page.evaluate(RENDERED) == []
    assert not exceptions_on(page)
