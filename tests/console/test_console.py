"""The practice admin's stories, in chromium: log in, see the services, switch one off and on,
find a failed send and why, resend it, open the sent PDF, read and export the journal; and a
foreign page that cannot drive any of it."""

from __future__ import annotations

import asyncio
import base64
import csv
import datetime as dt
import io
import re
import time
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web
from click.testing import CliRunner

from aiguillage.cli import main
from aiguillage.console import codes

from .conftest import Daemon, log_in, screenshot
from conftest import BUILT_IN_PLUGINS

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RUTH = {
    "ins": {"matricule": "277076322082910"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
    },
}
#: The browser's time zone (the browser fixture's).
PARIS = ZoneInfo("Europe/Paris")
#: A date as the console shows it: JJ/MM/AAAA HH:MM.
DATE_TIME = re.compile(r"(?<!\d)\d{2}/\d{2}/\d{4} \d{2}:\d{2}(?!\d)")


async def send_to_dmp(daemon: Daemon) -> int:
    body = {
        "patient": RUTH,
        "document": {
            "pdf": base64.b64encode(PDF).decode(),
            "title": "Consultation",
            "type_code": "11488-4",
        },
    }
    status, answer = await daemon.call("POST", "/v1/dmp/documents", json=body)
    assert status == 202, answer
    return answer["id"]


async def outbox_state(daemon: Daemon, item: int, *states: str) -> dict:
    deadline = time.monotonic() + 15
    while True:
        status, answer = await daemon.call("GET", f"/v1/outbox/{item}")
        assert status == 200, answer
        if answer["state"] in states:
            return answer
        assert time.monotonic() < deadline, answer
        await asyncio.sleep(0.05)


async def test_log_in_with_a_token_and_see_every_service(daemon, browser, request):
    page = await browser.new_page()
    await page.goto(daemon.origin + "/console/")
    await page.get_by_label("Jeton d'administration").fill("agl_not-a-token")
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_text("Connexion refusée").wait_for()
    assert "Invalid token" in await page.get_by_role("alert").first.text_content()
    await screenshot(page, request, "login-refused")
    # An EHR's token, even one with every service scope, does not open the console.
    await page.get_by_label("Jeton d'administration").fill(daemon.add_app("ehr", ["*"]))
    await page.get_by_role("button", name="Se connecter").click()
    await page.get_by_text("is not an admin app").wait_for()
    assert await page.evaluate("sessionStorage.getItem('aiguillage.token')") is None

    await log_in(page, daemon)
    _, listed = await daemon.call("GET", "/v1/plugins")
    names = [p["name"] for p in listed["plugins"]]
    assert set(BUILT_IN_PLUGINS) <= set(names)
    cards = page.locator("section.card")
    assert await cards.count() == len(names)
    for name in names:
        card = page.locator(f'section[data-plugin="{name}"]')
        assert await card.get_by_role("switch", name=f"Service {name} activé").is_checked()
        text = await card.text_content()
        assert "activé" in text and "simulateur" in text
    await page.locator(".health.up").first.wait_for()
    assert DATE_TIME.search(await page.locator("main").text_content())
    # The token is in the tab only: no cookie anywhere.
    assert await page.evaluate("sessionStorage.getItem('aiguillage.token')") == daemon.admin_token
    assert await browser.cookies() == []
    await page.locator("#live[data-connected=yes]").wait_for()
    await screenshot(page, request, "services", doc="services")

    for label, name in (("Boîte MSSanté", "boite"), ("Annuaire", "annuaire")):
        await page.get_by_role("link", name=label).click()
        await page.locator(f'div.page[data-page="{name}"]').wait_for()
        await page.get_by_role("heading", name=label).wait_for()
        await screenshot(page, request, name)
    await page.get_by_label("Nom, ville ou profession").fill("dupont")
    await page.get_by_role("button", name="Rechercher").click()
    # No directory imported here: the page says so in words.
    await page.get_by_text("directory").first.wait_for()

    # A token pasted by hand belongs to an app made with 'apps add': logging out forgets it, and
    # says it stays valid.
    await page.get_by_role("button", name="Se déconnecter").click()
    await page.get_by_text("Le jeton saisi reste valable").wait_for()
    assert await page.evaluate("sessionStorage.getItem('aiguillage.token')") is None
    assert (await daemon.call("GET", "/v1/plugins"))[0] == 200


