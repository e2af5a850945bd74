/*
 * Veiviser chat widget. Embed with one tag:
 *   <script src="/static/widget/veiviser.js" data-endpoint="/api/chat" data-language="nb" defer></script>
 * Optional: data-open="true" opens the chat at once (the demo page does).
 *
 * Plain JavaScript, no framework. Accessible by design: native buttons and form controls, a
 * role="log" live region for new messages, visible focus, right-to-left for Arabic, usable at
 * 360 px and 200 % zoom. Labels come from the gettext catalogs (locales/) through
 * /widget/i18n/<lang>.json. The conversation survives a reload (session storage); "Start over"
 * forgets it. A message that cannot be delivered is kept and retried, never dropped silently.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const ENDPOINT = (script && script.dataset.endpoint) || "/api/chat";
  // The live chat's endpoints sit beside the chat endpoint (/api/chat → /api/live/…), on the same origin.
  const LIVE_API = new URL("live/", new URL(ENDPOINT, document.baseURI)).href;
  const BASE = script ? new URL(".", script.src).href.replace(/static\/widget\/$/, "") : "/";
  const DEFAULT_LANGUAGE = (script && script.dataset.language) || "nb";
  const LANGUAGES = [["nb", "Norsk"], ["en", "English"], ["ar", "العربية"], ["ti", "ትግርኛ"]];
  const STORE = "veiviser.";
  const RETRIES = [2000, 4000, 8000];

  // Marks a label for the catalogs (pybabel extracts the underscore calls in this file); translated at runtime.
  let catalog = {};
  const _ = (id) => catalog[id] || id;

  const state = {
    sender: sessionStorage.getItem(STORE + "sender") || newSender(),
    language: sessionStorage.getItem(STORE + "language") || DEFAULT_LANGUAGE,
    picked: sessionStorage.getItem(STORE + "picked") === "1",
    transcript: JSON.parse(sessionStorage.getItem(STORE + "transcript") || "[]"),
    phone: "94 83 72 85",
    conversationHours: 24,
    pending: null,
    // A chat with a case worker: its id, the last message seen, its status, and the ids of the family's own messages.
    live: JSON.parse(sessionStorage.getItem(STORE + "live") || "null"),
  };
  sessionStorage.setItem(STORE + "sender", state.sender);

  function newSender() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "w" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // --- structure ---------------------------------------------------------------------------------
  const root = el("div", { class: "vv-root" });
  const launcher = el("button", { class: "vv-launcher", type: "button", "aria-expanded": "false", "aria-controls": "vv-panel" });
  const title = el("h2", { id: "vv-title", class: "vv-title" });
  const languageLabel = el("label", { for: "vv-language", class: "vv-language-label" });
  const languageSelect = el("select", { id: "vv-language" });
  for (const [code, name] of LANGUAGES) languageSelect.append(el("option", { value: code, lang: code, text: name }));
  const restart = el("button", { type: "button", class: "vv-restart" });
  const close = el("button", { type: "button", class: "vv-close" });
  // The introduction folds away on short screens (400 % zoom), so the conversation keeps its room.
  const introText = el("p", {});
  const introSummary = el("summary", {});
  const intro = el("details", { class: "vv-intro", open: window.innerHeight > 480 }, introSummary, introText);
  const log = el("div", { class: "vv-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  const status = el("p", { class: "vv-status", role: "status" });
  // While a case worker has (or is about to take) the conversation: who the family is talking to, and a way out.
  const liveText = el("p", { class: "vv-live-text", role: "status" });
  const liveEnd = el("button", { type: "button", class: "vv-live-end" });
  const liveBar = el("div", { class: "vv-livebar", hidden: true }, liveText, liveEnd);
  const inputLabel = el("label", { for: "vv-input", class: "vv-sr" });
  const MAX_INPUT = 4000;
  const input = el("textarea", { id: "vv-input", rows: "2", maxlength: String(MAX_INPUT), autocomplete: "off", dir: "auto" });
  const send = el("button", { type: "submit", class: "vv-send" });
  const form = el("form", { class: "vv-form" }, inputLabel, input, send);
  const panel = el("section", { id: "vv-panel", class: "vv-panel", role: "region", "aria-labelledby": "vv-title", hidden: true },
    el("header", { class: "vv-header" }, title,
      el("div", { class: "vv-tools" }, languageLabel, languageSelect, restart, close)),
    intro, liveBar, log, status, form);
  root.append(launcher, panel);

  function applyLanguage() {
    root.lang = state.language;
    root.dir = state.language === "ar" ? "rtl" : "ltr";
    languageSelect.value = state.language;
    launcher.textContent = _("Chat with Veiviser");
    title.textContent = _("Veiviser – ask about services for your child");
    languageLabel.textContent = _("Language");
    restart.textContent = _("Start over");
    close.textContent = "×";
    close.setAttribute("aria-label", _("Close the chat"));
    log.setAttribute("aria-label", _("Conversation"));
    introSummary.textContent = _("About Veiviser");
    introText.textContent = _("Ask in Norwegian, English, Arabic or Tigrinya. The answers are guidance; the municipality decides. Do not write health details you do not need to.");
    inputLabel.textContent = _("Write your message");
    input.placeholder = _("Write your question here");
    send.textContent = _("Send");
  }

  async function loadLanguage(language) {
    try {
      const response = await fetch(BASE + "widget/i18n/" + encodeURIComponent(language) + ".json");
      if (response.ok) {
        const data = await response.json();
        catalog = data.messages || {};
        if (data.phone) state.phone = data.phone;
        if (data.conversation_hours) state.conversationHours = data.conversation_hours;
        sessionStorage.setItem(STORE + "catalog." + language, JSON.stringify(data));
      }
    } catch (error) {
      const cached = sessionStorage.getItem(STORE + "catalog." + language);
      if (cached) catalog = JSON.parse(cached).messages || {};
    }
    applyLanguage();
  }

  // --- rendering ---------------------------------------------------------------------------------
  function remember(entry) {
    state.transcript.push(entry);
    sessionStorage.setItem(STORE + "transcript", JSON.stringify(state.transcript.slice(-200)));
    sessionStorage.setItem(STORE + "active", String(Date.now()));
  }

  function speaker(who) {
    const said = { user: _("You said:"), person: _("The case worker said:") }[who] || _("Veiviser said:");
    return el("span", { class: "vv-sr", text: said + " " });
  }

  // The application form's step the newest answer belongs to (its buttons carry it): what the
  // family types then is personal (a name, an identity number, the child's needs).
  const FORM_STEP = /"step":\s*"(?:app|cb)_(?!consent)/;
  function formStepOf(messages) {
    return messages.some((m) => (m.buttons || []).some((b) => FORM_STEP.test(b.payload || "")) ||
      (m.custom && m.custom.type === "application_review"));
  }

  // The summary of the application (its card, and the text twin for other channels) shows personal details.
  function isReview(message) {
    return (message.custom && message.custom.type === "application_review") ||
      (message.buttons || []).some((b) => /"step":\s*"(?:app|cb)_review"/.test(b.payload || ""));
  }

  function renderUser(text, failed, personal) {
    const node = el("div", { class: "vv-msg vv-user" + (failed ? " vv-failed" : ""), "data-personal": personal ? "1" : null,
      lang: languageOf(text, state.language), dir: "auto" }, speaker("user"), el("p", { text }));
    log.append(node);
    return node;
  }

  function quickReplies(buttons) {
    const group = el("div", { class: "vv-quick", role: "group", "aria-label": _("Suggested answers") });
    for (const b of buttons) {
      // The chosen reply's buttons go away; focus moves to the text field, so keyboard users never land on nothing.
      group.append(el("button", { type: "button", onclick: () => { group.remove(); input.focus(); submit(b.payload, b.title); }, text: b.title }));
    }
    return group;
  }

  const OUTCOMES = {
    likely_eligible: () => _("Likely to qualify"),
    needs_assessment: () => _("May qualify: the case worker assesses"),
    need_more_info: () => _("More answers needed"),
    likely_not_eligible: () => _("Probably not"),
  };

  // The sources of the text a card shows: "document, section; law".
  function sourcesLine(custom) {
    const sources = (custom.sources || []).map((s) => [s.section ? `${s.title}, ${s.section}` : s.title, s.law].filter(Boolean).join("; "))
      .filter((v, i, a) => a.indexOf(v) === i);
    return sources.length ? el("p", { class: "vv-source", text: _("Source:") + " " + sources.join(" · ") }) : null;
  }

  // Notes that belong to an answer (the form is paused, the message was long): before and after the card's body.
  function withNotes(article, custom) {
    if (!article) return article;
    const heading = article.querySelector("h3");
    for (const note of (custom.lead || []).slice().reverse()) heading.after(el("p", { class: "vv-lead" }, ...withNumbers(note)));
    for (const note of custom.notes || []) article.append(el("p", { class: "vv-note-line" }, ...withNumbers(note)));
    return article;
  }

  function card(custom) {
    return withNotes(cardBody(custom), custom);
  }

  function cardBody(custom) {
    if (custom.type === "signpost") {  // what another body handles: who, and how to reach them
      return el("article", { class: "vv-card vv-signpost", "aria-label": custom.title },
        el("h3", { text: custom.title }), el("p", { text: custom.summary }),
        custom.how_to_reach ? el("p", { text: custom.how_to_reach }) : null, sourcesLine(custom),
        custom.translation_status === "machine_drafted" && custom.language !== "nb"
          ? el("p", { class: "vv-note", text: _("Machine-drafted translation, not yet reviewed.") }) : null);
    }
    if (custom.type === "service_card") {
      // One answer, one message: the asked part (custom.text) when the card replaces the plain text.
      const article = el("article", { class: "vv-card", "aria-label": custom.heading || custom.title },
        el("h3", { text: custom.heading || custom.title }), ...paragraphs(custom.text || custom.summary));
      if (custom.eligibility) {
        article.append(el("p", { class: "vv-outcome vv-" + custom.eligibility.outcome, text: (OUTCOMES[custom.eligibility.outcome] || (() => ""))() }));
        const reasons = el("ul", { class: "vv-reasons" });
        for (const reason of custom.eligibility.reasons || []) reasons.append(el("li", { text: reason.text }));
        if (reasons.childElementCount) article.append(reasons);
      }
      const sources = sourcesLine(custom);
      if (sources) article.append(sources);
      if (custom.call) article.append(el("p", { class: "vv-call" }, ...withNumbers(custom.call)));
      if (custom.translation_status === "machine_drafted" && custom.language !== "nb") {
        article.append(el("p", { class: "vv-note", text: _("Machine-drafted translation, not yet reviewed.") }));
      }
      return article;
    }
    if (custom.type === "contact") {
      const digits = (custom.phone || "").replace(/\D/g, "");
      const shown = digits.length === 8 ? digits.replace(/(\d\d)(?=\d)/g, "$1 ") : custom.phone;
      return el("article", { class: "vv-card vv-contact", "aria-label": custom.name || _("Contact") },
        el("h3", { text: custom.name || _("Contact") }),
        custom.role ? el("p", { text: custom.role }) : null,
        custom.phone ? el("p", {}, _("Phone:") + " ", el("a", { href: "tel:+47" + digits, text: shown })) : null,
        custom.hours ? el("p", { text: _("Phone hours:") + " " + custom.hours }) : null,
        el("p", { class: custom.open_now ? "vv-open" : "vv-closed", text: custom.status || (custom.open_now ? _("Open now") : _("Closed now")) }),
        custom.email ? el("p", {}, _("E-mail:") + " ", el("a", { href: "mailto:" + custom.email, text: custom.email })) : null,
        ...(custom.details || []).map((line) => el("p", { text: line })),
        custom.source ? el("p", { class: "vv-source", text: custom.source }) : null);
    }
    if (custom.type === "live_chat") {  // the family is in the queue for a case worker: follow the chat
      return el("article", { class: "vv-card vv-live", "aria-label": _("Chat with a case worker") },
        el("h3", { text: _("Chat with a case worker") }), ...paragraphs(custom.text || ""));
    }
    if (custom.type === "application_review") {
      const list = el("dl", { class: "vv-review" });
      for (const field of custom.fields || []) list.append(el("dt", { text: field.number + ". " + field.label }), el("dd", { text: field.value }));
      return el("article", { class: "vv-card", "aria-label": custom.title }, el("h3", { text: custom.title }), list,
        el("p", { class: "vv-question", text: custom.question }));
    }
    if (custom.type === "eligibility_overview") {
      const list = el("ul", { class: "vv-overview" });
      for (const r of custom.results || []) list.append(el("li", {}, el("span", { text: r.title + ": " }),
        el("span", { class: "vv-outcome vv-" + r.outcome, text: (OUTCOMES[r.outcome] || (() => r.outcome))() })));
      return el("article", { class: "vv-card", "aria-label": _("What your family may get") }, el("h3", { text: _("What your family may get") }), list);
    }
    return null;
  }

  // After an application is sent or cancelled: the answers and the summary leave the screen and
  // the browser's storage, replaced by a placeholder (the privacy sentence is then true here too).
  function forgetPersonal(placeholder) {
    const gone = placeholder || "–";
    for (const node of log.querySelectorAll("[data-personal]")) {
      node.replaceChildren(speaker(node.classList.contains("vv-user") ? "user" : "bot"), el("p", { class: "vv-removed", text: gone }));
    }
    state.transcript = state.transcript.map((entry) => !entry.personal ? entry
      : entry.role === "user" ? { role: "user", text: gone, personal: true } : { role: "bot", message: { text: gone }, personal: true });
    sessionStorage.setItem(STORE + "transcript", JSON.stringify(state.transcript));
  }

  // Phone numbers become tel: links and neither they nor reference numbers break across lines.
  const UNBROKEN = /(\+47[\s\u00a0]?)?\b(\d{2}[\s\u00a0]\d{2}[\s\u00a0]\d{2}[\s\u00a0]\d{2}|\d{8})\b|\bVV-\d{4}-[A-Z0-9]{6}\b/g;
  function withNumbers(text) {
    const nodes = [];
    let at = 0;
    for (const match of text.matchAll(UNBROKEN)) {
      if (match.index > at) nodes.push(document.createTextNode(text.slice(at, match.index)));
      const digits = match[2] ? match[2].replace(/\D/g, "") : null;
      nodes.push(digits ? el("a", { href: "tel:+47" + digits, class: "vv-nowrap", text: match[0] })
        : el("span", { class: "vv-nowrap", text: match[0] }));
      at = match.index + match[0].length;
    }
    if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
    return nodes;
  }

  // The language of a text as its script shows it (a reply in Arabic while the picker says Norwegian).
  function languageOf(text, fallback) {
    if (/[\u0600-\u06FF]/.test(text || "")) return "ar";
    if (/[\u1200-\u139F]/.test(text || "")) return "ti";
    return fallback;
  }

  // A text's paragraphs (blank-line separated) as paragraphs of one bubble.
  function paragraphs(text) {
    return (text || "").split(/\n\s*\n/).filter((part) => part.trim()).map((part) => el("p", {}, ...withNumbers(part)));
  }

  function renderBot(messages, restoring, live) {
    const seen = new Set();
    const fresh = (buttons) => (buttons || []).filter((b) => !seen.has(b.payload) && seen.add(b.payload));
    let last = null;
    let carried = [];  // buttons of a text the next card replaces (the application review)
    const offered = messages.some((m) => (m.buttons || []).length);
    if (!restoring) state.inForm = formStepOf(messages);
    messages.forEach((message, index) => {
      if (message.custom && message.custom.type === "personal_data_removed") {
        forgetPersonal(message.custom.placeholder);
        return;
      }
      if (!restoring) remember({ role: "bot", message, personal: isReview(message) || undefined });
      const next = messages[index + 1];
      if (message.text && next && next.custom && next.custom.replaces_text) {
        carried = message.buttons || [];
        return;
      }
      const language = (message.custom && message.custom.language) || languageOf(message.text, state.language);
      const node = el("div", { class: "vv-msg vv-bot", "data-personal": isReview(message) ? "1" : null,
        lang: language, dir: language === "ar" ? "rtl" : "ltr" }, speaker("bot"));
      if (message.text) node.append(...paragraphs(message.text));
      if (message.custom) {
        const rendered = card(message.custom);
        if (!rendered) return;
        node.append(rendered);
        if (!restoring && message.custom.type === "live_chat" && message.custom.chat_id) followLive(message.custom.chat_id);
        if (FEEDBACK_CARDS[message.custom.type]) rendered.append(feedbackFor(message));
      }
      log.append(node);
      last = node;
      // A card's own actions ("Can we get it?", "How do we apply?") show only when the answer offers no
      // other next steps (a running check or application has its own answer buttons).
      const actions = !offered && message.custom && message.custom.actions ? message.custom.actions : [];
      const buttons = fresh([...(message.buttons || []), ...carried, ...actions]);
      carried = [];
      if (buttons.length && (!restoring || live)) node.append(quickReplies(buttons));
    });
    if (last) log.scrollTop = log.scrollHeight;
  }

  function restore() {
    log.textContent = "";
    log.setAttribute("aria-busy", "true");
    let turn = [];  // a turn's replies together, so a card still replaces its plain-text twin
    for (const entry of state.transcript) {
      if (entry.role === "bot") { turn.push(entry.message); continue; }
      if (turn.length) renderBot(turn, true);
      turn = [];
      if (entry.role === "person") renderPerson(entry.text);
      else if (entry.role === "notice") renderNotice(entry.text);
      else renderUser(entry.text, false, entry.personal);
    }
    if (turn.length) renderBot(turn, true, true);  // the newest answer's buttons come back, still usable
    log.removeAttribute("aria-busy");
    log.scrollTop = log.scrollHeight;
  }

  // --- talking to the assistant --------------------------------------------------------------------
  // While a case worker has the conversation, the family's words go straight to the chat with them
  // (the assistant is paused); the stream echoes them back with an id, which is recognised.
  async function postToPerson(message) {
    state.live.sending = [...(state.live.sending || []), message];  // its echo may come before the answer
    const response = await fetch(LIVE_API + state.sender + "/messages", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: message }) });
    if (response.status === 409) { state.live.status = "ended"; return null; }  // the chat ended meanwhile: the assistant answers
    if (!response.ok) throw new Error("http " + response.status);
    const sent = await response.json();
    const sending = state.live.sending || [];
    if (sending.indexOf(message) >= 0) sending.splice(sending.indexOf(message), 1);
    state.live.mine = [...(state.live.mine || []), sent.id].slice(-100);
    saveLive();
    return [];
  }

  async function post(message, shown) {
    if (state.live && state.live.status === "active" && message !== "/restart") {
      const passed = await postToPerson(message.startsWith("/") ? (shown || message) : message);
      if (passed) return passed;
    }
    // "language" is the family's choice in the picker; "replied_in" only tells the web app which
    // language to use for its own "cannot answer right now" when the assistant is down.
    const metadata = state.picked ? { language: state.language } : { replied_in: state.language };
    const body = { sender: state.sender, message, metadata };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 35000);
    try {
      const response = await fetch(ENDPOINT, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal: controller.signal });
      if (!response.ok) throw new Error("http " + response.status);
      return await response.json();
    } finally {
      clearTimeout(timer);
    }
  }

  async function submit(message, shown) {
    const text = shown || message;
    // Only the newest answer's buttons stay live: a typed answer retires the ones it answered.
    for (const group of log.querySelectorAll(".vv-quick")) group.remove();
    const personal = Boolean(state.inForm) && !message.startsWith("/");
    const node = renderUser(text, false, personal);
    remember({ role: "user", text, personal: personal || undefined });
    state.pending = { message, node };
    input.value = "";
    setBusy(true);
    for (let attempt = 0; ; attempt++) {
      try {
        const replies = await post(message, shown);
        state.pending = null;
        status.textContent = "";
        if (replies.length) renderBot(replies);
        else if (!state.live) renderBot([{ text: _("Veiviser did not answer. Please try again, or call") + " " + state.phone + "." }]);
        break;
      } catch (error) {
        if (attempt < RETRIES.length) {
          status.textContent = _("Veiviser cannot be reached right now. Trying again…") + " " + _("You can also call") + " " + state.phone + ".";
          await new Promise((resolve) => setTimeout(resolve, RETRIES[attempt]));
          continue;
        }
        state.pending = null;
        node.classList.add("vv-failed");
        status.textContent = _("Your message was not sent. It is kept in the text field: press Send to try again, or call") + " " + state.phone + ".";
        state.transcript.pop();
        sessionStorage.setItem(STORE + "transcript", JSON.stringify(state.transcript));
        node.remove();
        if (!message.startsWith("/")) input.value = message;
        break;
      }
    }
    setBusy(false);
  }

  function setBusy(busy) {
    send.disabled = busy;
    log.setAttribute("aria-busy", busy ? "true" : "false");
  }

  // --- "Was this helpful?" under an answer --------------------------------------------------------------
  // Sent without the conversation's id; a "no" may add a comment (redacted by the web app) and
  // offers a person. What was given is kept with the answer, so a reload does not ask again.
  const FEEDBACK_CARDS = { service_card: "service", signpost: "signpost" };

  async function sendFeedback(path, body) {
    const response = await fetch(LIVE_API.replace(/live\/$/, "") + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error("http " + response.status);
    return response.json();
  }

  function feedbackFor(message) {
    const custom = message.custom;
    const box = el("div", { class: "vv-feedback" });
    const thanks = (focus) => {
      const said = el("p", { class: "vv-thanks", role: "status", tabindex: "-1", text: _("Thank you for your feedback.") });
      box.replaceChildren(said);
      if (focus) said.focus();  // the button that was pressed is gone: keyboard users stay here, not at the top
    };
    const remembered = () => sessionStorage.setItem(STORE + "transcript", JSON.stringify(state.transcript));
    if (message.feedback) { thanks(false); return box; }
    const question = el("p", { id: "vv-fb-" + Math.random().toString(36).slice(2), text: _("Was this helpful?") });
    const group = el("div", { role: "group", "aria-labelledby": question.id, class: "vv-feedback-buttons" });
    const give = async (helpful) => {
      const card = { type: custom.type, aspect: custom.aspect || "about" };
      card[FEEDBACK_CARDS[custom.type]] = custom[FEEDBACK_CARDS[custom.type]];
      let answer;
      try {
        answer = await sendFeedback("feedback", { language: custom.language || state.language, card, helpful });
      } catch (error) {
        status.textContent = _("Your answer could not be sent just now. Please try again.");
        return;
      }
      message.feedback = helpful ? "yes" : "no";
      remembered();
      if (helpful) { thanks(true); return; }
      const label = el("label", { for: question.id + "-c", text: _("What was missing or wrong? (You may leave this empty. Please do not write names or numbers.)") });
      const field = el("textarea", { id: question.id + "-c", rows: "2", maxlength: "500", dir: "auto" });
      const sendComment = el("button", { type: "submit", text: _("Send") });
      const person = el("button", { type: "button", onclick: () => { input.focus(); submit("/human_handoff", _("Talk to a person")); }, text: _("Talk to a person") });
      const commentForm = el("form", { class: "vv-comment" }, label, field, el("div", { class: "vv-feedback-buttons" }, sendComment, person));
      commentForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (field.value.trim()) {
          try {
            await sendFeedback("feedback/" + answer.id + "/comment", { comment_token: answer.comment_token, comment: field.value });
          } catch (error) {
            status.textContent = _("Your answer could not be sent just now. Please try again.");
            return;
          }
        }
        thanks(true);
      });
      box.replaceChildren(el("p", { role: "status", text: _("Thank you. Would you tell us what was missing?") }), commentForm);
      field.focus();
    };
    group.append(el("button", { type: "button", onclick: () => give(true), text: _("Yes") }),
      el("button", { type: "button", onclick: () => give(false), text: _("No") }));
    box.append(question, group);
    return box;
  }

  // --- a person: the live chat with a case worker ------------------------------------------------------
  let stream = null;

  function saveLive() {
    if (state.live) sessionStorage.setItem(STORE + "live", JSON.stringify(state.live));
    else sessionStorage.removeItem(STORE + "live");
  }

  function renderPerson(text) {
    const node = el("div", { class: "vv-msg vv-person", lang: languageOf(text, state.language), dir: "auto" },
      speaker("person"), el("p", { class: "vv-who", "aria-hidden": "true", text: _("Case worker") }), el("p", {}, ...withNumbers(text)));
    log.append(node);
    log.scrollTop = log.scrollHeight;
  }

  // What happens in the chat (a case worker joined, the chat ended), as a line in the conversation.
  function renderNotice(text, buttons) {
    const node = el("p", { class: "vv-notice" }, text);
    log.append(node);
    if (buttons && buttons.length) log.append(quickReplies(buttons));
    log.scrollTop = log.scrollHeight;
  }

  function notice(text, buttons) {
    renderNotice(text, buttons);
    remember({ role: "notice", text });
  }

  function showLiveBar() {
    const live = state.live;
    liveBar.hidden = !live;
    if (!live) return;
    intro.open = false;  // on a phone the conversation with the person needs the room
    if (live.status === "active") {
      liveText.textContent = _("You are chatting with a case worker: a person, not Veiviser.");
      liveEnd.textContent = _("End the chat");
    } else {
      const waitText = _("You are number {position} in the queue for a case worker. Expected wait: about {minutes} minutes.");
      liveText.textContent = waitText.replace("{position}", String(live.position || 1)).replace("{minutes}", String(live.minutes || 1));
      liveEnd.textContent = _("Leave the queue");
    }
    root.classList.toggle("vv-with-person", live.status === "active");
  }

  function followLive(chatId) {
    if (!state.live || state.live.chatId !== chatId) state.live = { chatId, after: 0, status: "waiting", mine: [] };
    saveLive();
    showLiveBar();
    listen();
  }

  function stopLive() {
    if (stream) stream.close();
    stream = null;
    state.live = null;
    saveLive();
    showLiveBar();
  }

  const ENDINGS = {
    case_worker: () => _("The case worker has ended the chat. Veiviser answers again."),
    family: () => _("You have ended the chat. Veiviser answers again."),
    office_closed: () => _("The office has closed, so no case worker could take the chat. You can ask to be called back."),
    no_case_worker: () => _("No case worker is available to chat any more. You can ask to be called back."),
  };

  // The chat's events from the web app (server-sent events; the browser reconnects by itself and
  // says which message it saw last, so nothing is lost when the web app restarts).
  function listen() {
    if (stream) stream.close();
    const live = state.live;
    stream = new EventSource(LIVE_API + state.sender + "/events?chat=" + live.chatId + "&after=" + live.after);
    stream.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (!state.live || message.id <= state.live.after) return;
      state.live.after = message.id;
      saveLive();
      if (message.author === "case_worker") {
        renderPerson(message.text);
        remember({ role: "person", text: message.text });
      } else if (message.author === "family" && !(state.live.mine || []).includes(message.id)) {
        const sending = state.live.sending || [];
        const own = sending.indexOf(message.text);
        if (own >= 0) {  // this page's own message, echoed before its answer came
          sending.splice(own, 1);
          state.live.mine = [...(state.live.mine || []), message.id].slice(-100);
          saveLive();
          return;
        }
        renderUser(message.text);  // written in another tab
        remember({ role: "user", text: message.text });
      }
    });
    stream.addEventListener("state", (event) => {
      const data = JSON.parse(event.data);
      if (!state.live) return;
      status.textContent = "";
      if (data.status === "waiting") {
        Object.assign(state.live, { status: "waiting", position: data.position, minutes: data.expected_minutes });
      } else if (data.status === "active" && state.live.status !== "active") {
        state.live.status = "active";
        notice(_("A case worker has joined. You are now chatting with a person, not with Veiviser."));
      } else if (data.status === "ended" || data.status === "none") {
        const callback = data.ended_by === "office_closed" || data.ended_by === "no_case_worker";
        const text = (ENDINGS[data.ended_by] || ENDINGS.case_worker)();
        stopLive();
        notice(text, callback ? [{ title: _("Ask to be called back"), payload: "/human_handoff" }] : []);
        return;
      } else if (data.status === "unavailable") {
        status.textContent = _("The connection to the case worker was lost. Trying again…");
      }
      saveLive();
      showLiveBar();
    });
    // Each stream ends after a few minutes and the browser reconnects within a second: only a
    // connection that stays away is worth saying (a screen reader would hear it every time).
    let lost = null;
    stream.onopen = () => { clearTimeout(lost); lost = null; };
    stream.onerror = () => {
      if (!state.live || lost) return;
      lost = setTimeout(() => {
        if (state.live && stream && stream.readyState !== EventSource.OPEN) {
          status.textContent = _("The connection to the case worker was lost. Trying again…");
        }
      }, 5000);
    };
  }

  liveEnd.addEventListener("click", async () => {
    try {
      const response = await fetch(LIVE_API + state.sender + "/end", { method: "POST" });
      if (!response.ok) throw new Error("http " + response.status);
    } catch (error) {
      status.textContent = _("The chat could not be ended just now. Please try again.");
      return;
    }
    // The stream says it has ended (and the family sees that the assistant answers again).
    if (!stream) stopLive();
    input.focus();
  });

  // --- events --------------------------------------------------------------------------------------
  function open(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    sessionStorage.setItem(STORE + "open", "1");
    if (focus) input.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open(true) : closePanel()));
  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    sessionStorage.removeItem(STORE + "open");
    launcher.focus();
  }
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") closePanel(); });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      status.textContent = _("Write a message first.");
      input.focus();
      return;
    }
    if (state.pending) {  // one message at a time: the text stays in the field until the answer has come
      status.textContent = _("Please wait for the answer before you send the next message.");
      return;
    }
    if (expired()) {  // the tab stayed open longer than the assistant keeps the conversation
      forgetConversation();
      sayExpired();
    }
    submit(text);
  });
  input.addEventListener("paste", (event) => {
    const pasted = (event.clipboardData && event.clipboardData.getData("text")) || "";
    const room = MAX_INPUT - (input.value.length - (input.selectionEnd - input.selectionStart));
    if (pasted.length > room) {
      status.textContent = _("That text was too long: only the first 4000 characters were kept. Send the rest in another message.");
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  languageSelect.addEventListener("change", async () => {
    state.language = languageSelect.value;
    state.picked = true;
    sessionStorage.setItem(STORE + "language", state.language);
    sessionStorage.setItem(STORE + "picked", "1");
    await loadLanguage(state.language);
    restore();
    status.textContent = _("Language changed.");
  });

  // A new conversation: a new id, and nothing of the old one on the screen or in the browser.
  function forgetConversation() {
    stopLive();
    state.sender = newSender();
    state.transcript = [];
    const keep = [STORE + "open", STORE + "language", STORE + "picked"];  // the panel and the language stay as they were
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(STORE) && !key.startsWith(STORE + "catalog") && !keep.includes(key)) sessionStorage.removeItem(key);
    sessionStorage.setItem(STORE + "sender", state.sender);
    log.textContent = "";
  }

  restart.addEventListener("click", () => {
    stopLive();
    post("/restart").catch(() => {});  // the assistant deletes this conversation too (best effort; uses the old id)
    forgetConversation();
    status.textContent = _("The conversation is forgotten. You can start again.");
    input.focus();
  });

  // The assistant deletes a conversation after its retention hours without a message; a tab left
  // open that long must not show it as if it were still there.
  function sayExpired() {
    const note = _("Your earlier conversation was deleted after {hours} hours without a message. You can start again.");
    log.append(el("p", { class: "vv-note vv-expired", text: note.replace("{hours}", String(state.conversationHours)) }));
  }

  function expired() {
    const active = Number(sessionStorage.getItem(STORE + "active") || 0);
    return state.transcript.length > 0 && active > 0 && Date.now() - active > state.conversationHours * 3600 * 1000;
  }

  // --- start -------------------------------------------------------------------------------------
  async function start() {
    document.head.append(el("link", { rel: "stylesheet", href: BASE + "static/widget/veiviser.css" }));
    (document.querySelector("[data-veiviser-widget]") || document.body).append(root);
    await loadLanguage(state.language);
    const wasExpired = expired();
    if (wasExpired) forgetConversation();
    restore();
    if (wasExpired) sayExpired();
    if (state.live && !wasExpired) { showLiveBar(); listen(); }
    if ((script && script.dataset.open === "true") || sessionStorage.getItem(STORE + "open")) open(false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
