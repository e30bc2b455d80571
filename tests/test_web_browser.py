"""The reviewer pages in a real browser: Debian's chromium driven through Debian's chromedriver
(Selenium, headless, never Selenium Manager) against a live `precheck serve` on a fresh data folder.

One reviewer's day, in order (the tests share the server, the browser and what they made):
sign in, upload a bundle through the upload page and watch it finish, read the report (every evidence
image loads; the page viewer opens at the evidence), dismiss a finding with a reason (the verdict and
counts change), a reviewer of another campaign gets 404, 需补正 gives the 补正通知 with a row per
standing finding, the list filters and exports, an admin manages users and campaigns and exports gold
that `precheck eval` measures; and the report page's load time for a 30-document bundle.

Screenshots of each page at 1366×768 are taken every run; they are written to docs/screens/ (linked
from the README) only with PRECHECK_SCREENSHOTS=1, so that a test run leaves the checkout as it was."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import live_server
from tests.live_server import GOLD, ROOT, LiveServer, precheck_command, seed_ocr_cache

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENS = ROOT / "docs" / "screens"
KEEP_SCREENS = os.environ.get("PRECHECK_SCREENSHOTS") == "1"
WIDTH, HEIGHT = 1366, 768

pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="needs Debian's chromium and chromium-driver (.ci/install.sh installs them)")

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

BRAND = "品牌2024"
OTHER = "QC2026"
PASSWORDS = {"root": "root-pass-123", "li": "li-pass-1234", "wang": "wang-pass-123"}
EXPIRED = GOLD / "brand-2024-02-certificate_expired"  # one error with page evidence, scanned pages with seals
UNREADABLE = GOLD / "brand-2024-15-file_unreadable" / "补充材料.pdf"  # a warning that stays for the 补正通知
# text layer or Word (no OCR), of two companies: copied under other names into a 30-document bundle
THIRTY_FROM = [EXPIRED / "CNAS实验室认可证书.pdf", EXPIRED / "专利证书.pdf", EXPIRED / "检验检测报告.pdf",
               EXPIRED / "申报书.docx", EXPIRED / "职业健康安全管理体系认证证书.pdf",
               EXPIRED / "质量管理体系认证证书.pdf", GOLD / "brand-2024-00-clean" / "营业执照.pdf"]


@dataclass
class Site:
    server: LiveServer
    work: Path
    made: dict[str, Any] = field(default_factory=dict)  # what one test leaves for the next

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("web-browser")
    data = work / "data"
    data.mkdir()
    seed_ocr_cache(data)
    server = LiveServer(data, work / "server.log", workers=1)
    server.add_campaign(BRAND, "nonferrous-brand-2024", "2024-08-31")
    server.add_campaign(OTHER, "nonferrous-qc-2026")
    # one after the other: the first `users add` makes the data folder's signing key
    server.cli("users", "add", "root", "--role", "admin", "--password", PASSWORDS["root"])
    server.cli("users", "add", "li", "--role", "reviewer", "--campaign", BRAND, "--password", PASSWORDS["li"])
    server.cli("users", "add", "wang", "--role", "reviewer", "--campaign", OTHER, "--password", PASSWORDS["wang"])
    server.start()
    try:
        yield Site(server, work)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={WIDTH},{HEIGHT}", "--lang=zh-CN", "--disable-extensions"):
        options.add_argument(argument)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never fetch a driver or a browser
        driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)),
                                  options=options)
    # the page itself gets exactly 1366×768 (the window's frame is not taken from it)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


shows_server_log = live_server.shows_server_log("site")


# helpers


def wait(driver: WebDriver, until: Callable[[WebDriver], Any], timeout: float = 30.0, message: str = "") -> Any:
    """Polls `until` (a page reloading under it is polled again, not a failure)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.1,
                         ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(
        until, message)


def shot(driver: WebDriver, name: str) -> None:
    if not KEEP_SCREENS:
        assert driver.get_screenshot_as_png().startswith(b"\x89PNG")
        return
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(SCREENS / f"{name}.png"))


