"""axe-core on every page a person uses, for every role, at desktop and tablet
sizes: any serious or critical violation fails (issue 19). The sizes are the
review's of issue 20: every role's pages at 1440x900 and 1024x768, and the
QC inspector's and the assembler's, who work on tablets, at 800x1280 portrait
too. axe-core 4.12.1 comes from PyPI's axe-playwright-python as a plain
axe.min.js, injected here."""

import os
import unittest
import urllib.parse

import axe_playwright_python
from selenium.webdriver.common.by import By

from browser import BrowserTest

AXE = open(os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js"), encoding="utf-8").read()
SIZES = {"desktop": (1440, 900), "tablet": (1024, 768), "tablet portrait": (800, 1280)}
ROLES = ["PRODUCTION_COORDINATOR", "PROCUREMENT_SPECIALIST", "QC_PERSON", "ASSEMBLER", "SERVICE_DEPARTMENT", "ADMIN"]
# Who works on a tablet held upright as well.
PORTRAIT = {"QC_PERSON", "ASSEMBLER"}


def sizes(role):
    return {size: dimensions for size, dimensions in SIZES.items() if size != "tablet portrait" or role in PORTRAIT}


class Axe(BrowserTest):
    maxDiff = None  # every violation in the log, not the first few


    def violations(self):
        """The serious and critical violations of the page as it stands."""
        self.driver.execute_script(AXE)
        self.driver.set_script_timeout(60)
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
        return [v for v in result if v.get("impact") in ("serious", "critical")]

    def pages(self, role):
        """Every place of the role's navigation, a catalogue item's page, and the pages one order leads to (its build's own page too)."""
        self.person.open("/")
        paths = [urllib.parse.urlparse(a.get_attribute("href")).path
                 for a in self.driver.find_elements(By.CSS_SELECTOR, "nav.sidebar li a")]
        paths += ["/account", "/notifications", "/catalog/items/T2-DL27-KIT"]
        if role != "SERVICE_DEPARTMENT":
            self.person.open("/orders")
            orders = [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, "table a[href^='/orders/'], table a[href*='/orders/']")]
            if orders:
                order = urllib.parse.urlparse(orders[0]).path
                paths.append(order)
                self.person.open(order)
                links = [urllib.parse.urlparse(a.get_attribute("href")).path
                         for a in self.driver.find_elements(By.CSS_SELECTOR, "section.build .chips a")]
                paths += links[:7]
            paths.append("/nonconformances")
        if role == "ADMIN":
            self.person.open("/admin/users")
            users = [a.get_attribute("href") for a in self.driver.find_elements(By.CSS_SELECTOR, "a[href^='/admin/users/'], table a[href*='/admin/users/']")]
            paths += [urllib.parse.urlparse(u).path for u in users[:1]]
        seen = []
        for path in paths:
            if path not in seen:
                seen.append(path)
        return seen

    def test_axe_finds_what_it_should(self):
        """The check itself: an image without a text alternative, added to a page, is reported."""
        self.person.open("/login")
        self.driver.execute_script("const i = document.createElement('img'); i.src = '/css/none.png'; document.querySelector('main').appendChild(i);")
        self.assertIn("image-alt", [v["id"] for v in self.violations()])

    def test_every_page_of_every_role_at_every_size(self):
        found = []
        checked = 0
        for role in ROLES:
            self.person.open("/login")
            if self.driver.find_elements(By.XPATH, "//button[normalize-space(.)='Sign out']"):
                self.person.sign_out()
            self.person.sign_in(role)
            for path in self.pages(role):
                for size, (width, height) in sizes(role).items():
                    self.driver.set_window_size(width, height)
                    self.person.open(path)
                    if urllib.parse.urlparse(self.driver.current_url).path == "/login" and path != "/login":
                        # The other browser signed this person in meanwhile (three live sessions each): again.
                        self.person.sign_in(role)
                        self.person.open(path)
                    if urllib.parse.urlparse(self.driver.current_url).path == "/login" and path != "/login":
                        found.append(f"{role} {path} ({size}): the sign-in page came instead")
                        continue
                    checked += 1
                    for violation in self.violations():
                        nodes = "; ".join(" ".join(node.get("target", [])) for node in violation.get("nodes", [])[:3])
                        found.append(f"{role} {path} ({size}): {violation['id']} ({violation['impact']}): {violation['help']} at {nodes}")
            self.driver.set_window_size(*SIZES["desktop"])
        # The sign-in page, before anyone signs in.
        self.person.sign_out()
        for size, (width, height) in SIZES.items():
            self.driver.set_window_size(width, height)
            self.person.open("/login")
            found += [f"/login ({size}): {v['id']}: {v['help']}" for v in self.violations()]
        self.assertEqual(found, [], "\n".join(found))
        self.assertGreater(checked, 150, "every role's pages, at two sizes, and three for QC and the assembler")


if __name__ == "__main__":
    unittest.main()
