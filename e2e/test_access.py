"""What each role sees and may do, forged posts, the keyboard, labels and
contrast, two-factor enrolment and the return to a page after signing in."""

import base64
import os
import hashlib
import hmac
import struct
import time
import unittest
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import CONTRAST_JS, SMALL_TARGETS_JS, UNLABELLED_JS, BrowserTest, gone, logins, post_raw

NAVIGATION = {
    "PRODUCTION_COORDINATOR": ["Orders", "New order", "Endoscope", "InstroSink", "Service requests", "Scan", "Trace", "Reports"],
    "PROCUREMENT_SPECIALIST": ["Procurement", "Orders", "Service requests", "Scan", "Trace"],
    "QC_PERSON": ["Quality control", "Nonconformances", "Orders", "Scan", "Trace", "Reports"],
    "ASSEMBLER": ["Production", "Orders", "Scan"],
    "SERVICE_DEPARTMENT": ["Service parts"],
    "ADMIN": [
        "Orders", "New order", "Procurement", "Quality control", "Nonconformances", "Production", "Service requests", "Scan", "Trace", "Reports", "Users",
        "Catalogue", "Tools", "Test instruments", "Work instructions", "Checklist templates", "Audit log",
    ],
}
# A page each role may not open.
FORBIDDEN = {
    "PRODUCTION_COORDINATOR": "/admin/users",
    "PROCUREMENT_SPECIALIST": "/orders/new",
    "QC_PERSON": "/production",
    "ASSEMBLER": "/qc",
    "SERVICE_DEPARTMENT": "/orders",
    "ADMIN": None,
}


