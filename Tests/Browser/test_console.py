"""The console in a real browser (Debian's chromium, headless) against a real `shiftlog serve`."""

import re
import time

from playwright.sync_api import expect

from conftest import SCREENSHOTS, ReadOnlyConsole, Service, screenshot, sign_in


def seed(service):
    """A small fleet: a worker that heartbeats and is killed, one running, items queued."""
    first = service.add(spec="Fix the login form", priority="high")
    worker = service.register(first)
    service.heartbeat(worker, 1)
    status, _ = service.api("POST", f"/api/workers/{worker}/kill", {"reason": "seeded kill"})
    assert status == 200
    second = service.add(repo="acme/api", spec="Speed up search")
    running = service.register(second)
    service.heartbeat(running, 2)
    for index in range(3):
        service.add(repo="acme/docs", spec=f"Write page {index}", priority="low")
    return first, second, running


def test_every_page_loads_without_console_errors(service, page):
    sign_in(page, service)
    first, second, running = seed(service)
    pages = {
        "overview": "/", "workers": "/workers", "items": "/items", "items-filtered": "/items?repo=acme/docs&sort=oldest",
        "item": f"/items/{first}", "events": "/events", "events-filtered": f"/events?item={first}",
        "event": "/events/2", "bulk-cancel": "/items/cancel?repo=acme/docs",
        "what-if": "/what-if?STALE_THRESHOLD=900", "as-of-event-5": "/items?at=5",
    }
    for name, path in pages.items():
        response = page.goto(service.base + path)
        assert response.status == 200, (path, response.status)
        expect(page.locator("main h1")).to_be_visible()
        if name not in ("event", "what-if", "as-of-event-5"):  # pages that do not follow the log
            expect(page.locator("#live-toggle")).to_be_visible()
        screenshot(page, name)
    assert page.errors == []


def test_sign_in_and_a_refused_key(service, page):
    page.goto(service.base + "/items")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/items$"))
    page.fill("#key", "not-the-key")
    page.click("main button[type=submit]")
    expect(page.locator(".message")).to_have_text("That is not this service's API key.")
    assert "not-the-key" not in page.content()
    screenshot(page, "sign-in-refused")
    page.fill("#key", service.api_key)
    page.click("main button[type=submit]")
    expect(page).to_have_url(service.base + "/items")
    expect(page.locator("main h1")).to_have_text("Items")
    assert service.api_key not in page.content()
    assert service.api_key not in page.url
    cookie = next(c for c in page.context.cookies() if c["name"] == "shiftlog_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > time.time()
    # The refusal is in the log, as other refusals are, and the key is in no event.
    page.goto(service.base + "/events?type=accessRefused")
    expect(page.locator("#events tbody tr")).to_have_count(1)
    expect(page.locator("#events tbody")).to_contain_text("POST /sign-in: invalid credential")
    page.click("text=Sign out")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    # The refused sign-in's own 401 is the only failed load.
    assert page.errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]


def test_each_action_through_the_page_changes_the_log(service, page):
    sign_in(page, service)
    page.goto(service.base + "/items")
    page.fill("#add-repo", "acme/web")
    page.fill("#add-spec", "Added from the console")
    page.select_option("#add-priority", "critical")
    page.click("#add-item button[type=submit]")
    expect(page.locator(".notice")).to_have_text(re.compile(r"^Queued [0-9a-f-]+\.$"))
    added = page.url.rsplit("/", 1)[1]
    assert service.item(added)["priority"] == "critical"
    assert service.item(added)["spec"] == "Added from the console"

    page.fill("#cancel-reason", "changed my mind")
    page.click("#cancel-item button")
    expect(page.locator(".notice")).to_have_text(f"Cancelled {added}.")
    assert service.item(added)["status"] == "cancelled"

    # The cancelled item runs again now; queued, its priority changes.
    page.click("#retry-item button")
    expect(page.locator(".notice")).to_have_text(f"Queued {added} to run again now.")
    assert service.item(added)["status"] == "queued"
    page.select_option("#priority-choice", "low")
    page.click("#priority-item button")
    expect(page.locator(".notice")).to_have_text(f"{added} is now low priority.")
    assert service.item(added)["priority"] == "low"

    second = service.add()
    worker = service.register(second)
    page.goto(service.base + "/workers")
    page.fill(f"#reason-{worker}", "killed from the page")
    page.click(f"button[aria-label='Kill {worker}']")
    expect(page.locator(".notice")).to_have_text(f"Killed {worker}.")
    status, workers = service.api("GET", "/api/workers")
    killed = next(w for w in workers if w["id"] == worker)
    assert killed["status"] == "killed" and "killed from the page" in killed["error"]
    assert page.errors == []


