"""Driving the course's JupyterHub in headless Chromium (Debian's `chromium` and `chromium-driver`),
as a person would: log in, click, type, read the page. Used by tests/test_hub.py.

Every wait is explicit (a condition on the page, or on a file the page wrote); nothing sleeps to
synchronise. Each step can save a screenshot into the test's artifacts folder.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 120.0  # seconds any one step may take (a server start, an autograde)
# A paste into CodeMirror 6, as the browser delivers one: the editor replaces its selection.
PASTE = """
const [editor, text] = arguments;
editor.focus();
document.execCommand('selectAll');  // the whole cell, as Ctrl+A in the editor
const data = new DataTransfer();
data.setData('text/plain', text);
editor.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
"""


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def wait_until(condition: Callable[[], object], what: str, timeout: float = TIMEOUT, every: float = 0.2):
    """Poll `condition` until it returns something truthy (a file written, a row in a database)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)


class Person:
    """One browser (its own cookies) for one account of the hub."""

    def __init__(self, name: str, password: str, hub_url: str, shots: Path):
        browser, driver = chromium_paths()
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1400,1000", "--no-first-run", "--disable-extensions"):
            options.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(driver), options=options)
        self.name, self.password, self.hub_url, self.shots = name, password, hub_url, shots
        self.steps = 0

    # --- generic ------------------------------------------------------------------------------------
    def wait(self, condition: Callable[[webdriver.Chrome], object], what: str, timeout: float = TIMEOUT):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except WebDriverException as exc:
            self.shot(f"FAILED-{re.sub(r'[^a-z0-9]+', '-', what.lower())[:40]}")
            raise TimeoutError(f"{self.name}: waited {timeout:.0f} s for {what}") from exc

    def find(self, css: str, what: str | None = None, timeout: float = TIMEOUT) -> WebElement:
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None),
                         what or css, timeout)

    def xpath(self, path: str, what: str, timeout: float = TIMEOUT) -> WebElement:
        return self.wait(lambda d: next((e for e in d.find_elements(By.XPATH, path) if e.is_displayed()), None),
                         what, timeout)

    def click(self, element: WebElement) -> None:
        """Click once the element takes the click (JupyterLab lays its shell out after it shows it)."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'nearest'});", element)

        def clicked(driver) -> bool:
            try:
                element.click()
            except (ElementClickInterceptedException, ElementNotInteractableException):
                return False
            return True

        self.wait(clicked, f"a clickable {element.tag_name}.{element.get_attribute('class')}")

    def shot(self, label: str) -> Path:
        self.steps += 1
        path = self.shots / f"{self.name}-{self.steps:02d}-{label}.png"
        self.driver.save_screenshot(str(path))
        return path

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text

    def quit(self) -> None:
        self.driver.quit()

    # --- the hub ------------------------------------------------------------------------------------
    def login(self, next_path: str) -> None:
        self.driver.get(f"{self.hub_url}/hub/login?next={next_path}")
        self.find("#username_input", "the login form").send_keys(self.name)
        self.driver.find_element(By.ID, "password_input").send_keys(self.password)
        self.shot("login")
        self.driver.find_element(By.ID, "login_submit").click()

    # --- formgrader (instructor and TA) ------------------------------------------------------------
    def formgrader(self, path: str) -> None:
        self.driver.get(f"{self.hub_url}/services/convlab/formgrader/{path}")

    def assignment_row(self, assignment: str) -> WebElement:
        return self.xpath(f"//tr[td[contains(@class,'name')]/a[text()='{assignment}']]", f"the row of {assignment}")

    def row_action(self, assignment: str, column: str, expect: str) -> str:
        """Click the icon in `column` of the assignment's row; return the text of the dialog it opens."""
        link = self.wait(lambda d: self.assignment_row(assignment).find_element(By.CSS_SELECTOR, f"td.{column} a"),
                         f"the {column} button of {assignment}")
        self.click(link)
        return self.close_dialog(expect)

    def close_dialog(self, expect: str) -> str:
        dialog = self.find(".modal-dialog", f"a dialog saying {expect!r}")
        self.wait(lambda d: expect in dialog.text or "There was an error" in dialog.text, f"a dialog saying {expect!r}")
        text = dialog.text
        self.shot(re.sub(r"[^a-z]+", "-", expect.lower()).strip("-"))
        self.click(dialog.find_element(By.CSS_SELECTOR, ".modal-footer button"))
        self.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal-dialog"), "the dialog to close")
        assert expect in text, f"{self.name}: formgrader said {text!r}"
        return text

    # --- JupyterLab with the Assignment List (students) ---------------------------------------------
    def lab(self, path: str = "") -> None:
        self.driver.get(f"{self.hub_url}/user/{self.name}/lab{'/tree/' + path if path else ''}")
        self.find("#jp-main-dock-panel", "JupyterLab")

    def assignment_list(self) -> WebElement:
        self.click(self.xpath("//div[contains(@class,'lm-MenuBar-itemLabel') and text()='Nbgrader']", "the Nbgrader menu"))
        self.click(self.xpath("//div[contains(@class,'lm-Menu-itemLabel') and text()='Assignment List']",
                              "the Assignment List menu item"))
        return self.find("#released_assignments_list", "the Assignment List")

    def list_button(self, listing: str, assignment: str, label: str) -> WebElement:
        return self.xpath(f"//div[@id='{listing}']//div[contains(@class,'list_item')][.//*[text()='{assignment}']]"
                          f"//button[normalize-space(text())='{label}']", f"{label} for {assignment} in {listing}")

    def paste_into_cell(self, cell: WebElement, text: str, markdown: bool = False) -> None:
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
        if markdown:  # a rendered Markdown cell opens its editor on a double click
            webdriver.ActionChains(self.driver).double_click(cell).perform()
        editor = self.wait(lambda d: cell.find_element(By.CSS_SELECTOR, ".cm-content"), "the cell's editor")
        self.driver.execute_script(PASTE, editor, text)
        self.wait(lambda d: cell.find_element(By.CSS_SELECTOR, ".cm-content").text.strip().splitlines()[:1]
                  == text.strip().splitlines()[:1], "the pasted text in the cell")