def totp(secret, at=None):
    """RFC 6238 with SHA-1, 6 digits, 30 s, as authenticator apps compute it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at or time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


class Access(BrowserTest):

    def setUp(self):
        self.leave()

    def leave(self):
        """Signs out, then forgets the cookies: a session left live counts against the person's three (the
        axe-core browser signs the same people in meanwhile, and a fourth session ends the oldest)."""
        sign_out = "//button[normalize-space(.)='Sign out']"
        if not self.driver.find_elements(By.XPATH, sign_out):
            self.person.open("/")
        if self.driver.find_elements(By.XPATH, sign_out):
            self.person.sign_out()
        self.driver.delete_all_cookies()

    def nav(self):
        return [link.text for link in self.driver.find_elements(By.CSS_SELECTOR, "nav.sidebar li a")]

    def test_each_role_sees_only_its_navigation_and_pages(self):
        for role, expected in NAVIGATION.items():
            with self.subTest(role=role):
                self.leave()
                self.person.sign_in(role)
                self.assertEqual(self.nav(), expected)
                # The role lands on its first place, and every link of its navigation opens.
                self.assertEqual(urllib.parse.urlparse(self.driver.current_url).path, self.driver.find_element(
                    By.CSS_SELECTOR, "nav.sidebar li a").get_attribute("pathname"))
                for href in [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, "nav.sidebar li a")]:
                    self.driver.get(href)
                    self.assertNotIn("Not allowed", self.person.heading(), href)
                if FORBIDDEN[role]:
                    self.person.open(FORBIDDEN[role])
                    self.assertEqual(self.person.heading(), "Not allowed")

    def test_actions_follow_the_role(self):
        # An order just created: procurement may approve its BOMs, the assembler may not, nor send the parts.
        self.person.sign_in("PROCUREMENT_SPECIALIST")
        self.person.open("/orders?status=ORDER_CREATED")
        self.person.click(self.driver.find_element(By.CSS_SELECTOR, "table tbody a"))
        order = self.driver.current_url
        self.assertTrue(self.driver.find_elements(By.XPATH, "//button[starts-with(normalize-space(.), 'Approve BOM of')]"))
        self.assertTrue(self.person.has_button("Send parts"))
        self.person.sign_out()
        self.person.sign_in("ASSEMBLER")
        self.driver.get(order)
        self.assertFalse(self.driver.find_elements(By.XPATH, "//button[starts-with(normalize-space(.), 'Approve BOM of')]"))
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, ".actions button"))

    def test_a_post_without_the_csrf_token_is_refused(self):
        self.person.sign_in("PRODUCTION_COORDINATOR")
        self.person.open("/orders")
        self.person.click(self.driver.find_element(By.CSS_SELECTOR, "table tbody a"))
        path = urllib.parse.urlparse(self.driver.current_url).path
        cookies = self.person.cookies()
        self.assertEqual(post_raw(f"{path}/status", {"status": "SHIPPED"}, cookies), 403)
        self.assertEqual(post_raw(f"{path}/status", {"status": "SHIPPED", "_csrf": "forged"}, cookies), 403)
        self.assertEqual(post_raw("/logout", {}, cookies), 403)
        # The session still works: the forged posts changed nothing.
        self.driver.refresh()
        self.assertEqual(urllib.parse.urlparse(self.driver.current_url).path, path)

    def keys(self, *keys):
        """Typed on the keyboard, into whatever has the focus."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def test_keyboard_only_sign_in_and_first_wizard_step(self):
        email, password = logins()["PRODUCTION_COORDINATOR"]
        self.person.open("/login")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("name"), "email", "the e-mail has the focus")
        self.keys(email, Keys.TAB, password, Keys.ENTER)
        self.person.wait_for_path("/orders")
        self.person.open("/orders/new")
        values = {"poNumber": "KBD-" + str(int(time.time())), "customerName": "Keyboard Clinic",
                  "salesPerson": "Kim Keys", "wantDate": "01152030"}
        for _ in range(60):
            self.keys(Keys.TAB)
            name = self.driver.switch_to.active_element.get_attribute("name")
            if name in values:
                self.keys(values.pop(name))
            if not values:
                break
        self.assertEqual(values, {}, "every field of the first step is reachable with Tab")
        page = self.driver.find_element(By.TAG_NAME, "html")
        self.keys(Keys.ENTER)
        WebDriverWait(self.driver, 20).until(lambda _: gone(page))
        self.assertEqual(self.person.heading(), "Family and builds")

    def test_every_input_has_a_label_text_has_contrast_and_targets_fit_a_glove(self):
        pages = {
            "PRODUCTION_COORDINATOR": ["/orders", "/orders/new", "/notifications"],
            "PROCUREMENT_SPECIALIST": ["/procurement", "/service"],
            "QC_PERSON": ["/qc", "/account"],
            "ASSEMBLER": ["/production"],
            "SERVICE_DEPARTMENT": ["/service?q=faucet"],
            "ADMIN": ["/admin/users", "/admin/audit", "/admin/templates", "/admin/tools", "/admin/work-instructions", "/admin/catalog"],
        }
        self.person.open("/login")
        self.assertEqual(self.driver.execute_script(UNLABELLED_JS), [])
        self.assertEqual(self.driver.execute_script(CONTRAST_JS), [])
        for role, paths in pages.items():
            self.leave()
            self.person.sign_in(role)
            if role == "PRODUCTION_COORDINATOR":
                self.person.click(self.driver.find_element(By.CSS_SELECTOR, "table tbody a"))
                order = urllib.parse.urlparse(self.driver.current_url).path
                build = self.driver.find_element(By.CSS_SELECTOR, "section.build h2").text.removeprefix("Build ")
                paths = paths + [order, f"{order}/builds/{build}/checklists/pre-qc", f"{order}/builds/{build}/tasks"]
            for path in paths:
                with self.subTest(role=role, path=path):
                    self.person.open(path)
                    self.assertEqual(self.driver.execute_script(UNLABELLED_JS), [])
                    self.assertEqual(self.driver.execute_script(CONTRAST_JS), [])
                    self.assertEqual(self.driver.execute_script(SMALL_TARGETS_JS), [])

    def test_sign_in_returns_to_the_page_asked_for(self):
        self.person.open("/qc")
        self.assertEqual(urllib.parse.urlparse(self.driver.current_url).path, "/login")
        email, password = logins()["QC_PERSON"]
        self.person.fill("E-mail", email)
        self.person.fill("Password", password)
        self.person.press("Sign in")
        self.assertEqual(urllib.parse.urlparse(self.driver.current_url).path, "/qc")

    def test_admin_adds_a_user_who_turns_on_two_factor_sign_in(self):
        email = f"mfa-{int(time.time())}@e2e.torvan.test"
        password = "Glove-Safe-Sink-42!"
        self.person.sign_in("ADMIN")
        self.person.open("/admin/users")
        self.person.fill("Full name", "Morgan Factor")
        self.person.fill("Initials", "MF")
        self.person.fill("E-mail", email)
        self.person.choose("Role", "Quality control")
        self.person.fill("First password", "short")
        self.person.press("Add user")
        self.assertIn("password", self.driver.find_element(By.CSS_SELECTOR, ".field.invalid").text.lower())
        self.assertEqual(self.person.field("E-mail").get_attribute("value"), email, "the form keeps what was typed")
        self.person.fill("First password", password)
        self.person.press("Add user")
        self.assertIn("created", self.person.toast())
        self.person.sign_out()

        self.person.fill("E-mail", email)
        self.person.fill("Password", password)
        self.person.press("Sign in")
        self.assertEqual(urllib.parse.urlparse(self.driver.current_url).path, "/account", "a password someone else chose is changed first")
        own = "Own-Glove-Sink-77!"
        self.person.fill("Current password", password)
        self.person.fill("New password", own)
        self.person.fill("New password again", own)
        self.person.press("Change password")
        self.assertIn("changed", self.person.toast())
        password = own
        self.person.open("/account/mfa")
        self.person.press("Set up two-factor sign-in")
        secret = self.driver.find_element(By.CSS_SELECTOR, "code").text
        self.person.fill("The six-digit code it shows", totp(secret))
        self.person.fill("Your password", password)
        self.person.press("Turn on")
        codes = [code.text for code in self.driver.find_elements(By.CSS_SELECTOR, ".codes code")]
        self.assertEqual(len(codes), 10)
        self.person.sign_out()

        self.person.fill("E-mail", email)
        self.person.fill("Password", password)
        self.person.press("Sign in")
        self.assertTrue(self.person.field("Authenticator code"), "the second step asks for the code")
        self.person.fill("Password", password)
        self.person.fill("Authenticator code", codes[0])
        self.person.press("Sign in")
        self.assertEqual(self.nav(), NAVIGATION["QC_PERSON"])


    def test_admin_imports_the_catalogue_and_writes_a_work_instruction(self):
        catalog = os.environ.get("CLEANSTATION_CATALOG_DIR", os.path.join(os.path.dirname(__file__), "../../shared/catalog"))
        self.person.sign_in("ADMIN")
        self.person.open("/admin/catalog")
        for name in ("parts", "assemblies", "categories"):
            self.person.field(f"{name}.json").send_keys(os.path.abspath(os.path.join(catalog, f"{name}.json")))
        self.person.press("Import")
        self.assertIn("Catalogue imported", self.person.toast())
        parts = int(self.driver.find_element(By.XPATH, "//dt[.='Parts']/following-sibling::dd[1]").text)
        self.assertGreater(parts, 100, "the customer's catalogue, not the built-in one")

        tool = f"Torque wrench {int(time.time())}"
        self.person.open("/admin/tools")
        self.person.fill("Tool", tool)
        self.person.press("Add tool")
        self.assertIn(tool, self.driver.find_element(By.CSS_SELECTOR, "table").text)
        self.person.open("/admin/work-instructions")
        task = self.driver.find_element(By.CSS_SELECTOR, "details.card")
        self.person.click(task.find_element(By.TAG_NAME, "summary"))
        self.person.fill("Title", "Mount the legs", within=task)
        self.person.fill("Steps, one per line", "Lay the body on the bench\nBolt each leg at 40 N·m", within=task)
        self.person.click(task.find_element(By.XPATH, f".//label[normalize-space(.)='{tool}']"))
        self.person.click(task.find_element(By.XPATH, ".//button[starts-with(normalize-space(.), 'Save this instruction')]"))
        self.assertIn("saved", self.person.toast())
        self.assertIn("Written", self.driver.find_element(By.CSS_SELECTOR, "details.card summary").text)


if __name__ == "__main__":
    unittest.main()