def sign_in(driver: WebDriver, site: Site, user: str, then: str = "/bundles", screenshot: str | None = None) -> None:
    driver.delete_all_cookies()
    driver.get(f"{site.url}{then}")
    wait(driver, lambda d: "/login" in d.current_url, message="a page without a session goes to /login")
    if screenshot:
        shot(driver, screenshot)
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(PASSWORDS[user])
    driver.find_element(By.ID, "sign-in").click()
    wait(driver, lambda d: d.current_url.rstrip("/").endswith(then), message=f"signed in, back at {then}")
    assert driver.find_element(By.ID, "me-name").text == user


def cookie_client(driver: WebDriver, site: Site) -> httpx.Client:
    """The browser's session, for what a browser would download (GET only: no CSRF token needed)."""
    cookie = driver.get_cookie("precheck_session")
    assert cookie is not None and cookie.get("httpOnly"), "the session cookie is set, HttpOnly"
    return httpx.Client(base_url=site.url, cookies={"precheck_session": cookie["value"]}, timeout=60)


def form_session(site: Site, user: str) -> tuple[httpx.Client, str]:
    """A session as an API client signs in (JSON answer): the client and its CSRF token."""
    client = httpx.Client(base_url=site.url, timeout=60)
    response = client.post("/login", data={"username": user, "password": PASSWORDS[user]})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def images_loaded(driver: WebDriver, selector: str) -> tuple[int, list[str]]:
    """(how many images, those not loaded) among `selector`."""
    result: list[Any] = driver.execute_script(
        "const imgs = [...document.querySelectorAll(arguments[0])];"
        "return [imgs.length, imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)];", selector)
    return int(result[0]), list(result[1])


def all_images_loaded(driver: WebDriver, selector: str, timeout: float = 90.0) -> int:
    """Waits until every image of `selector` has finished (loaded or failed); asserts they all loaded."""
    wait(driver, lambda d: d.execute_script(
        "return document.readyState === 'complete' && "
        "[...document.querySelectorAll(arguments[0])].every(i => i.complete);", selector), timeout,
        "the images finished loading")
    count, missing = images_loaded(driver, selector)
    assert not missing, f"images that did not load: {missing}"
    return count


def attr(element: WebElement, name: str) -> str:
    return element.get_attribute(name) or ""


def classes(element: WebElement) -> list[str]:
    return attr(element, "class").split()


def upload_through_page(driver: WebDriver, site: Site, paths: list[Path], name: str,
                        progress_shot: str | None = None) -> WebElement:
    """Uploads through /upload; the job's card once it is done (`progress_shot`: a screenshot while it
    runs, once some files are read, if the job is not over before the page shows it)."""
    driver.get(f"{site.url}/upload")
    Select(driver.find_element(By.ID, "campaign")).select_by_value(BRAND)
    driver.find_element(By.ID, "bundle-name").send_keys(name)
    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    assert driver.find_element(By.ID, "picked").text == f"已选 {len(paths)} 个文件"
    before = len(driver.find_elements(By.CSS_SELECTOR, ".job"))
    driver.find_element(By.ID, "upload-button").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".job")) > before, 60, "the job's card appears")
    card = driver.find_elements(By.CSS_SELECTOR, ".job")[-1]

    def reading_or_over(d: WebDriver) -> str | None:
        state = classes(card)
        if "done" in state or "failed" in state:
            return "over"
        detail = card.find_element(By.CSS_SELECTOR, ".j-detail").text
        return "running" if "running" in state and "文件 " in detail and "文件 0/" not in detail else None

    if progress_shot and wait(driver, reading_or_over, 180, "the job runs") == "running":
        shot(driver, progress_shot)
    wait(driver, lambda d: {"done", "failed"} & set(classes(card)), 180, "the job ends")
    assert "done" in classes(card), card.text
    return card


def findings(driver: WebDriver) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, "article.finding")


def review_json(site: Site, driver: WebDriver, bundle_id: str) -> dict[str, Any]:
    with cookie_client(driver, site) as client:
        response = client.get(f"/api/bundles/{bundle_id}/review")
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


# the reviewer's day


