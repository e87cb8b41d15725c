"""`make screenshots`: PNGs of every main page, per role, at desktop
(1440×900) and tablet (1024×768) sizes, into the folder given (not committed)."""

import os
import sys

from selenium.webdriver.common.by import By

from browser import Person, chrome

PAGES = {
    "PRODUCTION_COORDINATOR": ["/orders", "/orders/new", "/notifications", "/families/endoscope"],
    "PROCUREMENT_SPECIALIST": ["/procurement", "/service"],
    "QC_PERSON": ["/qc", "/account"],
    "ASSEMBLER": ["/production"],
    "SERVICE_DEPARTMENT": ["/service?q=faucet"],
    "ADMIN": ["/admin/users", "/admin/audit?verify=1", "/admin/templates", "/admin/tools", "/admin/work-instructions", "/admin/catalog"],
}


def name(role, path):
    slug = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
    return f"{role.lower()}--{slug}"


def main(folder):
    os.makedirs(folder, exist_ok=True)
    saved = 0
    for width, height in ((1440, 900), (1024, 768)):
        for role, paths in PAGES.items():
            driver = chrome(width, height)
            person = Person(driver)
            try:
                person.sign_in(role)
                pages = list(paths)
                if role == "PRODUCTION_COORDINATOR":
                    # An order's detail, its printable summary, a checklist and the task list.
                    person.open("/orders")
                    href = driver.find_element(By.CSS_SELECTOR, "table a").get_attribute("href")
                    order = href.split("/orders/")[1]
                    build = driver.find_element(By.CSS_SELECTOR, "table tbody tr td:nth-child(3)").text.split(",")[0].strip()
                    pages += [
                        ("order", f"/orders/{order}"), ("order-print", f"/orders/{order}/print"),
                        ("checklist-pre-qc", f"/orders/{order}/builds/{build}/checklists/pre-qc"),
                        ("tasks", f"/orders/{order}/builds/{build}/tasks"),
                    ]
                for page in pages:
                    label, path = page if isinstance(page, tuple) else (name(role, page), page)
                    if isinstance(page, tuple):
                        label = f"{role.lower()}--{label}"
                    person.open(path)
                    file = os.path.join(folder, f"{label}--{width}x{height}.png")
                    driver.save_screenshot(file)
                    saved += 1
            finally:
                driver.quit()
    driver = chrome()
    try:
        Person(driver).open("/login")
        driver.save_screenshot(os.path.join(folder, "login--1440x900.png"))
        saved += 1
    finally:
        driver.quit()
    print(f"{saved} screenshots in {folder}")


if __name__ == "__main__":
    main(sys.argv[1])
