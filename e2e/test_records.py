"""Issue 18 in the browser: the reports a production manager reads, a
build's labels, and the service cart that keeps what was chosen across
searches and errors."""

import os
import subprocess
import tempfile
import unittest
import urllib.parse
import urllib.request

from selenium.webdriver.common.by import By

from browser import BASE, BrowserTest

REPORTS = ["First-pass yield", "Items that fail most", "Cycle time per stage", "Work in progress", "On-time delivery",
           "Overdue orders", "QC workload"]


class Records(BrowserTest):

    def fetch(self, href):
        """What a link downloads, with the browser's session (Chromium saves a download rather than showing it)."""
        cookie = "; ".join(f"{name}={value}" for name, value in self.person.cookies().items())
        request = urllib.request.Request(urllib.parse.urljoin(BASE, href), headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.headers.get("Content-Type", ""), response.read()

    def test_reports_draw_each_figure_and_tell_it_in_a_table_and_a_csv(self):
        self.person.switch_to("PRODUCTION_COORDINATOR")
        self.person.open("/reports")
        titles = [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "main section.card h2")]
        self.assertEqual(titles, REPORTS)
        charts = self.driver.find_elements(By.CSS_SELECTOR, "main svg.chart")
        self.assertGreaterEqual(len(charts), 6, "a chart for each report but the overdue list")
        for chart in charts:
            self.assertEqual(chart.get_attribute("role"), "img")
            self.assertTrue(chart.find_elements(By.TAG_NAME, "title"), "each chart is named")
        # Work in progress: the CSV has the table's lines (each counted when asked: the figures may move in between).
        section = self.driver.find_element(By.XPATH, "//section[h2[normalize-space(.)='Work in progress']]")
        table = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in section.find_elements(By.CSS_SELECTOR, "tbody tr")]
        self.assertTrue(table and sum(int(row[-1]) for row in table) > 0, table)
        kind, body = self.fetch(section.find_element(By.LINK_TEXT, "Download CSV").get_attribute("href"))
        self.assertTrue(kind.startswith("text/csv"), kind)
        lines = body.decode().splitlines()
        self.assertEqual(lines[0], "Status,Builds")
        self.assertEqual(len(lines) - 1, len(table))
        self.assertTrue(all(line.split(",")[1].isdigit() for line in lines[1:]), lines)
        # Another span of months, chosen as a person would.
        self.person.choose("Months, this one included", "12")
        self.person.press("Show")
        self.assertIn("months=12", self.driver.current_url)
        self.assertEqual([h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "main section.card h2")], REPORTS)

    def test_a_builds_labels_name_its_po_and_number(self):
        self.person.switch_to("PRODUCTION_COORDINATOR")
        self.person.open("/orders")
        self.person.click(self.driver.find_element(By.CSS_SELECTOR, "table a[href^='/orders/']"))
        po = self.driver.find_element(By.CSS_SELECTOR, ".page-head h1").text.split()[0]
        link = self.driver.find_element(By.XPATH, "//a[starts-with(normalize-space(.), 'Labels of ')]")
        build = link.text.split()[2]
        kind, pdf = self.fetch(link.get_attribute("href"))
        self.assertEqual(kind, "application/pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf", dir=os.environ.get("E2E_SCRATCH")) as file:
            file.write(pdf)
            file.flush()
            text = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
        self.assertIn(build, text)
        self.assertIn(po, text)

    def test_the_service_cart_keeps_its_parts_across_searches_and_errors(self):
        self.person.switch_to("SERVICE_DEPARTMENT")
        self.person.open("/service")
        catalogue = lambda: self.driver.find_element(By.XPATH, "//section[@aria-labelledby='catalog-title']")
        cart = lambda: self.driver.find_element(By.ID, "cart")
        self.assertEqual(cart().find_elements(By.CSS_SELECTOR, "tbody code"), [], "the demo's service user starts empty")
        self.person.fill("Search parts and assemblies", "T2-DL27")
        self.person.press("Search", catalogue())
        first = catalogue().find_element(By.CSS_SELECTOR, "tbody tr code").text
        # Nothing chosen: the results stay, and the error says what to do.
        self.person.press("Add to cart", catalogue())
        self.assertTrue(catalogue().find_elements(By.CSS_SELECTOR, "tbody tr"), "the results stay after an error")
        self.assertIn("Enter a quantity for at least one part", self.driver.find_element(By.CSS_SELECTOR, ".alert.error").text)
        self.person.fill(f"Quantity of {first}", "2", catalogue())
        self.person.press("Add to cart", catalogue())
        self.person.fill("Search parts and assemblies", "faucet")
        self.person.press("Search", catalogue())
        second = catalogue().find_element(By.CSS_SELECTOR, "tbody tr code").text
        self.assertEqual(self.person.field(f"Quantity of {first}", cart()).get_attribute("value"), "2", "kept across searches")
        self.person.fill(f"Quantity of {second}", "1", catalogue())
        self.person.press("Add to cart", catalogue())
        self.assertEqual({c.text for c in cart().find_elements(By.CSS_SELECTOR, "tbody code")}, {first, second})
        # And across sessions: signed out and in again, the cart is as it was.
        self.person.switch_to("SERVICE_DEPARTMENT")
        self.person.open("/service")
        self.assertEqual({c.text for c in cart().find_elements(By.CSS_SELECTOR, "tbody code")}, {first, second})
        self.person.press("Request these parts", cart())
        newest = self.driver.find_element(By.XPATH, "//section[@aria-labelledby='requests-title']//li").text
        self.assertIn(f"2 × {first}", newest)
        self.assertIn(f"1 × {second}", newest)
        self.assertEqual(cart().find_elements(By.CSS_SELECTOR, "tbody code"), [], "the cart is empty once requested")


if __name__ == "__main__":
    unittest.main()