@shows_server_log
def test_reviewer_signs_in_uploads_a_bundle_and_watches_it_reach_done(site: Site, browser: WebDriver) -> None:
    browser.get(f"{site.url}/login")
    browser.find_element(By.ID, "username").send_keys("li")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.ID, "sign-in").click()
    wait(browser, lambda d: d.find_elements(By.ID, "login-error"), message="a wrong password is said so")
    assert browser.get_cookie("precheck_session") is None
    sign_in(browser, site, "li", then="/upload", screenshot="login")
    files = [*sorted(EXPIRED.iterdir()), UNREADABLE]
    card = upload_through_page(browser, site, files, "证书过期测试包")
    detail = card.find_element(By.CSS_SELECTOR, ".j-detail").text
    assert f"文件 {len(files)}/{len(files)}" in detail and "已读" in detail and "已用" in detail, detail
    assert card.find_element(By.CSS_SELECTOR, ".j-state").text == "已完成"
    shot(browser, "upload")
    link = card.find_element(By.CSS_SELECTOR, "a.j-link")
    site.made["bundle_id"] = attr(card, "data-bundle")
    link.click()
    wait(browser, lambda d: d.current_url.endswith(f"/bundles/{site.made['bundle_id']}"))
    assert browser.find_element(By.ID, "verdict").text == "不通过"


@shows_server_log
def test_report_shows_every_evidence_image_and_opens_the_page_viewer_at_it(site: Site, browser: WebDriver) -> None:
    bundle_id = site.made["bundle_id"]
    browser.get(f"{site.url}/bundles/{bundle_id}")
    loaded = all_images_loaded(browser, "#findings img")
    assert loaded >= 1, "the expired certificate's finding shows its evidence crop"
    severities = [classes(f)[1] for f in findings(browser)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index), "grouped by severity"
    shot(browser, "report")

    evidence = browser.find_element(By.CSS_SELECTOR, "#findings button.ev img")
    evidence.click()
    viewer = browser.find_element(By.ID, "viewer")
    wait(browser, lambda d: viewer.is_displayed())
    all_images_loaded(browser, "#v-img")
    highlighted = browser.find_elements(By.CSS_SELECTOR, "#v-boxes .box.b-hl")
    assert len(highlighted) == 1, "the clicked evidence is the one box highlighted"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#v-boxes .box.b-field")) >= 3, "the page's fields are drawn"
    assert highlighted[0].is_displayed()
    shot(browser, "viewer")
    width = browser.find_element(By.ID, "v-sheet").size["width"]
    browser.find_element(By.ID, "v-in").click()
    assert browser.find_element(By.ID, "v-sheet").size["width"] > width, "zoomed in"
    browser.find_element(By.ID, "v-out").click()
    browser.find_element(By.ID, "v-out").click()
    assert browser.find_element(By.ID, "v-sheet").size["width"] < width, "zoomed out"
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait(browser, lambda d: not viewer.is_displayed(), message="Esc closes the viewer")

    # a seal on page 2 of the scanned application form, then the page before it
    scanned = browser.find_element(By.XPATH, "//details[.//b[text()='申报书（盖章扫描件）.pdf']]")
    scanned.find_element(By.TAG_NAME, "summary").click()
    seal = scanned.find_element(By.CSS_SELECTOR, "ul.seals button.ev")
    seal.click()
    wait(browser, lambda d: viewer.is_displayed())
    all_images_loaded(browser, "#v-img")
    assert browser.find_element(By.ID, "v-page").text == "第 2 / 2 页"
    assert browser.find_elements(By.CSS_SELECTOR, "#v-boxes .box.b-seal.b-hl"), "the seal's box is highlighted"
    browser.find_element(By.ID, "v-prev").click()
    assert browser.find_element(By.ID, "v-page").text == "第 1 / 2 页"
    wait(browser, lambda d: "/pages/1.png" in attr(d.find_element(By.ID, "v-img"), "src"))
    all_images_loaded(browser, "#v-img")
    browser.find_element(By.ID, "v-next").click()
    assert browser.find_element(By.ID, "v-page").text == "第 2 / 2 页"
    browser.find_element(By.ID, "v-close").click()
    wait(browser, lambda d: not viewer.is_displayed())