async def test_log_in_with_a_one_time_code(daemon, browser, request):
    """``aiguillage console`` prints the address with a code; the page trades it for an admin
    token, takes it out of the address bar, and the code never serves twice."""
    args = ["console", "--data-dir", str(daemon.data_dir), "--port", str(daemon.server.port)]
    done = await asyncio.to_thread(CliRunner().invoke, main, args)
    assert done.exit_code == 0, done.output
    url = done.stdout.strip()
    assert re.fullmatch(rf"{daemon.origin}/console/#code=[A-Za-z0-9_-]{{32}}", url), url
    code = url.rpartition("=")[2]
    assert code not in (daemon.data_dir / codes.DB).read_bytes().decode("latin-1")

    page = await browser.new_page()
    await page.goto(url)
    await page.locator('div.page[data-page="services"][data-loaded]').wait_for()
    assert page.url == f"{daemon.origin}/console/#/services"
    await page.go_back()  # the code is not in the history either
    assert page.url == f"{daemon.origin}/console/"
    token = await page.evaluate("sessionStorage.getItem('aiguillage.token')")
    assert (await daemon.call("GET", "/v1/plugins", token=token))[0] == 200
    _, rows = await daemon.call("GET", "/v1/journal", params={"event": "console.login"})
    (row,) = rows["rows"]
    assert row["client"].startswith("console-") and row["client"] in row["summary"]
    await screenshot(page, request, "services")

    # "Se déconnecter" revokes the session's app: the token is dead, not only forgotten.
    await page.get_by_role("button", name="Se déconnecter").click()
    await page.get_by_text("la session de la console est révoquée").wait_for()
    assert await page.evaluate("sessionStorage.getItem('aiguillage.token')") is None
    status, problem = await daemon.call("GET", "/v1/plugins", token=token)
    assert (status, problem["type"]) == (401, "urn:aiguillage:problem:invalid-token")
    _, rows = await daemon.call("GET", "/v1/journal", params={"event": "console.logout"})
    assert [r["client"] for r in rows["rows"]] == [row["client"]]
    await screenshot(page, request, "logged-out")

    again = await browser.new_page()
    await again.goto(url)
    await again.get_by_text("Le code de connexion n'a pas été accepté").wait_for()
    assert "invalid-login-code" not in again.url and "#code" not in again.url
    assert await again.evaluate("sessionStorage.getItem('aiguillage.token')") is None
    await screenshot(again, request, "code-used")


async def test_switch_a_service_off_and_on(daemon, browser, request):
    page = await browser.new_page()
    await log_in(page, daemon)
    switch = page.get_by_role("switch", name="Service insi activé")
    assert (await daemon.call("POST", "/v1/ins/search", json={}))[0] == 422

    await switch.focus()  # by keyboard: the switch is a real checkbox
    await page.keyboard.press("Space")
    card = page.locator('section.card.off[data-plugin="insi"]')
    await card.wait_for()
    assert await page.evaluate("document.activeElement.id") == "toggle-insi"
    assert "désactivé" in await card.text_content()
    assert not await page.get_by_role("switch", name="Service insi activé").is_checked()
    status, problem = await daemon.call("POST", "/v1/ins/search", json={})
    assert (status, problem["type"]) == (404, "urn:aiguillage:problem:plugin-disabled")
    await screenshot(page, request, "insi-off")

    await page.get_by_role("switch", name="Service insi activé").click()
    await page.locator('section.card.on[data-plugin="insi"]').wait_for()
    assert (await daemon.call("POST", "/v1/ins/search", json={}))[0] == 422
    _, rows = await daemon.call("GET", "/v1/journal", params={"event": "config.changed"})
    assert len(rows["rows"]) == 2
    await screenshot(page, request, "insi-on")


