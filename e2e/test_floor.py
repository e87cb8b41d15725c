"""The pages the floor uses all day (issue 20), in a real browser: the BOM
tree drawn the right way round, collapsed and searchable; the order page's
parts one click away; a refusal that stays until it is read."""


from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import BrowserTest, Person


class Floor(BrowserTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person.sign_in("PRODUCTION_COORDINATOR")

    def open_first_order(self):
        self.person.open("/orders")
        self.person.click(self.driver.find_element(By.CSS_SELECTOR, "table.table tbody tr td a"))

    def test_the_bom_tree_is_collapsed_indented_under_its_parents_and_searchable(self):
        self.open_first_order()
        table = self.driver.find_element(By.CSS_SELECTOR, "table[data-tree]")
        rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
        depths = [int(row.get_attribute("data-depth")) for row in rows]
        self.assertIn(1, depths, "the BOM has nested lines")
        visible = [row for row in rows if row.is_displayed()]
        self.assertTrue(visible and all(row.get_attribute("data-depth") == "0" for row in visible), "only the top-level lines at first")

        # Open the first parent: its children show, each drawn to the right of it.
        parent_index = next(i for i, row in enumerate(rows) if row.find_elements(By.CSS_SELECTOR, ".toggle"))
        parent = rows[parent_index]
        toggle = parent.find_element(By.CSS_SELECTOR, ".toggle")
        self.assertEqual(toggle.get_attribute("aria-expanded"), "false")
        toggle.click()
        self.assertEqual(toggle.get_attribute("aria-expanded"), "true")
        child = rows[parent_index + 1]
        self.assertTrue(child.is_displayed())
        parent_x = parent.find_element(By.TAG_NAME, "code").location["x"]
        child_x = child.find_element(By.TAG_NAME, "code").location["x"]
        self.assertGreater(child_x, parent_x, "a child is indented under its parent, not to its left")

        # Search for a nested line: it shows with the lines above it, and nothing unrelated.
        deep_index = max(range(len(rows)), key=lambda i: depths[i])
        deep = rows[deep_index]
        code = deep.find_element(By.TAG_NAME, "code").get_attribute("textContent")
        search = self.person.field("Find in the BOM of " + table.get_attribute("id").removeprefix("tree-"))
        search.send_keys(code)
        WebDriverWait(self.driver, 5).until(lambda _: deep.is_displayed())
        ancestors, depth = set(), depths[deep_index]
        for i in range(deep_index - 1, -1, -1):
            if depths[i] < depth:
                ancestors.add(i)
                depth = depths[i]
        for i, row in enumerate(rows):
            matches = code.lower() in (row.find_element(By.TAG_NAME, "code").get_attribute("textContent")
                                       + " " + row.find_elements(By.TAG_NAME, "td")[1].get_attribute("textContent")).lower()
            if i in ancestors or matches:
                self.assertTrue(row.is_displayed(), f"row {i} leads to or matches {code}")
            else:
                self.assertFalse(row.is_displayed(), f"row {i} neither matches {code} nor leads to it")
        self.assertIn("match", self.driver.find_element(By.CSS_SELECTOR, "[data-tree-count]").text)
        # Emptied, the tree folds back to its top-level lines.
        self.driver.execute_script(
            "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", search)
        self.assertTrue(all(row.is_displayed() == (d == 0) for row, d in zip(rows, depths)))

    def test_the_order_page_leads_to_each_of_its_parts(self):
        self.open_first_order()
        nav = self.driver.find_element(By.CSS_SELECTOR, "nav.section-nav")
        documents = nav.find_element(By.XPATH, ".//a[starts-with(normalize-space(.), 'Documents')]")
        documents.click()
        WebDriverWait(self.driver, 5).until(lambda d: d.current_url.endswith("#documents"))
        section = self.driver.find_element(By.ID, "documents")
        top, height = self.driver.execute_script(
            "return [arguments[0].getBoundingClientRect().top, window.innerHeight]", section)
        self.assertTrue(0 <= top < height, f"the Documents section is in view after one click ({top} of {height})")

    def test_the_wizard_asks_before_its_draft_is_lost(self):
        self.person.open("/orders/new")
        asks = "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;"
        self.assertFalse(self.driver.execute_script(asks), "nothing typed yet: leaving costs nothing")
        self.person.fill("Customer", "Leaving Clinic")
        self.assertTrue(self.driver.execute_script(asks), "what was typed would be lost: the browser asks first")
        self.person.open("/orders")
        self.assertEqual(self.person.heading(), "Orders", "the person may still leave")

    def test_a_long_queue_counts_every_order_and_pages_through_them(self):
        """At 5,000 demo orders (e2e/run.sh), a queue holds hundreds: its count is every
        order in it, and its pages show each of them once."""
        person = Person(self.driver)
        person.sign_out()
        person.sign_in("QC_PERSON")
        try:
            person.open("/qc")
            section = self.driver.find_element(By.ID, "pre-qc")
            count = section.find_element(By.CSS_SELECTOR, ".count-pill").text.split()[0]
            self.assertNotIn("+", count)
            expected = int(count)
            self.assertGreater(expected, 100, "the old queue stopped at 100 rows and said 100")
            seen = []
            for _ in range(60):
                section = self.driver.find_element(By.ID, "pre-qc")
                seen += [link.text for link in section.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child a")]
                following = section.find_elements(By.CSS_SELECTOR, "a[rel=next]")
                if not following:
                    break
                person.click(following[0])
            self.assertEqual(len(seen), expected, "every order of the count, page after page")
            self.assertEqual(len(set(seen)), expected, "none twice")
        finally:
            person.sign_out()
            person.sign_in("PRODUCTION_COORDINATOR")

    def test_scan_types_the_number_where_no_camera_reads_it(self):
        """Headless Chromium on Linux has no BarcodeDetector: the camera button stays hidden, and the number
        printed under the code, typed (in lower case, as a glove types it), opens the build's own page."""
        self.open_first_order()
        build = self.driver.find_element(By.CSS_SELECTOR, "section.build h2").get_attribute("id").removeprefix("title-")
        self.person.open("/scan")
        camera = self.driver.find_element(By.CSS_SELECTOR, "[data-scan-start]")
        # Fallback only: where the browser can read codes the button is offered, which headless Linux cannot show.
        can_read = self.driver.execute_script(
            "return 'BarcodeDetector' in window && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)")
        if not can_read:
            self.assertFalse(camera.is_displayed())
        label = "Build number, item number or the code's address"
        self.person.fill(label, build.lower())
        self.person.press("Open")
        self.assertTrue(self.person.heading().startswith(build), self.person.heading())
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, f"#build-{build}"))
        self.person.open("/scan")
        self.person.fill(label, "NOT-A-BUILD")
        self.person.press("Open")
        field = self.person.field(label)
        self.assertEqual(field.get_attribute("aria-invalid"), "true")
        self.assertIn("NOT-A-BUILD", self.driver.find_element(By.ID, "scan-code-error").text)