@shows_server_log
def test_dismissing_a_finding_with_a_reason_changes_the_verdict_and_counts(site: Site, browser: WebDriver) -> None:
    bundle_id = site.made["bundle_id"]
    assert browser.current_url.endswith(f"/bundles/{bundle_id}")
    before = review_json(site, browser, bundle_id)
    assert before["effective_verdict"] == "fail" and before["counts"]["error"] == 1, before["counts"]
    assert browser.find_element(By.CSS_SELECTOR, '[data-count="error"]').text == "1"
    body = browser.find_element(By.TAG_NAME, "body")

    body.send_keys("j")  # the first finding: the expired certificate (an error)
    first = findings(browser)[0]
    assert "selected" in classes(first)
    body.send_keys("d")
    reason = first.find_element(By.CSS_SELECTOR, ".dismiss-form input")
    assert reason.is_displayed() and browser.switch_to.active_element == reason, "d opens the reason, focused"
    reason.send_keys(Keys.ENTER)  # no reason: refused on the page, nothing sent
    wait(browser, lambda d: "驳回须写明理由" in d.find_element(By.ID, "flash").text)
    reason.send_keys("证书已于申报截止前换发，新证书已由申报单位补交（见邮件）")
    reason.send_keys(Keys.ENTER)
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, '[data-count="error"]').text == "0",
         message="the error count falls to 0")
    wait(browser, lambda d: d.find_element(By.ID, "effective-verdict").text == "需人工复核")
    assert browser.find_element(By.ID, "verdict").text == "不通过", "precheck's own verdict stays"
    assert "dismissed" in classes(first)
    assert "已驳回（li）" in first.find_element(By.CSS_SELECTOR, "[data-decision]").text

    browser.find_element(By.TAG_NAME, "body").send_keys("j")  # the warning: confirmed with c
    second = findings(browser)[1]
    browser.find_element(By.TAG_NAME, "body").send_keys("c")
    wait(browser, lambda d: "已确认（li）" in second.find_element(By.CSS_SELECTOR, "[data-decision]").text)

    after = review_json(site, browser, bundle_id)
    assert after["effective_verdict"] == "needs_review" and after["counts"]["error"] == 0
    browser.refresh()  # what the server renders agrees with what the page showed
    assert browser.find_element(By.ID, "effective-verdict").text == "需人工复核"
    assert browser.find_element(By.CSS_SELECTOR, '[data-count="error"]').text == "0"


@shows_server_log
def test_correcting_a_field_shows_the_correction(site: Site, browser: WebDriver) -> None:
    certificate = browser.find_element(By.XPATH, "//details[.//b[text()='职业健康安全管理体系认证证书.pdf']]")
    certificate.find_element(By.TAG_NAME, "summary").click()
    row = certificate.find_element(By.CSS_SELECTOR, "tr[data-field]")
    target = attr(row, "data-field")
    row.find_element(By.CSS_SELECTOR, '[data-act="correct"]').click()
    form = browser.find_element(By.CSS_SELECTOR, "tr.correct-form")
    value = form.find_element(By.NAME, "value")
    value.clear()
    value.send_keys("审核员更正的值")
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-field="{target}"]')
    wait(browser, lambda d: "审核员更正的值" in row.find_element(By.CSS_SELECTOR, "[data-corrected]").text)
    doc, key = target.split("/", 1)
    corrected = review_json(site, browser, site.made["bundle_id"])["documents"][int(doc)]["fields"][key]["corrected"]
    assert corrected["value"] == "审核员更正的值" and corrected["user"] == "li"


@shows_server_log
def test_needs_fix_offers_the_notice_with_a_row_per_standing_finding(site: Site, browser: WebDriver) -> None:
    from docx import Document

    bundle_id = site.made["bundle_id"]
    notice = browser.find_element(By.ID, "notice-link")
    assert not notice.is_displayed(), "no notice before 需补正"
    browser.find_element(By.ID, "decide-rejected").click()
    wait(browser, lambda d: "不通过须写明理由" in d.find_element(By.ID, "flash").text)
    browser.find_element(By.ID, "decide-needs-fix").click()
    wait(browser, lambda d: d.find_element(By.ID, "review-state").text == "需补正")
    wait(browser, lambda d: notice.is_displayed())
    review = review_json(site, browser, bundle_id)
    standing = [f for f in review["findings"] if f["severity"] in ("error", "warning")
                and not (f["decision"] and f["decision"]["action"] == "dismiss")]
    assert len(standing) == 1, standing
    with cookie_client(browser, site) as client:
        response = client.get(attr(notice, "href"))
    assert response.status_code == 200, response.text
    letter = Document(io.BytesIO(response.content))
    assert letter.tables, "the notice has its table"
    rows = letter.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["序号", "需补正的问题", "涉及材料", "依据"]
    assert len(rows) - 1 == len(standing), "a row per standing finding"
    assert [r.cells[1].text for r in rows[1:]] == [f["message"] for f in standing]