async def test_a_failed_send_shows_why_and_a_resend_delivers_it(daemon, browser, request):
    await daemon.dmp_faults(outage=True)
    item = await send_to_dmp(daemon)
    await outbox_state(daemon, item, "dead")

    page = await browser.new_page()
    await log_in(page, daemon)
    await page.get_by_role("link", name="Envois").click()
    await page.get_by_label("État").select_option(label="abandonné")
    await page.get_by_label("Service").select_option("dmp")
    await page.get_by_role("button", name="Filtrer").click()
    row = page.locator(f'tr[data-id="{item}"][data-state="dead"]')
    await row.wait_for()
    assert "DMPServiceUnavailable" in await row.text_content()
    assert await page.locator("tbody tr").count() == 1
    await row.get_by_role("button", name=f"Détail n° {item}").click()
    why = page.locator(".detail .why")
    await why.wait_for()
    assert "gave up after 2 attempts" in await why.text_content()
    assert "DMPServiceUnavailable" in await why.text_content()
    assert await page.locator(".detail tbody tr").count() == 2  # the two attempts
    await screenshot(page, request, "envois", doc="envois")

    await daemon.dmp_faults(outage=False)
    await page.get_by_role("button", name="Renvoyer").click()
    # The event stream tells the page when the item is delivered.
    await page.locator(".detail .state-value", has_text="envoyé").wait_for()
    assert (await outbox_state(daemon, item, "sent"))["attempts"] == 1
    await screenshot(page, request, "resent")


async def test_open_the_sent_pdf(daemon, browser, request):
    item = await send_to_dmp(daemon)
    await outbox_state(daemon, item, "sent")
    page = await browser.new_page()
    await log_in(page, daemon)
    await page.goto(daemon.origin + "/console/#/envois")
    await page.get_by_role("button", name=f"Détail n° {item}").click()
    # The page's CSP lets nothing fetch a blob: keep what it hands to createObjectURL.
    await page.evaluate(
        """() => {
            const create = URL.createObjectURL;
            window.opened = [];
            URL.createObjectURL = (blob) => { window.opened.push(blob); return create(blob); };
        }"""
    )
    async with page.expect_popup() as opened:
        await page.get_by_role("button", name="Ouvrir le PDF").click()
    popup = await opened.value
    assert popup.url.startswith(f"blob:{daemon.origin}/")
    data = await page.evaluate(
        """async () => {
            const blob = window.opened.at(-1);
            return {type: blob.type, bytes: Array.from(new Uint8Array(await blob.arrayBuffer()))};
        }"""
    )
    assert data["type"] == "application/pdf"
    assert bytes(data["bytes"]) == PDF
    await screenshot(page, request, "envoi-sent")


async def test_filter_the_journal_and_download_the_csv(daemon, browser, request):
    await outbox_state(daemon, await send_to_dmp(daemon), "sent")
    page = await browser.new_page()
    await log_in(page, daemon)
    await page.get_by_role("link", name="Journal").click()
    await page.locator('tr[data-event="daemon.started"]').wait_for()
    await page.get_by_label("Du").fill("31/02/2026")
    await page.get_by_role("button", name="Filtrer").click()
    await page.get_by_text("« 31/02/2026 » n'est pas une date du calendrier").wait_for()
    today = dt.datetime.now(PARIS).strftime("%d/%m/%Y")  # the browser's day
    await page.get_by_label("Du").fill(today)
    await page.get_by_label("Au").fill(today)
    await page.get_by_label("Événement").fill("dmp")
    await page.get_by_role("button", name="Filtrer").click()
    await page.locator('tr[data-event^="dmp"]').first.wait_for()
    events = await page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.event)")
    assert events and all(e.startswith("dmp") for e in events)
    await page.locator(".chain.ok", has_text="intacte").wait_for()
    await screenshot(page, request, "journal")

    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="Exporter en CSV").click()
    download = await downloading.value
    assert re.fullmatch(r"aiguillage-journal-\d{8}-\d{6}\.csv", download.suggested_filename)
    path = await download.path()
    text = await asyncio.to_thread(path.read_text, encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["event"] for r in rows) == sorted(events)


FOREIGN_PAGE = """<!doctype html><meta charset="utf-8"><title>ailleurs</title>
<iframe src="{daemon}/console/" title="console"></iframe>
<script>
window.results = {{}};
const tried = (name, promise) => promise.then(
  (r) => {{ window.results[name] = r.status; }},
  (e) => {{ window.results[name] = "refused: " + e.name; }});
tried("api", fetch("{daemon}/v1/plugins", {{headers: {{Authorization: "Bearer {token}"}}}}));
tried("toggle", fetch("{daemon}/v1/plugins/insi", {{method: "PUT",
  headers: {{Authorization: "Bearer {token}", "Content-Type": "application/json"}},
  body: JSON.stringify({{enabled: false}})}}));
tried("login", fetch("{daemon}/v1/console/login", {{method: "POST",
  headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({{code: "{code}"}})}}));
</script>"""


