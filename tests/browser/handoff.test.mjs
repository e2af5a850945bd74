// A person when the assistant is not enough (issue 16), in Debian's Chromium with two pages: a
// family in the widget and a case worker on the staff page. Run by test_widget_browser.py with
// VEIVISER_URL, CHROMIUM, SCREENSHOTS, STAFF_USER/STAFF_PASSWORD (an admin, to set the phone
// hours), CASE_WORKER/CASE_WORKER_PASSWORD, and OFFICE_CAN_OPEN_TODAY ("0" on a public holiday).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const URL = process.env.VEIVISER_URL;
const SCREENSHOTS = process.env.SCREENSHOTS;
const PHONE = { width: 360, height: 740 };
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
let browser;
let seedHours = null;

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  if (seedHours) await setHours(seedHours, "Tilbake etter testen av chat med saksbehandler");
  if (browser) await browser.close();
});

async function axe(p) {
  if (!(await p.evaluate(() => Boolean(window.axe)))) await p.evaluate(AXE);
  return p.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

async function signedIn(user, password) {
  // bypassCSP only lets the test runner put axe into the page; the pages' own scripts run as they would.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const p = await context.newPage();
  await p.goto(URL + "staff/login");
  await p.fill("#username", user);
  await p.fill("#password", password);
  await p.click("button[type=submit]");
  await p.waitForURL(URL + "staff");
  return { context, p };
}

// The coordinating unit's phone hours are the chat's opening hours; set through the staff page.
async function setHours(hours, reason) {
  const { context, p } = await signedIn(process.env.STAFF_USER, process.env.STAFF_PASSWORD);
  await p.goto(URL + "staff/contacts/hvk_0_18");
  const before = {};
  for (const day of DAYS) before[day] = await p.inputValue(`#h-${day}`);
  for (const day of DAYS) await p.fill(`#h-${day}`, hours[day] || "");
  await p.fill("#f-reason", reason);
  await p.click("form[action$='/contacts/hvk_0_18'] button[type=submit]");
  await p.waitForURL(/history$/);
  await context.close();
  return before;
}

async function family(language) {
  const context = await browser.newContext({ viewport: PHONE, locale: "nb-NO" });
  const p = await context.newPage();
  await p.goto(URL);
  await p.waitForSelector("#vv-input");
  await p.selectOption("#vv-language", language);
  await p.waitForFunction((l) => document.querySelector(".vv-root").lang === l, language);
  return p;
}

async function say(p, text) {
  const before = await p.locator(".vv-bot").count();
  await p.fill("#vv-input", text);
  await p.press("#vv-input", "Enter");
  await p.waitForFunction((n) => document.querySelectorAll(".vv-bot").length > n, before, { timeout: 30000 });
}

async function write(p, text) {  // to the case worker: no reply from the assistant is awaited
  await p.fill("#vv-input", text);
  await p.press("#vv-input", "Enter");
  await p.waitForFunction((t) => [...document.querySelectorAll(".vv-user")].some((n) => n.innerText.includes(t)), text);
}

// Waits for ``selector``; when it does not come, the error says what the conversation showed instead.
async function shows(p, selector, timeout = 10000) {
  try {
    await p.locator(selector).first().waitFor({ timeout });
  } catch (error) {
    const log = await p.locator(".vv-log").innerText().catch(() => "(no widget)");
    throw new Error(`${selector} did not appear; the conversation shows:\n${log}`);
  }
}

async function tap(p, index) {
  const before = await p.locator(".vv-bot").count();
  await p.locator(".vv-bot").last().locator(".vv-quick button").nth(index).click();
  await p.waitForFunction((n) => document.querySelectorAll(".vv-bot").length > n, before, { timeout: 30000 });
}

const LIVE = [
  { language: "en", ask: "can i talk to a real person please", hello: "Hello, I am Kari from the office. How can I help?",
    reply: "Thank you! We need relief care for our son.", after: "What is relief care?", queued: /number 1 in the queue/,
    talking: /a person, not Veiviser/, ended: /The case worker has ended the chat/ },
  { language: "ar", ask: "هل يمكنني التحدث مع موظف؟", hello: "مرحبا، أنا كاري من المكتب. كيف أساعدكم؟",
    reply: "شكرا! نحتاج إلى رعاية مؤقتة لابننا.", after: "ما هي الرعاية المؤقتة؟", queued: /1/, talking: /Veiviser/,
    ended: /[\u0600-\u06FF].*Veiviser/ },
];

test("a family asks for a person in English and then in Arabic; a case worker takes each chat, they write both ways, the case worker ends it, and the assistant answers again", { skip: process.env.OFFICE_CAN_OPEN_TODAY === "0" && "a public holiday: the office is closed all day" }, async () => {
  const allDay = Object.fromEntries(DAYS.map((day) => [day, "00:00–23:59"]));
  seedHours = await setHours(allDay, "Chat åpen hele døgnet i nettlesertesten");
  const { context: staff, p: desk } = await signedIn(process.env.CASE_WORKER, process.env.CASE_WORKER_PASSWORD);
  await desk.goto(URL + "staff/chat");
  await desk.click("#availability button[type=submit]");
  await desk.waitForSelector("text=Du er tilgjengelig for chat");
  assert.deepEqual(await axe(desk), [], "the Chat page");

  for (const run of LIVE) {
    const home = await family(run.language);
    await say(home, run.ask);
    await shows(home, ".vv-live");
    await home.locator(".vv-livebar:not([hidden])").waitFor();
    assert.match(await home.textContent(".vv-live-text"), run.queued);
    assert.deepEqual(await axe(home), [], `${run.language}: waiting in the queue`);

    let link = desk.locator("#queue a").first();
    for (let tries = 0; tries < 20 && !(await link.count()); tries++) {
      await desk.waitForTimeout(500);
      await desk.reload();
      link = desk.locator("#queue a").first();
    }
    await link.click();
    await desk.waitForSelector("text=Samtalen med Veiviser før familien ba om en person");
    assert.match(await desk.textContent("main"), new RegExp(run.ask.replace(/[?]/g, "\\?")));  // the bot conversation so far
    await desk.click("text=Ta samtalen");
    await desk.waitForSelector("#melding");
    assert.deepEqual(await axe(desk), [], `${run.language}: the chat page`);

    await home.waitForFunction(() => document.querySelector(".vv-root").classList.contains("vv-with-person"), null, { timeout: 10000 });
    assert.match(await home.textContent(".vv-live-text"), run.talking);

    await desk.fill("#melding", run.hello);
    await desk.click("#send button[type=submit]");
    await home.locator(".vv-person", { hasText: run.hello }).waitFor({ timeout: 5000 });
    await write(home, run.reply);
    await desk.locator("#messages li", { hasText: run.reply }).waitFor({ timeout: 5000 });
    assert.deepEqual(await axe(home), [], `${run.language}: talking to a person`);
    await home.screenshot({ path: `${SCREENSHOTS}/handoff-${run.language}-family-phone.png` });
    await desk.screenshot({ path: `${SCREENSHOTS}/handoff-${run.language}-case-worker.png`, fullPage: true });

    await desk.click("text=Avslutt samtalen");
    await desk.waitForURL(URL + "staff/chat");
    await home.waitForFunction(() => document.querySelectorAll(".vv-notice").length >= 2, null, { timeout: 5000 });  // joined, ended
    assert.match(await home.locator(".vv-notice").last().innerText(), run.ended);
    assert.ok(await home.locator(".vv-livebar").isHidden(), await home.evaluate(() =>
      document.querySelector(".vv-livebar").outerHTML + " " + sessionStorage.getItem("veiviser.live") + " " +
      document.querySelector(".vv-log").innerText));
    await say(home, run.after);  // the assistant answers again
    await home.locator(".vv-card").last().waitFor();
    assert.ok((await home.locator(".vv-bot .vv-card h3").count()) >= 1);
    await home.context().close();
  }
  await desk.click("#availability button[type=submit]");  // not available any more
  await staff.close();
});

test("outside opening hours a Tigrinya family asks for a person and fills in the call-back form; the case worker finds it in the queue", async () => {
  const closed = Object.fromEntries(DAYS.map((day) => [day, ""]));
  const before = await setHours(closed, "Stengt i nettlesertesten av tilbakeringing");
  seedHours = seedHours || before;
  const home = await family("ti");
  await say(home, "ምስ ሰብ ክዛረብ ደልየ");
  await shows(home, ".vv-card.vv-contact");
  assert.match(await home.locator(".vv-log").innerText(), /[\u1200-\u139F]/);
  await tap(home, 0);  // "Yes, call me back" (consent)
  await say(home, "ለተብርሃን ተስፋይ");
  await say(home, "1234");  // a phone number typed wrong: asked again with help
  assert.match(await home.locator(".vv-bot").last().innerText(), /400 00 000/);
  await say(home, "+47 400 00 000");
  await tap(home, 2);  // a time of day
  assert.match(await home.locator(".vv-bot").last().innerText(), /ትግርኛ/);  // an interpreter in Tigrinya?
  await tap(home, 0);  // yes
  await say(home, "ብዛዕባ ዕረፍቲ ንወላዲ ክንዛረብ ንደሊ፡ ጓልና ለይቲ ኣይትድቅስን እያ።");
  await shows(home, ".vv-review");
  assert.deepEqual(await axe(home), [], "the call-back review");
  await tap(home, 0);  // send
  const receipt = await home.locator(".vv-bot").last().innerText();
  const reference = receipt.match(/VV-\d{4}-[A-Z0-9]{6}/)[0];
  assert.match(receipt, /ትግርኛ/);
  assert.match(receipt, /000/);  // the number's last digits; the whole number left the screen with the review
  assert.doesNotMatch(receipt.replace(/\s/g, ""), /40000000/);
  await home.screenshot({ path: `${SCREENSHOTS}/callback-ti-phone.png` });
  assert.doesNotMatch(await home.locator(".vv-log").innerText(), /ለተብርሃን/);  // removed from the screen once sent
  writeFileSync(`${SCREENSHOTS}/callback-reference.txt`, reference);
  await home.context().close();

  const { context, p: desk } = await signedIn(process.env.CASE_WORKER, process.env.CASE_WORKER_PASSWORD);
  await desk.goto(URL + "staff/callbacks");
  const row = desk.locator(`tr[id="${reference}"]`);
  assert.match(await row.innerText(), /Ja, tigrinja/);
  assert.match(await row.innerText(), /ለተብርሃን ተስፋይ/);
  assert.deepEqual(await axe(desk), [], "the Callbacks page");
  await row.locator("button", { hasText: "Ta" }).first().click();
  await desk.waitForURL(/callbacks/);
  assert.match(await desk.locator(`tr[id="${reference}"]`).innerText(), /Tatt/);
  await desk.screenshot({ path: `${SCREENSHOTS}/callbacks-case-worker.png`, fullPage: true });
  await context.close();
});
