// Progressive enhancement only: every form works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Fields shown only when another control has a value (custom sizes, pegboard details).
  const controlValue = (form, name) => {
    const control = form.elements.namedItem(name);
    if (!control) return null;
    if (control.type === "checkbox") return control.checked ? "on" : "";
    return control.value;
  };
  const refresh = (form) => {
    form.querySelectorAll("[data-show-when]").forEach((field) => {
      field.hidden = controlValue(form, field.dataset.showWhen) !== field.dataset.showValue;
    });
    // Basin rows beyond the model's basin count, and faucet placements between basins that do not exist.
    form.querySelectorAll("[data-build]").forEach((build) => {
      const model = build.querySelector("select[name$='.model']:not([name*='legs'])");
      if (!model) return;
      const basins = Number((model.value.match(/B(\d)$/) || [0, 3])[1]);
      build.querySelectorAll("[data-basin]").forEach((group) => {
        group.hidden = Number(group.dataset.basin) > basins;
      });
      build.querySelectorAll("select[data-filter='placement'] option").forEach((option) => {
        const needs = option.value === "BETWEEN_2_3" ? 3 : option.value === "BETWEEN_1_2" ? 2 : 1;
        option.disabled = needs > basins;
      });
      // LC1 legs come height-adjustable only.
      const legType = build.querySelector("select[name$='.legs.type']");
      const legModel = build.querySelector("select[name$='.legs.model']");
      if (legType && legModel) {
        const lc1 = legModel.querySelector("option[value='LC1']");
        if (lc1) {
          lc1.disabled = legType.value === "FIXED_HEIGHT";
          if (lc1.disabled && legModel.value === "LC1") legModel.value = "DL27";
        }
      }
    });
  };
  document.querySelectorAll("form").forEach((form) => {
    refresh(form);
    form.addEventListener("change", () => refresh(form));
  });

  // Accessory search: hides the rows that do not match.
  document.querySelectorAll("[data-filter-list]").forEach((input) => {
    const list = document.getElementById(input.dataset.filterList);
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLowerCase();
      list.querySelectorAll(".field").forEach((field) => {
        field.hidden = needle !== "" && !field.textContent.toLowerCase().includes(needle);
      });
    });
  });

  // BOM tree: collapsed to its top-level lines at first; a node opens and closes its
  // descendants, and the search box shows the lines that match with the lines above them.
  document.querySelectorAll("[data-tree]").forEach((table) => {
    const rows = Array.from(table.querySelectorAll("tbody tr"));
    const depth = (row) => Number(row.dataset.depth);
    const parents = rows.map((row, index) => {
      for (let back = index - 1; back >= 0; back--) if (depth(rows[back]) < depth(row)) return back;
      return -1;
    });
    const label = (row, open) => (open ? "Collapse " : "Expand ") + row.querySelector("code").textContent;
    const setOpen = (row, open) => {
      const toggle = row.querySelector(".toggle");
      if (!toggle) return;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.setAttribute("aria-label", label(row, open));
    };
    const collapseAll = () => {
      rows.forEach((row) => {
        row.hidden = depth(row) > 0;
        setOpen(row, false);
      });
    };
    rows.forEach((row, index) => {
      const toggle = row.querySelector(".toggle");
      if (!toggle) return;
      toggle.hidden = false;
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        setOpen(row, open);
        for (let next = index + 1; next < rows.length && depth(rows[next]) > depth(row); next++) {
          // Opening shows the children only; closing hides every descendant.
          rows[next].hidden = open ? depth(rows[next]) !== depth(row) + 1 : true;
          setOpen(rows[next], false);
        }
      });
    });
    collapseAll();
    const filter = document.querySelector(`[data-tree-filter="${table.id}"]`);
    if (!filter) return;
    filter.hidden = false;
    filter.querySelector("input").addEventListener("input", (event) => {
      const needle = event.target.value.trim().toLowerCase();
      const count = filter.querySelector("[data-tree-count]");
      if (needle === "") {
        collapseAll();
        if (count) count.textContent = "";
        return;
      }
      rows.forEach((row) => {
        row.hidden = true;
        setOpen(row, false);
      });
      let matches = 0;
      rows.forEach((row, index) => {
        const words = `${row.querySelector("code").textContent} ${row.cells[1].textContent}`.toLowerCase();
        if (!words.includes(needle)) return;
        matches += 1;
        row.hidden = false;
        for (let up = parents[index]; up >= 0; up = parents[up]) {
          rows[up].hidden = false;
          setOpen(rows[up], true);
        }
      });
      if (count) count.textContent = matches === 0 ? "No line matches." : `${matches} line${matches === 1 ? "" : "s"} match.`;
    });
  });

  // Checklists: answers saved as a draft as they are entered, so that a
  // tablet that sleeps loses nothing; the "Save draft" button does the same without this.
  document.querySelectorAll("form[data-autosave]").forEach((form) => {
    const status = form.querySelector("[data-draft-status]");
    const revision = form.querySelector("[data-draft-revision]");
    let timer = null;
    const say = (text) => { if (status) status.textContent = text; };
    const save = () => {
      const body = new URLSearchParams(new FormData(form));
      body.delete("signature.password");
      // A redirect means the session ended (sign-in page): not saved.
      fetch(form.dataset.autosave, { method: "POST", body, headers: { "X-Autosave": "1" }, credentials: "same-origin", redirect: "manual" })
        .then((response) => {
          if (response.status === 204) {
            if (revision) revision.value = response.headers.get("X-Draft-Revision") || revision.value;
            say("Draft saved at " + new Date().toLocaleTimeString() + ".");
          } else if (response.status === 409) {
            say("Not saved: this checklist changed on another device or at a task. Reload the page to see it.");
          } else if (response.type === "opaqueredirect" || response.status === 401) {
            say("Not saved: your session has ended. Sign in again in another tab, then change an answer.");
          } else {
            say("Not saved (" + response.status + "): use Save draft to see why.");
          }
        })
        .catch(() => say("Not saved: no connection. Your answers are still on this page."));
    };
    form.addEventListener("change", (event) => {
      if (event.target.name === "signature.password") return;
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    });
  });

  // Readings outside their limits are flagged as they are typed: they would be signed as a failure.
  document.querySelectorAll("input[data-min], input[data-max]").forEach((input) => {
    const warning = document.createElement("span");
    warning.className = "field-warning";
    warning.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(warning);
    const refused = input.getAttribute("aria-invalid") === "true";
    const check = () => {
      const value = parseFloat(input.value);
      const low = input.dataset.min !== undefined && value < parseFloat(input.dataset.min);
      const high = input.dataset.max !== undefined && value > parseFloat(input.dataset.max);
      const outside = !Number.isNaN(value) && (low || high);
      if (outside) input.setAttribute("aria-invalid", "true");
      else if (!refused) input.removeAttribute("aria-invalid");
      warning.textContent = outside ? "Outside the limits: signed like this, the item fails." : "";
    };
    input.addEventListener("input", check);
    check();
  });

  // Printable pages.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  // The order wizard keeps its draft in the page: leaving it would lose what was typed, so the browser asks first.
  document.querySelectorAll("form[data-unsaved]").forEach((form) => {
    let unsaved = form.hasAttribute("data-unsaved-draft");
    form.addEventListener("input", () => {
      unsaved = true;
    });
    form.addEventListener("submit", () => {
      unsaved = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (!unsaved) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });

  // A confirmation leaves after a while (the live region has announced it); a refusal stays until it is dismissed.
  const settle = (toast) => {
    if (!toast.classList.contains("error")) {
      setTimeout(() => toast.remove(), 8000);
      return;
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => toast.remove());
    toast.append(" ", close);
  };
  document.querySelectorAll("[data-toast]").forEach(settle);

  // Task check-offs and their undo update the task in place: the page keeps its scroll and the
  // focus stays on the task. Without the script the form posts as before; when the request never
  // reached the server the plain post tries once more; any other answer is shown as the server gave it.
  document.querySelectorAll("ol.tasks").forEach((list) => {
    list.addEventListener("submit", async (event) => {
      const form = event.target;
      const item = form.closest("li.task");
      if (!item) return;
      event.preventDefault();
      // One post per tap: a second tap while the first is on its way does nothing.
      if (form.dataset.pending) return;
      form.dataset.pending = "1";
      form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
      let response;
      try {
        response = await fetch(form.action, {
          method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin", headers: { Accept: "text/html" },
        });
      } catch (error) {
        // Nothing reached the server: the plain post tries once more.
        form.submit();
        return;
      }
      const text = await response.text();
      const page = new DOMParser().parseFromString(text, "text/html");
      const fresh = response.ok ? page.getElementById(item.id) : null;
      if (!fresh) {
        // The server answered something else (a refusal, an expired form): show its page as it is, never post twice.
        document.open();
        document.write(text);
        document.close();
        return;
      }
      const adopted = document.adoptNode(fresh);
      item.replaceWith(adopted);
      for (const selector of ["h1 .count-pill", "#task-progress"]) {
        const mine = document.querySelector(selector);
        const theirs = page.querySelector(selector);
        if (mine && theirs) mine.replaceWith(document.adoptNode(theirs));
      }
      const toast = page.querySelector("[data-toast]");
      const region = document.querySelector(".toasts [role=status]");
      if (toast && region) {
        const shown = document.adoptNode(toast);
        region.replaceChildren(shown);
        settle(shown);
      }
      const next = adopted.querySelector("button, select, input:not([type=hidden])");
      if (next) next.focus({ preventScroll: true });
    });
  });

  // Scan: where the browser has BarcodeDetector, the camera reads the label's code and opens it through the
  // same form; without it (or without a camera, or when it is refused) the number is typed, as before.
  const scan = document.querySelector("[data-scan]");
  if (scan && "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    const start = scan.querySelector("[data-scan-start]");
    const video = scan.querySelector("video");
    const status = scan.querySelector("[data-scan-status]");
    const form = scan.querySelector("form");
    BarcodeDetector.getSupportedFormats().then((formats) => {
      if (!formats.includes("qr_code")) return;
      const detector = new BarcodeDetector({ formats: ["qr_code"] });
      start.hidden = false;
      start.addEventListener("click", async () => {
        start.disabled = true;
        let stream;
        try {
          stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
          video.srcObject = stream;
          video.hidden = false;
          await video.play();
        } catch (error) {
          if (stream) stream.getTracks().forEach((track) => track.stop());
          video.hidden = true;
          start.disabled = false;
          status.textContent = "The camera could not be opened: type the number instead.";
          return;
        }
        status.textContent = "Hold the code in front of the camera.";
        const look = async () => {
          const codes = await detector.detect(video).catch(() => []);
          if (codes.length > 0) {
            stream.getTracks().forEach((track) => track.stop());
            form.elements.code.value = codes[0].rawValue;
            status.textContent = "Code read: opening it.";
            form.submit();
            return;
          }
          setTimeout(look, 200);
        };
        look();
      });
    }).catch(() => {});
  }

  // The bell follows new notifications; a rise is announced politely.
  const bell = document.querySelector("[data-unread]");
  if (bell) {
    const announce = document.querySelector("[data-unread-announce]");
    setInterval(async () => {
      const response = await fetch("/notifications/unread", { credentials: "same-origin", redirect: "manual" }).catch(() => null);
      if (!response || !response.ok) return;
      const unread = (await response.json()).unread;
      const before = Number(bell.dataset.unread);
      if (unread === before) return;
      bell.dataset.unread = String(unread);
      bell.setAttribute("aria-label", `Notifications, ${unread} unread`);
      const count = bell.querySelector(".count");
      count.textContent = String(unread);
      count.hidden = unread === 0;
      if (unread > before) announce.textContent = `${unread - before} new notification${unread - before === 1 ? "" : "s"}`;
    }, 30000);
  }

  // An N/A answer takes no value.
  document.querySelectorAll("input[name$='.na']").forEach((box) => {
    const item = box.closest("[data-item]");
    const sync = () => item.querySelectorAll("[name$='.value']").forEach((input) => { input.disabled = box.checked; });
    box.addEventListener("change", sync);
    sync();
  });
});
