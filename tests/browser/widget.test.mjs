// The chat widget in Debian's Chromium (playwright-core) against the real assistant.
// Run by tests/browser/test_widget_browser.py, which starts the servers and passes:
//   VEIVISER_URL (the web app), CHROMIUM (the browser binary), SCREENSHOTS (a folder).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const URL = process.env.VEIVISER_URL;
const SCREENSHOTS = process.env.SCREENSHOTS;
const PHONE = { width: 360, height: 740 };
let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => browser && browser.close());

async function page(viewport = PHONE) {
  const context = await browser.newContext({ viewport, locale: "nb-NO" });
  const p = await context.newPage();
  await p.goto(URL);
  await p.waitForSelector("#vv-input");
  return p;
}

async function pick(p, language) {
  await p.selectOption("#vv-language", language);
  await p.waitForFunction((l) => document.querySelector(".vv-root").lang === l, language);
}

async function ask(p, text) {
  const before = await p.locator(".vv-bot").count();
  await p.fill("#vv-input", text);
  await p.press("#vv-input", "Enter");
  await p.waitForFunction((n) => document.querySelectorAll(".vv-bot").length > n, before, { timeout: 30000 });
}

async function axe(p) {
  // Evaluated by the test runner, not added as an inline script: the page's Content-Security-Policy
  // rightly refuses inline scripts, and the widget is tested under it.
  if (!(await p.evaluate(() => Boolean(window.axe)))) await p.evaluate(AXE);
  return p.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

// One answer, one message (issue 13): a service answer and a contact answer are at most two bubbles.
for (const viewport of [PHONE, { width: 1280, height: 900 }]) {
  test(`an answer is at most two bubbles at ${viewport.width} px`, async () => {
    for (const [language, question] of [["en", "Can my son get a support contact?"], ["nb", "Hva koster avlastning?"],
      ["en", "What is your phone number?"], ["ar", "ما هو رقم الهاتف؟"]]) {
      const p = await page(viewport);
      await pick(p, language);
      await ask(p, question);
      await p.waitForTimeout(500);  // every reply of the turn is in
      const bubbles = await p.locator(".vv-bot").count();
      assert.ok(bubbles <= 2, `${question}: ${bubbles} bubbles`);
      assert.equal(await p.locator(".vv-card").count(), 1, `${question}: one card`);
      assert.deepEqual(await axe(p), [], question);
      await p.screenshot({ path: `${SCREENSHOTS}/one-answer-${language}-${viewport.width}.png`, fullPage: true });
      await p.context().close();
    }
  });
}

const CONVERSATIONS = [
  { language: "nb", question: "Hva er avlastning?", label: "Send", script: /[a-zæøå]/i },
  { language: "en", question: "What is relief care?", label: "Send", script: /[a-z]/i },
  { language: "ar", question: "ما هي الرعاية المؤقتة؟", label: null, script: /[\u0600-\u06FF]/ },
  { language: "ti", question: "ናይ ዕረፍቲ ሓገዝ እንታይ እዩ?", label: null, script: /[\u1200-\u139F]/ },
];

for (const { language, question, script } of CONVERSATIONS) {
  test(`a conversation in ${language}, with no WCAG 2.1 A/AA violation`, async () => {
    const p = await page();
    await pick(p, language);
    const dir = await p.evaluate(() => document.querySelector(".vv-root").dir);
    assert.equal(dir, language === "ar" ? "rtl" : "ltr");
    assert.match(await p.textContent(".vv-send"), script);
    await ask(p, question);
    const card = p.locator(".vv-card h3").first();
    await card.waitFor();
    assert.match(await p.locator(".vv-bot").last().innerText(), script);
    const violations = await axe(p);
    assert.deepEqual(violations, [], violations.join("\n"));
    if (language === "nb" || language === "ar") {
      await p.screenshot({ path: `${SCREENSHOTS}/widget-${language}-phone.png`, fullPage: false });
    }
    await p.context().close();
  });
}

test("a need the assistant cannot place gets the likeliest services as buttons, not a refusal", async () => {
  const p = await page();
  await pick(p, "en");
  await ask(p, "We need some help with our son who has CP, he cannot do much by himself");
  const reply = p.locator(".vv-bot").last();
  const titles = await reply.locator(".vv-quick button").allInnerTexts();
  assert.ok(titles.length >= 3 && titles.length <= 5, titles.join(" | "));  // up to three services, the walk-through, a person
  assert.ok(titles.includes("What can we get?") && titles.includes("Talk to a person"), titles.join(" | "));
  assert.doesNotMatch(await reply.innerText(), /only help/);
  const violations = await axe(p);
  assert.deepEqual(violations, [], violations.join("\n"));
  await p.screenshot({ path: `${SCREENSHOTS}/widget-suggestions-en-phone.png`, fullPage: false });
  await reply.locator(".vv-quick button").first().click();
  await p.locator(".vv-card h3").first().waitFor();
  assert.equal(await p.locator(".vv-card h3").first().innerText(), titles[0]);
  await p.context().close();
});

test("a contact card offers the phone as a tel: link and says whether it is open", async () => {
  const p = await page();
  await ask(p, "Hvordan kontakter jeg dere?");
  const link = p.locator(".vv-contact a[href^='tel:']");
  await link.waitFor();
  assert.equal(await link.getAttribute("href"), "tel:+4794837285");
  assert.equal(await p.locator(".vv-contact .vv-open, .vv-contact .vv-closed").count(), 1);
  await p.context().close();
});

test("at 400 % zoom (320 × 256 CSS pixels) the conversation keeps at least 40 % of the panel and Send is whole", async () => {
  const p = await page({ width: 320, height: 256 });
  await ask(p, "Hva er avlastning?");
  const layout = await p.evaluate(() => {
    const box = (selector) => document.querySelector(selector).getBoundingClientRect();
    const send = box(".vv-send");
    return { share: box(".vv-log").height / box("#vv-panel").height, sendWhole: send.left >= 0 && send.right <= innerWidth && send.bottom <= innerHeight,
      wide: document.documentElement.scrollWidth <= innerWidth, introFolded: !document.querySelector(".vv-intro").open };
  });
  assert.ok(layout.share >= 0.4, `conversation is ${Math.round(layout.share * 100)} % of the panel`);
  assert.deepEqual({ ...layout, share: true }, { share: true, sendWhole: true, wide: true, introFolded: true });
  await p.screenshot({ path: `${SCREENSHOTS}/zoom-400.png` });
  await p.context().close();
});

test("a question in the middle of the check is answered in one card that says the check is paused", async () => {
  const p = await page();
  await ask(p, "Hva kan vi få?");
  await ask(p, "Hva koster avlastning?");
  const answer = p.locator(".vv-bot").last();
  assert.match(await answer.locator(".vv-card").innerText(), /pause/);
  assert.ok((await answer.locator(".vv-quick button").allInnerTexts()).some((title) => /Fortsett/.test(title)));
  await p.context().close();
});

test("Arabic typed without the picker is shown right to left and tagged Arabic", async () => {
  const p = await page();
  await ask(p, "ما هي الرعاية المؤقتة؟");
  assert.equal(await p.locator(".vv-user").last().getAttribute("lang"), "ar");
  const reply = p.locator(".vv-bot").last();
  assert.deepEqual([await reply.getAttribute("lang"), await reply.getAttribute("dir")], ["ar", "rtl"]);
  assert.equal(await p.getAttribute("#vv-input", "dir"), "auto");
  await p.context().close();
});

test("phone numbers in answers are tel: links that do not break; the newest buttons come back after a reload", async () => {
  const p = await page();
  await ask(p, "Hva koster avlastning?");
  const phone = p.locator(".vv-card .vv-call a[href='tel:+4794837285']");
  assert.equal(await phone.count(), 1);
  assert.equal(await phone.evaluate((a) => getComputedStyle(a).whiteSpace), "nowrap");
  const before = await p.locator(".vv-bot").last().locator(".vv-quick button").allInnerTexts();
  assert.ok(before.length > 0);
  await p.reload();
  await p.waitForSelector(".vv-msg");
  assert.deepEqual(await p.locator(".vv-bot").last().locator(".vv-quick button").allInnerTexts(), before);
  await p.context().close();
});

test("Enter waits for the pending reply, and cutting a pasted text is said", async () => {
  const p = await page();
  await p.route("**/api/chat", async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  await p.fill("#vv-input", "Hva er avlastning?");
  await p.press("#vv-input", "Enter");
  await p.fill("#vv-input", "Hva koster det?");
  await p.press("#vv-input", "Enter");
  assert.match(await p.textContent(".vv-status"), /Vent på svaret/);
  assert.equal(await p.inputValue("#vv-input"), "Hva koster det?");
  assert.equal(await p.locator(".vv-user").count(), 1);
  await p.evaluate(() => {
    const data = new DataTransfer();
    data.setData("text", "x".repeat(5000));
    document.querySelector("#vv-input").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
  });
  assert.match(await p.textContent(".vv-status"), /bare de første 4000 tegnene/);
  await p.context().close();
});

test("keyboard only: reach the text field, ask, answer with a quick reply, close with Escape", async () => {
  const p = await page({ width: 1280, height: 800 });
  for (let i = 0; i < 30 && (await p.evaluate(() => document.activeElement.id)) !== "vv-input"; i++) await p.keyboard.press("Tab");
  assert.equal(await p.evaluate(() => document.activeElement.id), "vv-input");
  await p.keyboard.type("Kan vi få avlastning?");
  const before = await p.locator(".vv-bot").count();
  await p.keyboard.press("Enter");
  await p.waitForFunction((n) => document.querySelectorAll(".vv-bot").length > n, before, { timeout: 30000 });
  const quick = p.locator(".vv-quick button").first();
  await quick.waitFor();
  await quick.focus();
  const focused = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(focused, "none", "focus must be visible");
  const count = await p.locator(".vv-msg").count();
  await p.keyboard.press("Enter");
  await p.waitForFunction((n) => document.querySelectorAll(".vv-msg").length > n + 1, count, { timeout: 30000 });
  await p.keyboard.press("Escape");
  assert.equal(await p.evaluate(() => document.activeElement.className), "vv-launcher");
  assert.equal(await p.getAttribute(".vv-launcher", "aria-expanded"), "false");
  await p.context().close();
});

test("the conversation survives a reload, and start over forgets it", async () => {
  const p = await page();
  await ask(p, "Hva er BPA?");
  const count = await p.locator(".vv-msg").count();
  await p.reload();
  await p.waitForSelector(".vv-msg");
  assert.equal(await p.locator(".vv-msg").count(), count);
  await p.click(".vv-restart");
  assert.equal(await p.locator(".vv-msg").count(), 0);
  await p.reload();
  await p.waitForSelector("#vv-input");
  assert.equal(await p.locator(".vv-msg").count(), 0);
  await p.context().close();
});

test("a conversation idle longer than the assistant keeps it is gone from the screen too, and the widget says so", async () => {
  const p = await page();
  await ask(p, "Hva er BPA?");
  const sender = await p.evaluate(() => sessionStorage.getItem("veiviser.sender"));
  await p.evaluate(() => sessionStorage.setItem("veiviser.active", String(Date.now() - 25 * 3600 * 1000)));
  await p.reload();
  await p.waitForSelector(".vv-expired");
  assert.equal(await p.locator(".vv-msg").count(), 0);
  assert.match(await p.locator(".vv-expired").innerText(), /slettet etter 24 timer/);
  assert.notEqual(await p.evaluate(() => sessionStorage.getItem("veiviser.sender")), sender);  // a new conversation
  await p.screenshot({ path: `${SCREENSHOTS}/expired-conversation-phone.png` });
  await p.context().close();
});

test("when the assistant cannot be reached, the widget says so, offers the phone and retries", async () => {
  const p = await page();
  let failures = 1;
  await p.route("**/api/chat", (route) => (failures-- > 0 ? route.abort() : route.continue()));
  await p.fill("#vv-input", "Hva er ledsagerbevis?");
  await p.press("#vv-input", "Enter");
  await p.waitForFunction(() => document.querySelector(".vv-status").textContent.includes("94 83 72 85"));
  await p.waitForSelector(".vv-card", { timeout: 30000 });  // delivered on the retry
  assert.equal(await p.textContent(".vv-status"), "");
  await p.context().close();
});

test("a message that cannot be delivered at all is kept in the text field", async () => {
  const p = await page();
  await p.route("**/api/chat", (route) => route.abort());
  await p.fill("#vv-input", "Hva er støttekontakt?");
  await p.press("#vv-input", "Enter");
  await p.waitForFunction(() => document.querySelector(".vv-status").textContent.includes("94 83 72 85") &&
    document.querySelector("#vv-input").value === "Hva er støttekontakt?", null, { timeout: 30000 });
  await p.context().close();
});

test("at 200 % zoom (a 1280 × 720 screen is 640 × 360 CSS pixels) everything fits without sideways scrolling", async () => {
  const p = await page({ width: 640, height: 360 });
  await ask(p, "Hva er avlastning?");
  const fits = await p.evaluate(() => {
    const inside = (selector) => { const r = document.querySelector(selector).getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.bottom <= innerHeight; };
    return { input: inside("#vv-input"), send: inside(".vv-send"), language: inside("#vv-language"), wide: document.documentElement.scrollWidth <= innerWidth };
  });
  assert.deepEqual(fits, { input: true, send: true, language: true, wide: true });
  await p.context().close();
});

test("an application survives a reload: the answers are kept and Continue comes back", async () => {
  const p = await page();
  await ask(p, "Jeg vil søke om avlastning");
  for (const answer of ["/affirm", "Amira Haddad"]) await ask(p, answer);
  await p.reload();
  await p.waitForSelector(".vv-msg");
  const live = await p.locator(".vv-bot").last().locator(".vv-quick button").allInnerTexts();
  assert.deepEqual(live, ["Avbryt søknaden"]);  // the current question's own button, still usable
  await ask(p, "400 00 000");
  assert.match(await p.locator(".vv-bot").last().innerText(), /e-post/i);  // the next question: nothing was lost
  await p.context().close();
});

test("the application review is shown as a list with its three choices; after sending, no personal detail stays on screen or in storage", async () => {
  const p = await page({ width: 1280, height: 900 });
  const answers = ["/affirm", "Amira Haddad", "400 00 000", "ingen", "Storgata 1, 7011 Trondheim", "Sara Haddad", "15.03.2019",
    "15031951264", "Hun trenger tilsyn om natten.", "ingen", "nb", "nei", "nei"];
  await ask(p, "Jeg vil søke om avlastning");
  for (const answer of answers) await ask(p, answer);
  const review = p.locator(".vv-review");
  await review.waitFor();
  assert.match(await review.innerText(), /Amira Haddad/);
  const choices = await p.locator(".vv-msg").last().locator(".vv-quick button").allInnerTexts();
  assert.deepEqual(choices, ["Send søknaden", "Endre noe", "Avbryt søknaden"]);
  assert.deepEqual(await axe(p), []);
  await p.locator(".vv-msg").last().getByRole("button", { name: "Send søknaden" }).click();
  await p.locator(".vv-log").getByText(/VV-/).first().waitFor({ timeout: 30000 });
  const personal = ["15031951264", "Amira Haddad", "Sara Haddad", "Storgata 1", "Hun trenger tilsyn"];
  const stored = async () => p.evaluate(() => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join("\n"));
  for (const detail of personal) {
    assert.ok(!(await p.locator(".vv-log").innerText()).includes(detail), `${detail} still on screen`);
    assert.ok(!(await stored()).includes(detail), `${detail} still in sessionStorage`);
  }
  assert.match(await p.locator(".vv-log").innerText(), /fjernet av hensyn til personvernet/);
  await p.screenshot({ path: `${SCREENSHOTS}/application-sent.png`, fullPage: true });
  await p.reload();
  await p.waitForSelector(".vv-msg");
  for (const detail of personal) assert.ok(!(await p.locator(".vv-log").innerText()).includes(detail), `${detail} back after a reload`);
  assert.deepEqual(await axe(p), [], "after sending");
  await p.context().close();
});

/** A signed-in staff browser page (the staff pages forbid inline scripts; the tests bypass that for axe). */
async function staffSession() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const p = await context.newPage();
  await p.goto(URL + "staff/login");
  await p.fill("#username", process.env.STAFF_USER);
  await p.fill("#password", process.env.STAFF_PASSWORD);
  await p.click("button[type=submit]");
  await p.waitForURL(URL + "staff");
  return { context, p };
}

test("the staff pages have no WCAG 2.1 A/AA violation", async () => {
  // The staff pages forbid inline scripts (CSP); the test lets axe in by bypassing it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const p = await context.newPage();
  await p.goto(URL + "staff/login");
  assert.deepEqual(await axe(p), [], "login page");
  await p.fill("#username", process.env.STAFF_USER);
  await p.fill("#password", process.env.STAFF_PASSWORD);
  await p.click("button[type=submit]");
  await p.waitForURL(URL + "staff");
  const pages = ["staff", "staff/applications", "staff/unanswered", "staff/services", "staff/translations", "staff/users",
    "staff/contacts", "staff/contacts/hvk_0_18", "staff/contacts/hvk_0_18/history", "staff/parameters",
    "staff/parameters/bpa.max_age", "staff/parameters/bpa.max_age/history", "staff/services/new",
    "staff/services/bpa/settings", "staff/services/bpa/settings/history", "staff/export", "staff/services/bpa/nb",
    "staff/services/nav_basic_benefit/nb", "staff/services/bpa/nb/history", "staff/insight", "staff/chat", "staff/callbacks"];
  for (const path of pages) {
    await p.goto(URL + path);
    const violations = await axe(p);
    assert.deepEqual(violations, [], `${path}: ${violations.join("\n")}`);
  }
  await context.close();
});

test("the staff pages reflow at 320 CSS pixels: only data tables may scroll sideways (WCAG 1.4.10)", async () => {
  const { context, p } = await staffSession();
  await p.setViewportSize({ width: 320, height: 700 });
  for (const path of ["staff", "staff/services/bpa/nb", "staff/services/bpa/nb/history", "staff/services/bpa/settings",
    "staff/services/new", "staff/contacts/hvk_0_18", "staff/parameters/bpa.max_age", "staff/unanswered", "staff/export",
    "staff/chat", "staff/callbacks", "staff/users", "staff/insight"]) {
    await p.goto(URL + path);
    const outside = await p.evaluate(() => [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > 321 && !e.closest("table"))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}`));
    assert.deepEqual(outside, [], `${path}: wider than the phone`);
  }
  await context.close();
});

test("an editor changes the Arabic summary, and the chat answers with it at once", async () => {
  const { context, p } = await staffSession();
  await p.goto(URL + "staff/services/companion_card/ar");
  assert.deepEqual(await axe(p), [], "edit page");
  const summary = "بطاقة المرافق: مرافق واحد يدخل مجانا مع صاحب البطاقة (نص محدث في الاختبار).";
  await p.fill("#f-summary", summary);
  await p.selectOption("#f-status", "reviewed");
  await p.fill("#f-reason", "Oppdatert i nettlesertesten");
  await p.click("form[action$='/companion_card/ar'] button[type=submit]");
  await p.waitForURL(/history$/);
  assert.match(await p.textContent("main"), /Oppdatert i nettlesertesten/);
  assert.deepEqual(await axe(p), [], "history page");
  const chat = await page();
  await pick(chat, "ar");
  await ask(chat, "ما هي بطاقة المرافق؟");
  await chat.locator(".vv-card").first().waitFor();
  assert.match(await chat.locator(".vv-log").innerText(), /نص محدث في الاختبار/);
  await chat.context().close();
  await context.close();
});

test("a changed Norwegian text asks for its source, answered with the keyboard alone", async () => {
  const { context, p } = await staffSession();
  await p.goto(URL + "staff/services/family_measures/nb");
  await p.fill("#f-cost", "Familietiltak er gratis for familien (endret i nettlesertesten).");
  await p.fill("#f-reason", "Ny tekst om pris");
  await p.locator("#f-reason").press("Enter");  // submits the form, as a keyboard user would
  await p.locator("[role=alert]").waitFor();
  assert.match(await p.textContent("[role=alert]"), /Hvilken kilde sier det teksten nå sier/);
  assert.match(await p.textContent("main"), /Kilde for «Pris» \(teksten er endret\)/);
  assert.equal(await p.inputValue("#f-cost"), "Familietiltak er gratis for familien (endret i nettlesertesten).");
  assert.deepEqual(await axe(p), [], "edit page asking for a source");
  await p.focus("#sc-cost-kept");
  await p.keyboard.press("Space");
  assert.ok(await p.isChecked("#sc-cost-kept"));
  await p.locator("#f-reason").press("Enter");
  await p.waitForURL(/history$/);
  assert.match(await p.textContent("main"), /Ny tekst om pris/);
  await context.close();
});

test("an editor changes the phone hours, the chat shows them at once, and the old hours are restored", async () => {
  const { context, p } = await staffSession();
  await p.goto(URL + "staff/contacts/hvk_0_18");
  await p.fill("#h-wed", "9 til 11");
  await p.fill("#f-reason", "Test av feilmelding");
  await p.click("form[action$='/contacts/hvk_0_18'] button[type=submit]");
  assert.match(await p.textContent("[role=alert]"), /Onsdag: skriv tidene som 09:30–11:00/);
  assert.deepEqual(await axe(p), [], "contact form with an error");
  for (const day of ["mon", "tue", "wed", "thu", "fri"]) await p.fill(`#h-${day}`, "07:15–15:45");
  await p.fill("#f-reason", "Utvidet telefontid i nettlesertesten");
  await p.click("form[action$='/contacts/hvk_0_18'] button[type=submit]");
  await p.waitForURL(/history$/);
  assert.match(await p.textContent("main"), /Utvidet telefontid i nettlesertesten/);
  assert.deepEqual(await axe(p), [], "contact history with a diff and restore forms");
  const chat = await page();
  await pick(chat, "nb");
  await ask(chat, "Hva er telefonnummeret deres?");
  await chat.locator(".vv-log").getByText(/07:15/).first().waitFor();
  await chat.context().close();
  const seed = p.locator(".versions > li").last();
  await seed.locator("input[name=reason]").fill("Tilbake etter testen");
  await seed.locator("button[type=submit]").click();
  await p.waitForURL(/history$/);
  assert.match(await p.textContent("main"), /Gjenopprettet versjon/);
  await context.close();
});

test("under an answer, 'Was this helpful?' takes yes, or no with a comment and a person offered, in each language, keyboard-usable", async () => {
  for (const [language, question] of [["nb", "Hva er avlastning?"], ["en", "What is a companion card?"],
    ["ar", "ما هي بطاقة المرافق؟"], ["ti", "ናይ ዕረፍቲ ሓገዝ እንታይ እዩ?"]]) {
    const p = await page();
    await pick(p, language);
    await ask(p, question);
    const box = p.locator(".vv-card .vv-feedback").last();
    await box.waitFor();
    assert.deepEqual(await axe(p), [], `${language}: the question under the answer`);
    if (language === "nb" || language === "ar") {  // yes, by keyboard
      await box.locator("button").first().focus();
      await p.keyboard.press("Enter");
      await box.locator(".vv-thanks").waitFor();
      assert.equal(await p.evaluate(() => document.activeElement.className), "vv-thanks");  // focus is not lost
    } else {  // no, a comment, and a person is one tap away
      await box.locator("button").nth(1).click();
      await box.locator("textarea").waitFor();
      assert.equal(await p.evaluate(() => document.activeElement.tagName), "TEXTAREA");
      assert.equal(await box.locator("button").count(), 2);  // Send, Talk to a person
      assert.deepEqual(await axe(p), [], `${language}: the comment`);
      await box.locator("textarea").fill(language === "en" ? "It did not say what it costs. I am Ola, 40000000" : "ዋጋ ኣይተገልጸን");
      await box.locator("button[type=submit]").click();
      await box.locator(".vv-thanks").waitFor();
    }
    await p.reload();  // given once: a reload shows the thanks, not the question again
    await p.waitForSelector("#vv-input");
    await p.locator(".vv-card .vv-thanks").last().waitFor();
    await p.screenshot({ path: `${SCREENSHOTS}/feedback-${language}-phone.png` });
    await p.context().close();
  }
  // The editors find it on the dashboard: the answers' yes and no, and the comment without the name and number.
  const { context, p: desk } = await staffSession();
  await desk.goto(URL + "staff/insight");
  const table = await desk.locator("table", { hasText: "Kommentarer" }).innerText();
  assert.match(table, /It did not say what it costs/);
  assert.doesNotMatch(table, /Ola|40000000/);
  assert.match(table, /Avlastning/);
  assert.deepEqual(await axe(desk), [], "the dashboard");
  await desk.screenshot({ path: `${SCREENSHOTS}/insight-dashboard.png`, fullPage: true });
  await context.close();
});
