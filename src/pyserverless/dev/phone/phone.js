// The dev phone page: conversations and calls held through the JSON API under /_dev/api/ (docs/testing.md).
"use strict";

const DEFAULT_FROM = "+14155550100";
const DEFAULT_TO = "+14155550199";
const $ = (id) => document.getElementById(id);

const state = { conversations: [], current: null, functions: [], generation: null };

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const answer = await fetch(`/_dev/api/${path}`, options);
  const document_ = await answer.json().catch(() => ({ error: `HTTP ${answer.status}` }));
  if (document_.code) noteCode(document_.code);
  if (!answer.ok) throw document_;
  return document_;
}

function noteCode(code) {
  const badge = $("code-state");
  const loaded = new Date(code.loaded_at * 1000).toLocaleTimeString();
  if (state.generation !== null && state.generation !== code.generation) {
    badge.textContent = `Code reloaded at ${loaded}`;
    badge.classList.add("reloaded");
    if (state.current) addItem(state.current, { kind: "notice", text: "Code reloaded: this ran the new code." });
  } else if (state.generation === null) {
    badge.textContent = `Code loaded at ${loaded}`;
  }
  state.generation = code.generation;
}

function newConversation(from) {
  const conversation = {
    id: `c${state.conversations.length + 1}`,
    mode: "sms",
    path: pickFunction(state.functions, "sms"),
    from,
    to: DEFAULT_TO,
    items: [],
    twiml: [],
    cookies: {},
    call: null,
  };
  state.conversations.push(conversation);
  return conversation;
}

function pickFunction(functions, mode) {
  const words = mode === "sms" ? ["state", "sms", "message", "reply"] : ["voice", "ivr", "call", "menu"];
  for (const word of words) {
    const match = functions.find((path) => path.includes(word));
    if (match) return match;
  }
  return functions[0] || "/";
}

function select(conversation) {
  state.current = conversation;
  $("function").value = conversation.path;
  $("from").value = conversation.from;
  $("to").value = conversation.to;
  for (const mode of ["sms", "call"]) $(`mode-${mode}`).classList.toggle("active", conversation.mode === mode);
  $("composer").hidden = conversation.mode !== "sms";
  $("dialer").hidden = conversation.mode !== "call";
  $("screen").classList.toggle("calling", conversation.mode === "call");
  $("avatar").textContent = conversation.mode === "sms" ? "✉" : "☎";
  $("reset").hidden = conversation.mode !== "sms";
  render();
}

function addItem(conversation, item) {
  conversation.items.push(item);
  if (conversation === state.current) render();
}

function render() {
  const conversation = state.current;
  renderList();
  $("peer").textContent = conversation.path;
  $("peer-sub").textContent = `${conversation.from} → ${conversation.to}`;
  const thread = $("thread");
  thread.replaceChildren(...conversation.items.map(renderItem));
  thread.scrollTop = thread.scrollHeight;
  renderCookies(conversation.mode === "sms" ? conversation.cookies : (conversation.call || {}).cookies || {});
  $("twiml").replaceChildren(...conversation.twiml.slice().reverse().map(renderRequest));
  const call = conversation.call;
  const waiting = Boolean(call && call.waiting);
  $("call-start").disabled = Boolean(call && !call.ended);
  $("hangup").disabled = !(call && !call.ended);
  for (const key of document.querySelectorAll("#keypad button")) key.disabled = !waiting;
  $("speak").disabled = !waiting;
  $("silence").disabled = !waiting;
}