@shows_server_log
def test_reviewer_of_another_campaign_cannot_reach_the_bundle(site: Site, browser: WebDriver) -> None:
    bundle_id = site.made["bundle_id"]
    browser.find_element(By.ID, "logout").click()  # li signs out: the session is gone on the server too
    wait(browser, lambda d: "/login" in d.current_url)
    browser.get(f"{site.url}/bundles/{bundle_id}")
    assert "/login?next=" in browser.current_url, "signed out: the page asks to sign in again"
    sign_in(browser, site, "wang")
    assert not browser.find_elements(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"]'), "not in wang's list"
    browser.get(f"{site.url}/bundles/{bundle_id}")
    assert "未找到" in browser.find_element(By.ID, "not-found").text
    with cookie_client(browser, site) as client:
        assert client.get(f"/bundles/{bundle_id}").status_code == 404
        assert client.get(f"/api/bundles/{bundle_id}/review").status_code == 404
        assert client.get(f"/api/bundles/{bundle_id}/documents/7/pages/1.png").status_code == 404
        assert client.get(f"/api/bundles/{bundle_id}/notice.docx").status_code == 404


@shows_server_log
def test_bundle_list_filters_searches_and_exports_a_selection(site: Site, browser: WebDriver) -> None:
    from openpyxl import load_workbook

    bundle_id = site.made["bundle_id"]
    sign_in(browser, site, "li")
    assert browser.find_elements(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"]')
    row = browser.find_element(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"]')
    assert "需补正" in row.text and "li" in row.text and "需人工复核" in row.text, row.text
    browser.get(f"{site.url}/bundles?review=passed")
    assert not browser.find_elements(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"]'), "filtered out"
    browser.get(f"{site.url}/bundles?review=needs_fix&verdict=needs_review&campaign={BRAND}")
    assert browser.find_elements(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"]')
    code = browser.find_element(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"] td.mono').text
    browser.get(f"{site.url}/bundles")
    search = browser.find_element(By.ID, "f-q")
    search.send_keys(code, Keys.ENTER)
    wait(browser, lambda d: "q=" in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"]')
    browser.find_element(By.CSS_SELECTOR, "th a[data-sort='errors']").click()
    wait(browser, lambda d: "sort=errors" in d.current_url)
    browser.find_element(By.CSS_SELECTOR, f'tr[data-bundle="{bundle_id}"] input.pick').click()
    export = browser.find_element(By.ID, "export")
    assert attr(export, "aria-disabled") == "false"
    assert browser.find_element(By.ID, "selected-count").text == "已选 1 个"
    with cookie_client(browser, site) as client:
        response = client.get(attr(export, "href"))
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.max_row >= 2, "a header and the selected bundle"


@shows_server_log
def test_banner_shows_who_else_has_the_bundle_open(site: Site, browser: WebDriver) -> None:
    bundle_id = site.made["bundle_id"]
    client, csrf = form_session(site, "li")
    try:
        held = client.post(f"/api/bundles/{bundle_id}/lock", headers={"X-CSRF-Token": csrf})
        assert held.status_code == 200 and held.json()["lock"]["mine"], held.text
        sign_in(browser, site, "root")
        browser.get(f"{site.url}/bundles/{bundle_id}")
        banner = browser.find_element(By.ID, "lock-banner")
        wait(browser, lambda d: banner.is_displayed() and "li" in banner.text, message="the banner names li")
        client.delete(f"/api/bundles/{bundle_id}/lock", headers={"X-CSRF-Token": csrf})
    finally:
        client.close()


@shows_server_log
def test_admin_manages_users_campaigns_reviewers_and_exports_gold_for_eval(site: Site, browser: WebDriver) -> None:
    sign_in(browser, site, "root", then="/admin")
    campaign = browser.find_element(By.ID, "new-campaign")
    campaign.find_element(By.NAME, "name").send_keys("品牌2025")
    Select(campaign.find_element(By.NAME, "profile")).select_by_value("nonferrous-brand-2024")
    campaign.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, lambda d: "已创建活动 品牌2025" in d.find_element(By.ID, "token-box").text)

    user = browser.find_element(By.ID, "new-user")
    user.find_element(By.NAME, "name").send_keys("zhao")
    user.find_element(By.NAME, "password").send_keys("zhao-pass-123")
    user.find_element(By.CSS_SELECTOR, 'input[name="campaigns"][value="品牌2025"]').click()
    user.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, lambda d: "已创建用户 zhao" in d.find_element(By.ID, "token-box").text)
    token = browser.find_element(By.ID, "token-box").text.rsplit("：", 1)[-1].strip()
    me = httpx.get(f"{site.url}/api/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert me.status_code == 200 and me.json()["name"] == "zhao", me.text

    row = browser.find_element(By.CSS_SELECTOR, f'#assignments tr[data-campaign="{BRAND}"]')
    row.find_element(By.CSS_SELECTOR, 'input[value="zhao"]').click()
    row.find_element(By.CSS_SELECTOR, '[data-act="save-reviewers"]').click()
    wait(browser, lambda d: f"已保存 {BRAND} 的审核员" in d.find_element(By.ID, "flash").text)
    browser.refresh()
    shot(browser, "admin")
    with cookie_client(browser, site) as client:
        campaigns = {c["name"]: c for c in client.get("/api/admin/campaigns").json()}
    assert campaigns[BRAND]["reviewers"] == ["li", "zhao"]
    assert "zhao" in campaigns["品牌2025"]["reviewers"]

    sign_in(browser, site, "li", then="/admin")
    assert "无权访问" in browser.find_element(By.ID, "not-found").text, "the admin page is for admins"

    out = site.work / "gold-out"
    printed = site.server.cli("export-gold", "--out", str(out))
    assert "已导出 1 个" in printed, printed
    exported = sorted(p.name for p in out.iterdir())
    assert "证书过期测试包.gold.json" in exported, exported
    evaluated = subprocess.run([*precheck_command(), "eval", str(out)], env=site.server.env, cwd=ROOT,
                               capture_output=True, text=True, timeout=300)
    assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
    assert "verdict_accuracy" in evaluated.stdout and "field_f1" in evaluated.stdout, evaluated.stdout
    print(evaluated.stdout)


@shows_server_log
def test_report_page_of_a_thirty_document_bundle_loads_in_time(site: Site, browser: WebDriver) -> None:
    folder = site.work / "thirty"
    folder.mkdir()
    paths = []
    for n in range(30):
        source = THIRTY_FROM[n % len(THIRTY_FROM)]
        target = folder / f"{n + 1:02d}-{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    sign_in(browser, site, "li", then="/upload")
    card = upload_through_page(browser, site, paths, "三十份材料", progress_shot="upload")
    bundle_id = attr(card, "data-bundle")
    timings = []
    for attempt in ("first (pages rendered)", "again (pages cached)"):
        started = time.monotonic()
        browser.get(f"{site.url}/bundles/{bundle_id}")
        images = all_images_loaded(browser, "#findings img", timeout=180)
        wall = time.monotonic() - started
        page_s, slowest_s = browser.execute_script(
            "const nav = performance.getEntriesByType('navigation')[0];"
            "const crops = performance.getEntriesByType('resource').filter(r => r.name.includes('/crop.png'));"
            "return [nav.responseEnd / 1000, Math.max(0, ...crops.map(r => r.duration)) / 1000];")
        timings.append((attempt, wall, images))
        print(f"report page of a 30-document bundle, {attempt}: {wall:.2f} s from navigation to all {images} "
              f"evidence images loaded (the HTML by {page_s:.2f} s; the slowest crop took {slowest_s:.2f} s)")
    documents = browser.find_elements(By.CSS_SELECTOR, "#documents details.doc")
    assert len(documents) == 30
    browser.get(f"{site.url}/bundles")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[data-bundle]")) == 2
    shot(browser, "bundles")
    assert timings[0][2] >= 1, "the 30-document bundle's findings have evidence images"
    assert timings[0][1] < 60, timings

