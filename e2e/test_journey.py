"""The whole life of a two-build order, through the web pages only: the
coordinator's wizard (with a validation error corrected on the page),
procurement, Pre-QC, assembly, test and packaging, Final QC, shipping."""

import datetime
import os
import re
import time
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser import BrowserTest, gone, logins, order_id


class OrderJourney(BrowserTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = "E2E-" + str(int(time.time()))
        cls.builds = [cls.po + "-1", cls.po + "-2"]
        cls.checked_limits = 0

    def pdf(self, name):
        path = os.path.join(os.environ.get("E2E_SCRATCH", "/tmp"), name)
        with open(path, "wb") as file:
            file.write(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
        return path

    def png(self, name):
        """A one-pixel PNG, as a tablet camera would give a larger one."""
        import struct
        import zlib

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
        image = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")
        path = os.path.join(os.environ.get("E2E_SCRATCH", "/tmp"), name)
        with open(path, "wb") as file:
            file.write(image)
        return path

    def status(self):
        return self.driver.find_element(By.CSS_SELECTOR, "h1 .badge").text

    def act_as(self, role):
        self.person.switch_to(role)
        self.person.open(f"/orders/{self.order}")

    def sign_checklist(self, role, build, label, failing=None):
        """Opens the build's checklist from the order page, answers every item
        as passing (but the one whose words start with `failing`), signs with
        the password and checks the result."""
        self.person.open(f"/orders/{self.order}")
        section = self.driver.find_element(By.ID, f"build-{build}")
        self.person.click(section.find_element(By.XPATH, f".//a[starts-with(normalize-space(.), '{label}')]"))
        instruments = self.driver.find_elements(By.ID, "instrument")
        if instruments:
            Select(instruments[0]).select_by_index(1)
        for item in self.driver.find_elements(By.CSS_SELECTOR, "form.checklist [data-item]"):
            radios = item.find_elements(By.CSS_SELECTOR, "input[type=radio][value=true]")
            selects = item.find_elements(By.CSS_SELECTOR, "select")
            inputs = item.find_elements(By.CSS_SELECTOR, "input[name$='.value']:not([type=radio])")
            # What the order says, where the item must match it ("Ordered: Lock & levelling castors").
            ordered = re.search(r"Ordered: (.+?)(?: or |$)", item.find_element(By.CSS_SELECTOR, ".item-text").text, re.M)
            if radios and failing and item.find_element(By.CSS_SELECTOR, ".item-text").text.startswith(failing):
                fail = item.find_element(By.CSS_SELECTOR, "input[type=radio][value=false]")
                self.person.click(item.find_element(By.CSS_SELECTOR, f"label[for='{fail.get_attribute('id')}']"))
            elif radios:
                self.person.click(item.find_element(By.CSS_SELECTOR, f"label[for='{radios[0].get_attribute('id')}']"))
            elif selects:
                if ordered:
                    Select(selects[0]).select_by_visible_text(ordered.group(1))
                else:
                    Select(selects[0]).select_by_index(1)
            elif inputs:
                limits = item.find_elements(By.CSS_SELECTOR, ".limits")
                text = limits[0].text if limits else ""
                bound = re.search(r"min ([\d.-]+)", text) or re.search(r"max ([\d.-]+)", text)
                inputs[0].clear()
                if inputs[0].get_attribute("type") == "number":
                    low, high = inputs[0].get_attribute("data-min"), inputs[0].get_attribute("data-max")
                    if (low or high) and not ordered:
                        # A reading outside its limits is flagged as it is typed, and the flag goes with a good one.
                        inputs[0].send_keys(str(float(low) - 1) if low else str(float(high) + 1))
                        warning = item.find_element(By.CSS_SELECTOR, ".field-warning")
                        self.assertEqual(inputs[0].get_attribute("aria-invalid"), "true")
                        self.assertIn("Outside the limits", warning.text)
                        inputs[0].clear()
                        self.checked_limits += 1
                    inputs[0].send_keys(ordered.group(1) if ordered else bound.group(1) if bound else "1")
                    if (low or high) and not ordered:
                        self.assertIsNone(inputs[0].get_attribute("aria-invalid"))
                        self.assertEqual(item.find_element(By.CSS_SELECTOR, ".field-warning").text, "")
                else:
                    inputs[0].send_keys("SN-" + build if "Serial" in (inputs[0].get_attribute("placeholder") or "") else "OK")
        self.driver.find_element(By.ID, "signature-password").send_keys(logins()[role][1])
        self.person.press(f"Sign {self.driver.find_element(By.TAG_NAME, 'h1').text}")
        self.assertIn("signed: FAIL" if failing else "signed: PASS", self.person.toast())
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, ".result .hash code"), "the result shows its hash")

    def change_status(self, button, expected):
        self.person.press(button)
        self.assertEqual(self.status(), expected, self.person.toast())

    def test_journey(self):
        person, driver = self.person, self.driver
        person.sign_in("PRODUCTION_COORDINATOR")
        self.assertEqual(person.heading(), "Orders")
        person.press("New order")

        # 1. Customer and order, with the purchase order's PDF.
        person.fill("PO number", self.po)
        person.fill("Customer", "St. Mary Hospital")
        person.fill("Project", "Sterile processing")
        person.fill("Sales person", "Dana Ruiz")
        want = (datetime.date.today() + datetime.timedelta(days=45)).strftime("%m%d%Y")
        person.field("Want date").send_keys(want)
        person.field("Purchase order (PDF or image)").send_keys(self.pdf("po.pdf"))
        person.press("Next")

        # 2. Two sinks: the second build number is asked for after the quantity changes.
        self.assertEqual(person.heading(), "Family and builds")
        person.fill("Number of sinks", "2")
        person.fill("Build 1", self.builds[0])
        person.press("Next")
        self.assertIn("builds[1].buildNumber", driver.page_source)
        person.fill("Build 2", self.builds[1])
        person.press("Next")

        # 3. Configuration: a length out of range is refused next to its field, then corrected.
        self.assertEqual(person.heading(), "Configuration")
        first = driver.find_element(By.CSS_SELECTOR, "[data-build='0']")
        person.choose("Model", "T2-B2 · 2 basins", within=first)
        person.fill("Width", "30", within=first)
        person.fill("Length", "200", within=first)
        person.choose("Faucet 1", "Wrist blade", within=first)
        person.choose("Placement", "Between basins 1 and 2", within=first)
        person.press("Next")
        error = driver.find_element(By.ID, "f-builds-0--length-error")
        self.assertIn("48 to 120", error.text)
        self.assertEqual(driver.find_element(By.ID, "f-builds-0--length").get_attribute("aria-invalid"), "true")
        first = driver.find_element(By.CSS_SELECTOR, "[data-build='0']")
        person.fill("Length", "72", within=first)
        second = driver.find_element(By.CSS_SELECTOR, "[data-build='1']")
        Select(second.find_element(By.CSS_SELECTOR, "select[name='copy[1]']")).select_by_visible_text(self.builds[0])
        person.press("Copy", within=second)
        second = driver.find_element(By.CSS_SELECTOR, "[data-build='1']")
        self.assertEqual(second.find_element(By.ID, "f-builds-1--length").get_attribute("value"), "72", "copied from build 1")
        person.press("Next")

        # 4. Accessories, then 5. the review with each build's BOM.
        self.assertEqual(person.heading(), "Accessories")
        quantity = driver.find_elements(By.CSS_SELECTOR, "[data-build='0'] input[type=number]")[0]
        quantity.send_keys("2")
        person.press("Next")
        self.assertEqual(person.heading(), "Review")
        self.assertEqual(len(driver.find_elements(By.CSS_SELECTOR, "table.tree")), 2)
        self.assertIn("po.pdf", driver.page_source)
        person.press("Back")
        self.assertEqual(person.heading(), "Accessories")
        self.assertEqual(driver.find_elements(By.CSS_SELECTOR, "[data-build='0'] input[type=number]")[0].get_attribute("value"), "2", "the draft survives going back")
        person.press("Next")
        person.press("Create order")
        self.assertIn(f"Order {self.po} created", person.toast())
        self.order = order_id(driver.current_url)
        self.assertTrue(self.order)
        self.assertEqual(self.status(), "Order created")
        self.assertIn("po.pdf", driver.page_source)

        person.fill("Add a comment", "Customer confirmed the drawing by phone.")
        person.press("Post comment")
        self.assertEqual(person.toast(), "Comment added.")

        # Procurement reads the comment, approves both BOMs, attaches the drawing and sends the parts.
        self.act_as("PROCUREMENT_SPECIALIST")
        self.assertIn("Customer confirmed the drawing by phone.", driver.find_element(By.CSS_SELECTOR, ".comments").text)
        for build in self.builds:
            person.press(f"Approve BOM of {build}")
            self.assertIn("approved", person.toast())
        Select(person.field("Kind")).select_by_visible_text("Approved drawing")
        person.field("File (PDF, PNG or JPEG)").send_keys(self.pdf("drawing.pdf"))
        person.press("Attach")
        # One line goes to a supplier: the order waits for it before Pre-QC.
        person.click(driver.find_element(By.XPATH, f"//summary[normalize-space(.)='Outsource a line of {self.builds[0]}']"))
        line = Select(person.field("BOM line")).first_selected_option.get_attribute("value")
        person.fill("Supplier", "Acme Welding")
        person.press("Outsource")
        self.assertEqual(person.toast(), f"{line} outsourced.")
        self.change_status("Send parts", "Parts sent")
        # The build with the outsourced line waits, disabled, with the reason the API would give; the other may go on.
        waiting = driver.find_element(By.XPATH, f"//button[normalize-space(.)='Ready for Pre-QC: {self.builds[0]}']")
        self.assertFalse(waiting.is_enabled())
        self.assertIn("must be RECEIVED first", driver.find_element(By.ID, waiting.get_attribute("aria-describedby")).text)
        self.assertEqual(self.status(), "Parts sent")
        person.press(f"Mark {line} sent")
        person.press(f"Mark {line} received")
        self.assertIn("Received", driver.find_element(By.XPATH, "//h2[.='Outsourcing']/..").text)
        self.change_status("Ready for Pre-QC", "Ready for Pre-QC")

        # QC passes Pre-QC for both builds and releases the order to production.
        self.act_as("QC_PERSON")
        # A photo of one item, taken from the checklist page before signing, is shown beside that item
        # and enters the signed record.
        section = driver.find_element(By.ID, f"build-{self.builds[0]}")
        person.click(section.find_element(By.XPATH, ".//a[starts-with(normalize-space(.), 'Pre-QC')]"))
        driver.find_elements(By.CSS_SELECTOR, "form.checklist .item-photo input[type=file]")[0].send_keys(self.png("weld.png"))
        person.click(driver.find_elements(By.XPATH, "//button[starts-with(normalize-space(.), 'Attach photo')]")[0])
        self.assertEqual(person.toast(), "Photo attached to the item.")
        self.assertEqual(person.heading(), "Pre-QC")
        self.assertTrue(driver.find_elements(By.CSS_SELECTOR, "[data-item] .photos img"), "the photo is shown beside its item")
        for build in self.builds:
            self.sign_checklist("QC_PERSON", build, "Pre-QC")
            if build == self.builds[0]:
                self.assertTrue(driver.find_elements(By.CSS_SELECTOR, "table.record img"), "the photo is part of the signed result")
        person.open(f"/orders/{self.order}")
        self.change_status("Release to production", "Ready for production")

        # The assembler claims both builds, works through the tasks, records production and the test.
        self.act_as("ASSEMBLER")
        for build in self.builds:
            person.press(f"Claim {build}")
        for build in self.builds:
            person.open(f"/orders/{self.order}/builds/{build}/tasks")
            while True:
                forms = driver.find_elements(By.CSS_SELECTOR, "form.task-done")
                if not forms:
                    break
                choices = forms[0].find_elements(By.TAG_NAME, "select")
                if choices:
                    Select(choices[0]).select_by_index(1)
                # The task updates in place: no new page, the scroll stays where the assembler is.
                button = forms[0].find_element(By.XPATH, ".//button[starts-with(normalize-space(.), 'Done')]")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
                page = driver.find_element(By.TAG_NAME, "html")
                scrolled = driver.execute_script("return window.scrollY")
                button.click()
                WebDriverWait(driver, 20).until(lambda _: gone(forms[0]))
                self.assertFalse(gone(page), "the page was not reloaded")
                self.assertEqual(driver.execute_script("return window.scrollY"), scrolled)
                self.assertEqual(person.toast(), "Task done.")
            progress = driver.find_element(By.ID, "task-progress")
            self.assertEqual(progress.get_attribute("value"), progress.get_attribute("max"))
            self.sign_checklist("ASSEMBLER", build, "Production checklist")
            self.sign_checklist("ASSEMBLER", build, "End-of-line test")
        self.assertGreater(self.checked_limits, 0, "the end-of-line test has readings with limits, each flagged out of them first")
        person.open(f"/orders/{self.order}")
        self.change_status("Mark testing complete", "Testing complete")
        # Packaging lists every quantity and the accessories ordered; what does not apply shows as N/A.
        self.person.open(f"/orders/{self.order}")
        section = driver.find_element(By.ID, f"build-{self.builds[0]}")
        person.click(section.find_element(By.XPATH, ".//a[starts-with(normalize-space(.), 'Packaging')]"))
        quantities = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "form.checklist .quantity")]
        self.assertIn("× 1", quantities)
        self.assertTrue(any(text.startswith("× ") and text != "× 1" for text in quantities), quantities)
        self.assertTrue(driver.find_elements(By.XPATH, "//*[contains(@class,'item-text')][starts-with(normalize-space(.), 'Accessory ordered:')]"))
        not_applicable = driver.find_elements(By.CSS_SELECTOR, ".item.not-applicable")
        self.assertTrue(not_applicable, "items that do not apply are shown")
        self.assertIn("N/A", not_applicable[0].text)
        self.assertIn("Does not apply: needs", not_applicable[0].text)
        for build in self.builds:
            self.sign_checklist("ASSEMBLER", build, "Packaging")
        person.open(f"/orders/{self.order}")
        self.change_status("Mark packaging complete", "Packaging complete")
        self.change_status("Hand over to Final QC", "Ready for Final QC")

        # QC passes the first build and fails the second for its missing mat: the first goes on alone.
        first, second = self.builds
        self.act_as("QC_PERSON")
        self.sign_checklist("QC_PERSON", first, "Final QC")
        self.sign_checklist("QC_PERSON", second, "Final QC", failing="Anti-fatigue mat")
        person.open(f"/orders/{self.order}")
        self.change_status("Approve for shipping (1 of 2 builds)", "Ready for Final QC")
        self.assertIn("Ready to ship", driver.find_element(By.ID, f"title-{first}").text)

        # The failure opened a nonconformance; QC decides to rework the packaging only.
        person.click(driver.find_element(By.XPATH, "//section[@id='nonconformances']//a"))
        self.assertIn("Anti-fatigue mat", driver.find_element(By.TAG_NAME, "main").text)
        person.click(driver.find_element(By.XPATH, "//label[contains(@class,'choice')][normalize-space(.)='Packaging']"))
        person.fill("Your password, to sign the decision", logins()["QC_PERSON"][1])
        person.press("Record the disposition")
        self.assertEqual(person.toast(), "Disposition recorded.")
        self.assertIn("In rework", person.heading())

        # The first build ships now, in its own shipment.
        self.act_as("PRODUCTION_COORDINATOR")
        person.fill("Carrier", "DHL Freight")
        person.fill("Tracking number", "JD0001")
        person.click(driver.find_element(By.ID, "ship-confirm"))
        person.press("Mark shipped")
        self.assertIn("Shipment recorded", person.toast())
        self.assertIn("Shipped", driver.find_element(By.ID, f"title-{first}").text)
        self.assertIn("Testing complete", driver.find_element(By.ID, f"title-{second}").text)

        # The second build: packaging and Final QC again, and nothing else.
        self.act_as("ASSEMBLER")
        person.press(f"Claim {second}")
        self.sign_checklist("ASSEMBLER", second, "Packaging")
        person.open(f"/orders/{self.order}")
        person.press(f"Mark packaging complete: {second}")
        person.press(f"Hand over to Final QC: {second}")
        self.act_as("QC_PERSON")
        self.sign_checklist("QC_PERSON", second, "Final QC")
        person.open(f"/orders/{self.order}")
        self.change_status("Approve for shipping", "Ready to ship")
        self.act_as("PRODUCTION_COORDINATOR")
        person.fill("Carrier", "DHL Freight")
        person.fill("Tracking number", "JD0002")
        # Shipping cannot be undone: without the tick the browser does not send the form.
        person.driver.find_element(By.XPATH, "//button[normalize-space(.)='Mark shipped']").click()
        self.assertTrue(driver.execute_script("return arguments[0].validity.valueMissing", driver.find_element(By.ID, "ship-confirm")))
        self.assertNotIn("Shipped", driver.find_element(By.ID, f"title-{second}").text)
        person.click(driver.find_element(By.ID, "ship-confirm"))
        person.press("Mark shipped")
        self.assertEqual(self.status(), "Shipped")
        shipments = driver.find_element(By.ID, "shipments").text
        self.assertIn("JD0001", shipments)
        self.assertIn("JD0002", shipments)
        history = driver.find_element(By.CSS_SELECTOR, ".history").text
        for stage in ("Order created", "Parts sent", "Ready for Pre-QC", "Ready for production", "Ready for Final QC", "Shipped"):
            self.assertIn(stage, history)
        person.open("/nonconformances?state=CLOSED")
        self.assertIn(f"NCR-{second}-1", driver.find_element(By.TAG_NAME, "main").text)


if __name__ == "__main__":
    unittest.main()
