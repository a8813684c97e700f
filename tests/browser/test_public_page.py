"""A challenge's public page in a real browser: Debian's chromium, headless, no network.

The bot runs on simcord with its web server on a free port of 127.0.0.1; an organizer turns the
page on with the command, members log, one hides; chromium loads the page as a visitor would.
Screenshots (desktop and phone widths, light and dark) go to the test's folder, and to
$DAYBOOK_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from tests._postgres import scratch_url
from tests.cogs.conftest import GUILD_ID, World

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WEB_URL = "https://daybook.example.org"
DESKTOP = (1280, 900)
PHONE = (390, 844)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver packages "
    "(apt-get install chromium chromium-driver; .ci/run installs them)",
)


def free_port() -> int:
    """Return a port of 127.0.0.1 free now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(tmp_path: Path, port: int) -> Settings:
    return Settings(
        database_url=scratch_url(tmp_path / "daybook.db"),
        dev_guild_id=GUILD_ID,
        web_url=WEB_URL,
        web_port=port,
        web_host="127.0.0.1",
    )


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Headless chromium through Debian's chromedriver: nothing is downloaded."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    # Without these, chromium reaches for the network (updates, sync, QUIC probes) and hangs
    # on a machine that has none.
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def screenshot(driver: Any, folder: Path, name: str) -> None:
    """Save what the browser shows, here and in $DAYBOOK_SCREENSHOTS when that is set."""
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    wanted = os.environ.get("DAYBOOK_SCREENSHOTS")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(wanted) / path.name)


def shape(driver: Any, size: tuple[int, int], *, dark: bool) -> None:
    """Show the page at a width (a phone's is a mobile viewport) in a colour scheme."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    scheme = "dark" if dark else "light"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )


async def community(world: World) -> tuple[str, str]:
    """Two challenges with public pages, the second turned off again; return both addresses."""
    await world.grace.slash(world.general, "challenge create", name="ML <Club>")
    turned = await world.grace.slash(world.general, "challenge edit", web=True)
    assert f"{WEB_URL}/c/" in turned.response.content
    maya = world.guild.add_member(world.env.create_user("maya"))
    await world.env.settle()
    for member in (world.ada, world.raj, maya):
        await member.slash(world.general, "join", timezone="UTC")
    for day in range(5):
        # Ada logs five days, Raj the last three, Maya all five but hides.
        for member in (world.ada, maya, *([world.raj] if day >= 2 else [])):
            await member.slash(world.general, "log", text="an hour of ML", minutes=60)
        await world.later(days=1)
    await maya.slash(world.general, "settings", visible=False)
    challenges = {c.name: c for c in await world.bot.services.challenges.active(GUILD_ID)}
    await world.grace.slash(world.general, "challenge create", name="Chess")
    await world.grace.slash(world.general, "challenge edit", challenge="Chess", web=True)
    await world.grace.slash(world.general, "challenge edit", challenge="Chess", web=False)
    chess = {c.name: c for c in await world.bot.services.challenges.active(GUILD_ID)}["Chess"]
    shown, off = challenges["ML <Club>"].web_id, chess.web_id
    assert shown is not None
    assert off is not None
    return shown, off


async def test_a_visitor_sees_the_board_and_never_the_hidden_member(
    world: World, browser: Any, port: int, tmp_path: Path
) -> None:
    shown, off = await community(world)
    assert world.bot.web is not None
    # The browser is driven from a thread: the bot's event loop serves the pages meanwhile
    # (a call from the loop itself would leave chromium waiting on a loop that waits on it).
    await asyncio.to_thread(visit, browser, f"http://127.0.0.1:{port}", shown, off, tmp_path)


def visit(browser: Any, base: str, shown: str, off: str, folder: Path) -> None:
    """Look at the pages as a visitor: the board, a member's page, a page turned off."""
    browser.get(f"{base}/c/{shown}")
    assert browser.title == "ML <Club>: leaderboard"
    assert browser.find_element("css selector", "h1").text == "ML <Club>"
    names = [cell.text for cell in browser.find_elements("css selector", "tbody th")]
    # Ada: a streak of 5; Raj: 3. Maya (5) hid herself.
    assert names == ["ada", "raj"]
    image = browser.find_element("css selector", "main img")
    assert image.get_attribute("alt").startswith("Bar chart of the current streaks")
    # Resolves once the picture is decoded (or failed): chromium waits, the test does not.
    loaded = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const img = document.querySelector('main img');"
        "img.decode().then(() => done(img.naturalWidth), () => done(0));"
    )
    assert loaded > 0
    assert "maya" not in browser.page_source.lower()
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        for dark in (False, True):
            shape(browser, size, dark=dark)
            browser.get(f"{base}/c/{shown}")
            screenshot(browser, folder, f"web-{label}-{'dark' if dark else 'light'}")
    # The member's page, through the board's link.
    shape(browser, DESKTOP, dark=False)
    browser.get(f"{base}/c/{shown}")
    browser.get(browser.find_element("link text", "ada").get_attribute("href"))
    assert browser.find_element("css selector", "h1").text == "ada"
    assert "Current streak 5 days" in browser.find_element("css selector", ".stats").text
    screenshot(browser, folder, "web-member-desktop-light")
    # A page turned off answers as a page that never was.
    browser.get(f"{base}/c/{off}")
    assert browser.title == "Page not found"
    assert "Chess" not in browser.page_source
