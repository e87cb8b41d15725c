"""Shared by the browser tests: headless Chromium, the demo log-ins, and
helpers that act as a person would (labels, buttons by their text)."""

import os
import re
import unittest
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ.get("E2E_BASE_URL", "http://127.0.0.1:3000")
ROLES = [
    "ADMIN", "PRODUCTION_COORDINATOR", "PROCUREMENT_SPECIALIST", "QC_PERSON", "ASSEMBLER", "SERVICE_DEPARTMENT",
]


def logins():
    """Role → (e-mail, password), read from `cleanstation demo`'s output."""
    found = {}
    with open(os.environ["E2E_LOGINS"]) as demo:
        for line in demo:
            parts = line.split()
            if len(parts) == 3 and parts[0] in ROLES:
                found[parts[0]] = (parts[1], parts[2])
    return found


def chrome(width=1440, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    # A page that asks before it is left (the order wizard) lets the tests move on, as a person answering "Leave" would.
    options.unhandled_prompt_behavior = "accept"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(0)
    return driver


class Person:
    """A browser driven through what a user sees: labels, links and buttons."""

    def __init__(self, driver):
        self.driver = driver

    def open(self, path):
        self.driver.get(BASE + path)

    def sign_in(self, role):
        email, password = logins()[role]
        self.open("/login")
        self.fill("E-mail", email)
        self.fill("Password", password)
        self.press("Sign in")
        self.wait_for_path_not("/login")

    def sign_out(self):
        self.press("Sign out")
        self.wait_for_path("/login")

    def switch_to(self, role):
        """Signs whoever is signed in out, then `role` in, as a shared tablet changes hands."""
        self.open("/login")
        if self.driver.find_elements(By.XPATH, "//button[normalize-space(.)='Sign out']"):
            self.sign_out()
        self.sign_in(role)

    def field(self, label, within=None):
        scope = within or self.driver
        element = scope.find_element(By.XPATH, f".//label[normalize-space(.)={xpath_text(label)} or starts-with(normalize-space(.), {xpath_text(label + ' ')})]")
        return self.driver.find_element(By.ID, element.get_attribute("for"))

    def fill(self, label, value, within=None):
        element = self.field(label, within)
        element.clear()
        element.send_keys(value)

    def choose(self, label, text, within=None):
        Select(self.field(label, within)).select_by_visible_text(text)

    def button(self, text, within=None):
        scope = within or self.driver
        return scope.find_element(
            By.XPATH, f".//button[normalize-space(.)={xpath_text(text)}] | .//a[contains(@class,'button') and normalize-space(.)={xpath_text(text)}]")

    def press(self, text, within=None):
        self.click(self.button(text, within))

    def click(self, element):
        """Clicks as a person would, with the element scrolled clear of the
        sticky bars; when it submits a form or follows a link, waits for the
        next page to replace this one."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        navigates = element.tag_name == "a" or element.get_attribute("type") == "submit"
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        if navigates:
            WebDriverWait(self.driver, 20).until(lambda _: gone(page))

    def has_button(self, text):
        try:
            self.button(text)
            return True
        except NoSuchElementException:
            return False

    def wait_for_path(self, path):
        WebDriverWait(self.driver, 20).until(lambda d: urllib.parse.urlparse(d.current_url).path == path)

    def wait_for_path_not(self, path):
        WebDriverWait(self.driver, 20).until(lambda d: urllib.parse.urlparse(d.current_url).path != path)

    def toast(self):
        toasts = self.driver.find_elements(By.CSS_SELECTOR, ".toast")
        # A refusal stays until dismissed: its button is not part of the message.
        return toasts[0].text.removesuffix("Dismiss").strip() if toasts else ""

    def heading(self):
        return self.driver.find_element(By.TAG_NAME, "h1").text

    def cookies(self):
        return {cookie["name"]: cookie["value"] for cookie in self.driver.get_cookies()}


def gone(element):
    """Whether the page holding `element` has been replaced (chromedriver
    says so with a stale reference, or with an inspector error)."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def xpath_text(text):
    if "'" not in text:
        return f"'{text}'"
    return "concat('" + text.replace("'", "', \"'\", '") + "')"


def post_raw(path, fields, cookies):
    """A form post straight over HTTP, as a forging site would send it; the
    status, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        BASE + path, data=urllib.parse.urlencode(fields).encode(),
        headers={"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())})
    try:
        return urllib.request.build_opener(NoRedirect).open(request).status
    except urllib.error.HTTPError as error:
        return error.code


def order_id(url):
    match = re.search(r"/orders/([0-9a-f-]{36})", url)
    return match.group(1) if match else None


# Every visible control must have a label (or an aria-label); returns the offenders.
UNLABELLED_JS = """
return Array.from(document.querySelectorAll('input, select, textarea')).filter(el => {
  if (el.type === 'hidden' || el.type === 'submit' || el.closest('[hidden]') || el.getAttribute('aria-hidden') === 'true') return false;
  if (el.getAttribute('aria-label')) return false;
  if (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')) return false;
  return !el.closest('label');
}).map(el => el.outerHTML.slice(0, 120));
"""

# WCAG 2.1 AA contrast of every visible text against its effective background;
# returns the offenders.
CONTRAST_JS = """
function rgb(text) { const m = text.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
function lum(c) { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
function background(el) {
  for (let node = el; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length < 4 || c[3] > 0.9) return c;
  }
  return [255, 255, 255];
}
const bad = [];
for (const el of document.querySelectorAll('body *')) {
  const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || style.opacity === '0' || el.closest('.sr-only, [hidden], .default-submit, .skip, .task.done')) continue;
  const a = lum(rgb(style.color)), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < need) bad.push(el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2));
}
return bad;
"""

# Controls a gloved finger must hit: at least 44 px high (checkboxes count by
# their row, which the label fills); returns the offenders.
SMALL_TARGETS_JS = """
const bad = [];
for (const el of document.querySelectorAll('button, select, textarea, input, .button, .chip, nav.sidebar a')) {
  if (el.type === 'hidden' || el.closest('[hidden], .default-submit') || !el.getClientRects().length) continue;
  if (el.classList.contains('toggle') && el.hidden) continue;
  const target = (el.type === 'checkbox' || el.type === 'radio') ? (el.closest('.field, .na, .pass-fail') || el) : el;
  const measured = el.type === 'radio' ? document.querySelector('label[for="' + el.id + '"]') : target;
  if (measured.getBoundingClientRect().height < 43.5) bad.push(el.outerHTML.slice(0, 100));
}
return bad;
"""


class BrowserTest(unittest.TestCase):
    """A test class with one headless browser of its own (`driver`), driven as a person (`person`)."""

    @classmethod
    def setUpClass(cls):
        cls.driver = chrome()
        cls.person = Person(cls.driver)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
