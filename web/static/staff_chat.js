/*
 * The case worker's Chat pages. Without this script they still work (forms post and reload);
 * with it: availability stays on while the page is open (a heartbeat every 30 s), the queue
 * refreshes in place, and a chat's messages arrive within a second (server-sent events) and are
 * sent without leaving the page. Text is only ever set as text, never as HTML.
 */
(function () {
  "use strict";

  const HEARTBEAT_MS = 30000;
  const QUEUE_MS = 5000;
  const WHO = { family: "Familien", case_worker: "Saksbehandler", system: "Veiviser" };

  function csrf() {
    const field = document.querySelector('input[name="csrf"]');
    return field ? field.value : "";
  }

  // --- a heartbeat while a Chat page is open: the case worker is here (and available, if they said so) ---
  const availability = document.getElementById("availability");
  const beating = document.querySelector("[data-heartbeat]");
  const alarm = document.getElementById("presence-alert");
  // A page that was signed out (the session ended) is sent to the login page: that is no answer.
  const answered = (response) => response.ok && !response.redirected;
  if (beating) {
    let failures = 0;
    setInterval(async () => {
      const body = new FormData();
      body.append("csrf", csrf());
      try {
        const response = await fetch("/staff/chat/presence", { method: "POST", body, credentials: "same-origin" });
        if (!answered(response)) throw new Error("http " + response.status);
        const data = await response.json();
        failures = 0;
        if (alarm) alarm.textContent = "";
        // No longer available (chosen elsewhere, or the page was away too long): show the choice again.
        if (availability && availability.dataset.available === "1" && !data.available) window.location.reload();
      } catch (error) {
        failures += 1;  // one miss is nothing: availability lasts two minutes
        if (failures >= 2 && alarm) {
          alarm.textContent = "Forbindelsen til Veiviser er brutt, eller du er logget ut. Familiene ser deg ikke som " +
            "tilgjengelig før siden svarer igjen. Last siden på nytt, eller logg inn igjen.";
        }
      }
    }, HEARTBEAT_MS);
  }

  // --- the queue, refreshed in place (never while the keyboard is in it) ---------------------------
  const queue = document.getElementById("queue");
  const queueNote = document.getElementById("queue-note");
  if (queue) {
    let shown = queue.innerHTML;
    setInterval(async () => {
      if (queue.contains(document.activeElement)) return;
      try {
        const response = await fetch(queue.dataset.refresh, { credentials: "same-origin" });
        if (!answered(response)) return;  // signed out: the heartbeat says so
        const html = await response.text();  // rendered and escaped by the server's template
        if (html !== shown) {
          const before = queue.querySelectorAll("tbody tr").length;
          queue.innerHTML = html;
          shown = html;
          const after = queue.querySelectorAll("tbody tr").length;
          if (after > before) queueNote.textContent = after === 1 ? "En familie venter." : after + " familier venter.";
        }
      } catch (error) { /* tried again shortly */ }
    }, QUEUE_MS);
  }

  // --- one chat: messages as they come, and sent without leaving the page ------------------------
  const messages = document.getElementById("messages");
  if (!messages) return;
  const note = document.getElementById("chat-note");
  const seen = new Set([...messages.querySelectorAll("li[data-id]")].map((item) => Number(item.dataset.id)));

  function addMessage(message) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    const item = document.createElement("li");
    item.className = "line-" + message.author;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = (WHO[message.author] || message.author) + ": ";
    const said = document.createElement("span");
    said.className = "said";
    said.textContent = message.text;
    item.append(who, said);
    messages.append(item);
  }

  if (messages.dataset.status !== "ended") {
    const stream = new EventSource(messages.dataset.events);
    let lost = null;
    stream.onopen = () => { clearTimeout(lost); lost = null; };
    stream.onerror = () => {  // a stream ends every few minutes and comes back within a second
      if (!lost) lost = setTimeout(() => { if (stream.readyState !== EventSource.OPEN) note.textContent = "Forbindelsen er brutt. Prøver igjen …"; }, 5000);
    };
    stream.addEventListener("message", (event) => addMessage(JSON.parse(event.data)));
    stream.addEventListener("state", (event) => {
      const state = JSON.parse(event.data);
      if (state.status === "unavailable") {
        note.textContent = "Veiviser får ikke kontakt med databasen. Prøver igjen …";
      } else if (state.status === "none") {
        stream.close();
        window.location.reload();  // a colleague took it while you read it: the page says so
      } else if (state.status === "ended") {
        note.textContent = "Samtalen er avsluttet. Familien får svar fra Veiviser igjen.";
        stream.close();
        for (const form of document.querySelectorAll("#send, form[action$='/end']")) form.hidden = true;
      } else if (state.status === "active" && messages.dataset.status === "waiting") {
        window.location.reload();  // taken (by you in another tab, or by a colleague)
      }
    });
  }

  const send = document.getElementById("send");
  if (send) {
    const field = send.querySelector("textarea");
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); send.requestSubmit(); }
    });
    send.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!field.value.trim()) { note.textContent = "Skriv en melding først."; field.focus(); return; }
      try {
        const response = await fetch(send.action, { method: "POST", body: new FormData(send), credentials: "same-origin",
          headers: { Accept: "application/json" } });
        if (response.redirected) { note.textContent = "Du er logget ut. Meldingen ble ikke sendt."; return; }
        const data = await response.json();
        if (!response.ok) { note.textContent = "Meldingen ble ikke sendt: " + (data.error || response.status) + "."; return; }
        addMessage({ id: data.id, author: "case_worker", text: field.value });
        field.value = "";
        note.textContent = "";
      } catch (error) {
        note.textContent = "Meldingen ble ikke sendt. Prøv igjen.";
      }
      field.focus();
    });
  }
})();