def test_a_change_made_elsewhere_appears_live(service, page):
    sign_in(page, service)
    item = service.add()
    worker = service.register(item)
    page.goto(service.base + "/workers")
    row = page.locator(f"tr[data-worker='{worker}']")
    expect(row).to_contain_text("0 / 50")
    expect(page.locator("#live-state")).to_have_text("live")
    service.heartbeat(worker, 7)
    expect(row).to_contain_text("7 / 50")

    page.goto(service.base + "/items")
    expect(page.locator("#live-state")).to_have_text("live")
    added = service.add(repo="acme/elsewhere", spec="Added by another client")
    expect(page.locator(f"tr[data-item='{added}']")).to_be_visible()

    # Paused, the page stays as it is; live again, it catches up.
    page.click("#live-toggle")
    expect(page.locator("#live-toggle")).to_have_attribute("aria-pressed", "false")
    later = service.add(repo="acme/elsewhere", spec="Added while paused")
    page.wait_for_timeout(500)  # what a paused page must not do: refresh within this time
    expect(page.locator(f"tr[data-item='{later}']")).to_have_count(0)
    page.click("#live-toggle")
    expect(page.locator(f"tr[data-item='{later}']")).to_be_visible()
    assert page.errors == []


def test_bulk_cancel_of_a_filter(service, page):
    sign_in(page, service)
    bulk = [service.add(repo="acme/bulk", spec=f"Bulk {i}") for i in range(5)]
    kept = [service.add(repo="acme/kept", spec=f"Kept {i}") for i in range(2)]
    page.goto(service.base + "/items")
    page.fill("input[name=repo]", "acme/bulk")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#items tbody tr")).to_have_count(5)
    page.click("#bulk-cancel")
    expect(page.locator("main h1")).to_have_text("Cancel 5 items?")
    screenshot(page, "bulk-cancel-confirmation")
    page.click("#bulk-cancel-form button[type=submit]")
    expect(page.locator(".notice")).to_have_text("Cancelled 5 items matching repo acme/bulk.")
    assert all(service.item(i)["status"] == "cancelled" for i in bulk)
    assert all(service.item(i)["status"] == "queued" for i in kept)
    assert page.errors == []


def test_the_item_picture_shows_each_attempt_and_its_marks(service, page):
    sign_in(page, service)
    item = service.add(spec="A long story")
    first = service.register(item)
    service.heartbeat(first, 1)
    service.heartbeat(first, 2)
    time.sleep(1.3)  # a silence past STALE_THRESHOLD=1 s, which the picture must mark
    service.heartbeat(first, 3)
    status, _ = service.api("POST", f"/api/workers/{first}/kill", {"reason": "operator stop"})
    assert status == 200
    assert service.item(item)["status"] == "queued"  # retried after a 1 s backoff
    second = service.register(item)
    service.heartbeat(second, 1)
    status, answer = service.api("POST", f"/api/work/{item}/cancel", {"reason": "enough"})
    assert status == 200, answer

    page.goto(service.base + f"/items/{item}")
    svg = page.locator("svg.timeline")
    expect(svg).to_have_attribute("data-attempts", "2")
    expect(svg.locator("rect.attempt")).to_have_count(2)
    expect(svg.locator(f"rect.attempt.killed[data-worker='{first}']")).to_have_count(1)
    expect(svg.locator("g.heartbeat")).to_have_count(4)
    expect(svg.locator("g.stale-gap")).to_have_count(1)
    expect(svg.locator("g.kill")).to_have_count(1)
    expect(svg.locator("g.backoff")).to_have_count(1)
    expect(svg.locator("g.cancel")).to_have_count(1)
    expect(page.locator("#verdict")).to_contain_text(f"{first} was killed at #")
    expect(page.locator("#verdict")).to_contain_text("A cancel was requested at #")
    screenshot(page, "item-timeline")
    # The README's picture (docs/console-item.png): the page down to the end of the timeline.
    box = page.locator("figure.picture").bounding_box()
    page.screenshot(path=str(SCREENSHOTS / "item-page-top.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": box["y"] + box["height"] + 12})
    assert page.errors == []


def test_script_in_a_spec_or_error_is_shown_as_text(service, page):
    sign_in(page, service)
    payload = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
    item = service.add(spec="Spec " + payload)
    worker = service.register(item)
    status, answer = service.api("POST", f"/api/worker/{worker}/fail", {"error": "Error " + payload, "iteration": 1})
    assert status == 200, answer
    for path in ["/", "/workers", "/items", f"/items/{item}", "/events", "/events/3"]:
        page.goto(service.base + path)
        assert page.evaluate("window.__pwned") is None, path
    page.goto(service.base + f"/items/{item}")
    expect(page.locator("#item-spec")).to_have_text("Spec " + payload)
    assert page.errors == []