async def test_a_foreign_origin_cannot_drive_the_console(daemon, browser, request, aiohttp_server):
    """A page elsewhere, even holding the admin token and a login code, gets nothing: the
    daemon refuses its Origin, and the console refuses to be framed."""
    code = codes.issue(daemon.data_dir)
    foreign = web.Application()

    async def evil(request: web.Request) -> web.Response:
        page = FOREIGN_PAGE.format(daemon=daemon.origin, token=daemon.admin_token, code=code)
        return web.Response(text=page, content_type="text/html")

    foreign.router.add_get("/", evil)
    elsewhere = await aiohttp_server(foreign)
    page = await browser.new_page()
    await page.goto(f"http://127.0.0.1:{elsewhere.port}/")
    await page.wait_for_function("Object.keys(window.results).length === 3")
    results = await page.evaluate("window.results")
    assert all(str(v).startswith("refused") for v in results.values()), results
    (_, framed) = page.frames
    assert await framed.locator("#token").count() == 0  # frame-ancestors 'none': not shown
    await screenshot(page, request, "foreign-page")
    # Refused by the daemon, not only by the browser: the service is still on, the code unused.
    status, listed = await daemon.call("GET", "/v1/plugins")
    assert all(p["enabled"] for p in listed["plugins"])

    origin = f"http://127.0.0.1:{elsewhere.port}"
    status, problem = await daemon.call("GET", "/v1/plugins", headers={"Origin": origin})
    assert (status, problem["type"]) == (403, "urn:aiguillage:problem:origin-not-allowed")
    # The console's own origin takes an admin token, and no other.
    assert (await daemon.call("GET", "/v1/plugins", headers={"Origin": daemon.origin}))[0] == 200
    ehr = daemon.add_app("ehr", ["insi"], origins=[origin])
    status, problem = await daemon.call(
        "GET", "/v1/health", token=ehr, headers={"Origin": daemon.origin}
    )
    assert (status, problem["type"]) == (403, "urn:aiguillage:problem:origin-not-allowed")
    assert (await daemon.call("GET", "/v1/health", token=ehr, headers={"Origin": origin}))[0] == 200
    # An EHR's origin, allowlisted for its app, may not trade a login code either.
    status, problem = await daemon.call(
        "POST", "/v1/console/login", json={"code": code}, headers={"Origin": origin}
    )
    assert (status, problem["type"]) == (403, "urn:aiguillage:problem:origin-not-allowed")
    status, session = await daemon.call("POST", "/v1/console/login", json={"code": code})
    assert status == 200 and session["scopes"] == ["admin"]
    status, problem = await daemon.call("POST", "/v1/console/login", json={"code": code})
    assert (status, problem["type"]) == (401, "urn:aiguillage:problem:invalid-login-code")


async def test_the_console_files_carry_a_strict_policy(daemon):
    status, html = await daemon.call("GET", "/console/", headers={"Authorization": ""})
    assert status == 200 and '<script type="module" src="app.js">' in html
    async with aiohttp.ClientSession() as session:
        for name in ("", "app.js", "style.css"):
            async with session.get(f"{daemon.origin}/console/{name}") as response:
                assert response.status == 200
                csp = response.headers["Content-Security-Policy"]
                assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
                assert "unsafe" not in csp
                assert response.headers["X-Frame-Options"] == "DENY"
                assert response.headers["Cache-Control"] == "no-cache"
                assert "Set-Cookie" not in response.headers
        async with session.get(f"{daemon.origin}/console/../clients.db") as response:
            assert response.status in (401, 404)
        async with session.get(f"{daemon.origin}/console/nothing.js") as response:
            assert response.status == 404
        async with session.get(f"{daemon.origin}/console", allow_redirects=False) as response:
            assert (response.status, response.headers["Location"]) == (308, "/console/")
        # The API still wants a token.
        async with session.get(f"{daemon.origin}/v1/plugins") as response:
            assert response.status == 401