function renderList() {
  const list = $("conversations");
  list.replaceChildren(
    ...state.conversations.map((conversation) => {
      const entry = document.createElement("li");
      entry.classList.toggle("active", conversation === state.current);
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.conversation = conversation.id;
      button.append(span("title", `${conversation.mode === "sms" ? "✉" : "☎"} ${conversation.path}`));
      button.append(span("sub", `${conversation.from} → ${conversation.to}`));
      button.addEventListener("click", () => select(conversation));
      entry.append(button);
      return entry;
    }),
  );
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function renderItem(item) {
  const element = document.createElement("li");
  element.textContent = item.text;
  if (item.kind === "outgoing" || item.kind === "incoming") {
    element.className = `bubble ${item.kind}${item.voice ? ` ${item.voice}` : ""}`;
    if (item.to) element.dataset.to = item.to;
    for (const url of item.media || []) {
      const link = document.createElement("a");
      link.className = "media";
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = `📎 ${url}`;
      element.append(link);
    }
  } else {
    element.className = item.kind;
  }
  return element;
}

function renderCookies(cookies) {
  const body = $("cookies");
  const names = Object.keys(cookies);
  if (names.length === 0) {
    const row = document.createElement("tr");
    row.className = "empty";
    row.innerHTML = '<td colspan="3">No cookies</td>';
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(
    ...names.map((name) => {
      const cookie = typeof cookies[name] === "object" ? cookies[name] : { value: cookies[name] };
      const row = document.createElement("tr");
      row.dataset.cookie = name;
      for (const text of [name, cookie.value, expiry(cookie)]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
}

function expiry(cookie) {
  if (cookie.expires_in === undefined) return "this call";
  if (cookie.expires_in === null) return "4 h cap";
  const minutes = Math.round(cookie.expires_in / 60);
  return minutes >= 60 ? `in ${Math.floor(minutes / 60)} h ${minutes % 60} min` : `in ${minutes} min`;
}

function renderRequest(request) {
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  caption.textContent = `${request.method} ${request.url} → ${request.status} ${request.content_type}`;
  const pre = document.createElement("pre");
  pre.textContent = request.body ? indentXml(request.body) : "(empty body)";
  figure.append(caption, pre);
  return figure;
}

// One element per line, indented by depth: enough to read TwiML (an element with text stays on its line).
function indentXml(text) {
  if (!text.trimStart().startsWith("<")) return text;
  let depth = 0;
  return text
    .replace(/>\s*</g, ">\n<")
    .split("\n")
    .map((line) => {
      if (line.startsWith("</")) depth = Math.max(depth - 1, 0);
      const indented = "  ".repeat(depth) + line;
      const opens = /^<[^/?!]/.test(line) && !line.endsWith("/>") && !line.includes("</");
      if (opens) depth += 1;
      return indented;
    })
    .join("\n");
}

function showError(conversation, problem) {
  const text = problem.hint ? `${problem.error}\n${problem.hint}` : problem.error || String(problem);
  addItem(conversation, { kind: "error", text });
}

async function sendMessage(text) {
  const conversation = state.current;
  addItem(conversation, { kind: "outgoing", text });
  try {
    const reply = await api("POST", "messages", {
      path: conversation.path, body: text, from: conversation.from, to: conversation.to,
    });
    conversation.cookies = reply.cookies;
    conversation.twiml.push(...reply.requests);
    for (const message of reply.messages) {
      const elsewhere = message.to && message.to !== conversation.from ? message.to : null;
      addItem(conversation, { kind: "incoming", text: message.body, media: message.media, to: elsewhere });
    }
    if (reply.messages.length === 0 && reply.status === 200 && reply.twiml !== null) {
      addItem(conversation, { kind: "event", text: "No reply (the TwiML sends no message)." });
    }
    if (reply.status >= 400 || reply.twiml === null) {
      const last = reply.requests[reply.requests.length - 1];
      addItem(conversation, { kind: "error", text: `HTTP ${reply.status}: ${last.body}` });
    }
    if (reply.problem) addItem(conversation, { kind: "error", text: reply.problem });
  } catch (problem) {
    showError(conversation, problem);
  }
  render();
}

function showCall(conversation, call) {
  conversation.call = call;
  conversation.twiml.push(...call.requests.slice(conversation.twiml.length - conversation.callStart));
  for (const event of call.new_events) {
    if (event.kind === "say" || event.kind === "play") {
      addItem(conversation, { kind: "incoming", voice: event.kind, text: event.text });
    } else if (event.kind === "input") {
      addItem(conversation, { kind: "outgoing", text: event.text });
    } else {
      const ends = ["end", "hangup", "reject", "error"].includes(event.kind) || call.ended;
      addItem(conversation, { kind: ends ? "event end" : "event", text: event.text });
    }
  }
  render();
}

async function startCall() {
  const conversation = state.current;
  conversation.callStart = conversation.twiml.length;
  addItem(conversation, { kind: "event", text: `Calling ${conversation.path}…` });
  try {
    showCall(conversation, await api("POST", "calls", {
      path: conversation.path, from: conversation.from, to: conversation.to,
    }));
  } catch (problem) {
    showError(conversation, problem);
  }
}

async function answerCall(input) {
  const conversation = state.current;
  if (!conversation.call) return;
  try {
    showCall(conversation, await api("POST", `calls/${conversation.call.call_sid}`, input));
  } catch (problem) {
    showError(conversation, problem);
  }
}

async function hangUp() {
  const conversation = state.current;
  if (!conversation.call) return;
  try {
    showCall(conversation, await api("DELETE", `calls/${conversation.call.call_sid}`));
  } catch (problem) {
    conversation.call = null;
    showError(conversation, problem);
  }
}

async function reset() {
  const conversation = state.current;
  const query = new URLSearchParams({ from: conversation.from, to: conversation.to });
  try {
    await api("DELETE", `conversations?${query}`);
    conversation.cookies = {};
    addItem(conversation, { kind: "event", text: "Conversation reset: the cookies are gone." });
  } catch (problem) {
    showError(conversation, problem);
  }
}

function wire() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("message-input");
    if (input.value.trim() === "") return;
    const text = input.value;
    input.value = "";
    sendMessage(text);
  });
  $("speech-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("speech-input");
    if (input.value.trim() === "") return;
    answerCall({ speech: input.value });
    input.value = "";
  });
  for (const key of document.querySelectorAll("#keypad button")) {
    key.addEventListener("click", () => answerCall({ digits: key.dataset.key }));
  }
  $("call-start").addEventListener("click", startCall);
  $("hangup").addEventListener("click", hangUp);
  $("silence").addEventListener("click", () => answerCall({ silence: true }));
  $("reset").addEventListener("click", reset);
  for (const mode of ["sms", "call"]) {
    $(`mode-${mode}`).addEventListener("click", () => {
      state.current.mode = mode;
      state.current.path = pickFunction(state.functions, mode);
      select(state.current);
    });
  }
  $("function").addEventListener("change", (event) => { state.current.path = event.target.value; render(); });
  for (const field of ["from", "to"]) {
    $(field).addEventListener("change", (event) => {
      state.current[field] = event.target.value.trim() || (field === "from" ? DEFAULT_FROM : DEFAULT_TO);
      render();
    });
  }
  window.addEventListener("resize", () => {
    const thread = $("thread");
    thread.scrollTop = thread.scrollHeight;
  });
  $("new-conversation").addEventListener("click", () => {
    const next = Number(DEFAULT_FROM.slice(-4)) + state.conversations.length;
    select(newConversation(`${DEFAULT_FROM.slice(0, -4)}${String(next).padStart(4, "0")}`));
  });
}

async function boot() {
  wire();
  try {
    const routes = await api("GET", "routes");
    state.functions = routes.functions;
  } catch (problem) {
    state.functions = [];
  }
  $("function").replaceChildren(
    ...state.functions.map((path) => {
      const option = document.createElement("option");
      option.value = path;
      option.textContent = path;
      return option;
    }),
  );
  const conversation = newConversation(DEFAULT_FROM);
  select(conversation);
  try {
    const known = await api("GET", "conversations");
    const pair = known.conversations.find((item) => item.from === conversation.from && item.to === conversation.to);
    if (pair) {
      conversation.cookies = pair.cookies;
      addItem(conversation, { kind: "event", text: "Continuing a conversation: its cookies are kept." });
    }
  } catch (problem) {
    showError(conversation, problem);
  }
  render();
}

document.addEventListener("DOMContentLoaded", boot);