def tab_to(page, selector, limit=80):
    """Presses Tab until the element `selector` names has the focus (as a keyboard user would)."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_the_main_actions_by_keyboard_alone(service, page):
    sign_in(page, service)
    page.goto(service.base + "/items")
    tab_to(page, "#add-repo")
    page.keyboard.type("acme/keys")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed without a mouse")
    tab_to(page, "#add-item button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_have_text(re.compile(r"^Queued [0-9a-f-]+\.$"))
    added = page.url.rsplit("/", 1)[1]
    assert service.item(added)["repo"] == "acme/keys"

    tab_to(page, "#cancel-reason")
    page.keyboard.type("by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_have_text(f"Cancelled {added}.")
    assert service.item(added)["status"] == "cancelled"

    item = service.add()
    worker = service.register(item)
    page.goto(service.base + "/workers")
    tab_to(page, f"#reason-{worker}")
    page.keyboard.type("keyboard kill")
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_have_text(f"Killed {worker}.")

    for _ in range(3):
        service.add(repo="acme/keyboard", spec="Bulk by keys")
    page.goto(service.base + "/items?repo=acme/keyboard")
    tab_to(page, "#bulk-cancel")
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_have_text("Cancel 3 items?")
    # The confirming button takes the focus by itself (autofocus, applied after the page renders).
    expect(page.locator("#bulk-cancel-form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".notice")).to_have_text("Cancelled 3 items matching repo acme/keyboard.")
    assert page.errors == []


def test_a_copy_of_a_log_is_served_read_only(service, page):
    first, second, running = seed(service)
    service.stop(keep_folder=True)
    console = ReadOnlyConsole(service.folder + "/data")
    try:
        for path in ["/", "/workers", "/items", f"/items/{first}", "/events", f"/events?item={first}"]:
            response = page.goto(console.base + path)
            assert response.status == 200, path
            expect(page.locator(".read-only")).to_have_text("read-only copy")
            expect(page.locator("form[method=post]")).to_have_count(0)
            expect(page.locator("#live-toggle")).to_have_count(0)
        page.goto(console.base + f"/items/{first}")
        expect(page.locator("svg.timeline rect.attempt")).to_have_count(1)
        screenshot(page, "read-only-item")
        answer = page.request.post(console.base + f"/items/{second}/cancel", form={"reason": "x"})
        assert answer.status == 405
        assert "offers no action" in answer.text()
        assert page.errors == []
    finally:
        console.stop()


def test_a_page_as_of_a_past_event_steps_through_the_log(service, page):
    sign_in(page, service)
    item = service.add(spec="Then and now")
    status, answer = service.api("POST", f"/api/work/{item}/cancel", {"reason": "later"})
    assert status == 200, answer
    page.goto(service.base + f"/items/{item}")
    expect(page.locator("main h1 .status")).to_have_text("cancelled")
    added = page.locator("#item-events tbody tr", has_text="workItemAdded").locator("td a").inner_text()
    page.goto(service.base + f"/items/{item}?at={added}")
    expect(page.locator("#history")).to_contain_text(f"As of event #{added}")
    expect(page.locator("main h1 .status")).to_have_text("queued")
    expect(page.locator("#cancel-item")).to_have_count(0)
    expect(page.locator("svg.timeline")).to_be_visible()
    screenshot(page, "item-as-of-the-past")
    page.click("#history-next")
    expect(page.locator("#history")).to_contain_text(f"As of event #{int(added) + 1}")
    expect(page.locator("main h1 .status")).to_have_text("cancelled")
    page.click("nav[aria-label=Sections] >> text=Items")
    expect(page).to_have_url(re.compile(rf"/items\?at={int(added) + 1}$"))
    expect(page.locator("#history")).to_be_visible()
    page.click("#history-present")
    expect(page.locator("#history")).to_have_count(0)
    assert page.errors == []


def test_a_dropped_stream_resumes_and_catches_up(browser):
    # Without a key (a restart would end an in-memory session): the console is open, as the API is.
    service = Service(api_key=None)
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(service.base + "/items")
        expect(page.locator("#live-state")).to_have_text("live")
        service.restart()  # the service closes every stream as it stops
        missed = service.add(repo="acme/dropped", spec="Added before the page reconnected")
        # EventSource reconnects by itself and sends Last-Event-ID; the stream resumes after
        # the last event the page saw, so the add it missed arrives and the row appears.
        expect(page.locator(f"tr[data-item='{missed}']")).to_be_visible(timeout=15_000)
        expect(page.locator("#live-state")).to_have_text("live")
        assert errors == []
    finally:
        context.close()
        service.stop()


def test_a_silent_workers_age_turns_stale_without_a_reload(service, page):
    sign_in(page, service)
    worker = service.register(service.add())
    page.goto(service.base + "/workers")
    cell = page.locator(f"tr[data-worker='{worker}'] td[data-age]")
    # STALE_THRESHOLD is 1 s here: with no heartbeat, the age passes it on the page's own clock.
    expect(cell).to_have_class("age-stale", timeout=10_000)
    expect(cell.locator(".age")).to_have_text(re.compile(r"^[0-9]+s$"))
    assert page.errors == []
