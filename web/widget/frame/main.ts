import { isChatMessage, type FrameToPage } from '../protocol';
import { tr } from '../text';
import { WidgetConnection, type ServerMessage } from './connection';
import { field, h, safeUrl, showFieldError, textOn } from './dom';
import { CSS } from './styles';

/**
 * The chat frame (served on /chat/frame/<site key>, docs/REALTIME.md "Widget"): pre-chat form,
 * the conversation as a live region, typing, read receipts, files, offline email and transcript.
 */
interface SiteLook {
  name: string;
  colour: string;
  greeting: string;
  prechat_question: string;
  prechat_choices: { id: string; label: string }[];
  require_identity: boolean;
  online: boolean;
  next_open_at?: string | null;
  expected_wait_seconds?: number | null;
}
interface ChatMessage {
  id: string;
  from: 'visitor' | 'agent' | 'system';
  author_name: string | null;
  text: string;
  attachments: { filename: string; url: string }[];
  at: string;
}
interface Conversation {
  id: string;
  state: 'queued' | 'active' | 'ended';
  email_followup: boolean;
  followup_email_given: boolean;
  position: number | null;
  agent_read_message_id: string | null;
}

const root = document.getElementById('baton-chat')!;
const siteKey = root.dataset.site ?? '';
const allowedOrigins = new Set((root.dataset.origins ?? '').split(' ').filter(Boolean));
const embedded = window.parent !== window;
const storageKey = `baton-chat:${siteKey}`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TYPING_EVERY_MS = 2_000;
const TYPING_SHOWS_MS = 6_000;
const MAX_FILES = 3;

let site: SiteLook | undefined;
let conversation: Conversation | null = null;
let messages: ChatMessage[] = [];
/** Sent but not yet confirmed by the server (text only). */
let pending: string[] = [];
let identityToken: string | undefined;
let pageOpen = !embedded;
let unread = 0;
let lastReadSent: string | undefined;
let lastTypingSent = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let emailPurpose: 'followup' | 'transcript' = 'followup';
let wantsNewChat = false;

let visitorToken: string | undefined;
function loadToken(): string | undefined {
  try {
    visitorToken ??= localStorage.getItem(storageKey) ?? undefined;
  } catch {
    // Third-party storage blocked: the page's copy (postMessage 'visitor') or memory.
  }
  return visitorToken;
}
function saveToken(token: string) {
  visitorToken = token;
  toPage({ baton: 'chat', type: 'visitor', token });
  try {
    localStorage.setItem(storageKey, token);
  } catch {
    // See loadToken.
  }
}
/** Resolved when the page said which visitor token it keeps (or after a short wait). */
let pageToken: () => void = () => undefined;
const pageTokenKnown = new Promise<void>((resolve) => {
  pageToken = resolve;
  setTimeout(resolve, embedded ? 1500 : 0);
});

/** The embedding page's origin (ancestorOrigins where the browser has it, else the referrer). */
const parentOrigin: string | undefined = (() => {
  const [ancestor] = Array.from(location.ancestorOrigins ?? []);
  if (ancestor) return ancestor;
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
})();

function toPage(message: FrameToPage) {
  if (!embedded) return;
  // The page is one of the site's allowed origins (CSP frame-ancestors); nothing secret goes out.
  window.parent.postMessage(message, parentOrigin ?? '*');
}

// ---------- the view ----------

const style = h('style');
style.textContent = CSS;
document.head.append(style);

const title = h('h1', { id: 'bc-title' });
const status = h('p', { role: 'status' }, tr('widget.connecting'));
const closeButton = h('button', { type: 'button', class: 'bc-x', 'aria-label': tr('widget.close') }, '×');
closeButton.hidden = !embedded;
const greeting = h('p', { class: 'bc-greeting' });
const notice = h('p', { class: 'bc-notice', role: 'status' });
const log = h('ol', { class: 'bc-log', role: 'log', 'aria-live': 'polite', 'aria-label': tr('widget.messages'), tabindex: '0' });
const typing = h('p', { class: 'bc-typing', role: 'status' });
const errorLine = h('p', { class: 'bc-error', role: 'alert' });

// pre-chat
const choiceSet = h('fieldset', {}, h('legend', { class: 'bc-legend' }));
const nameInput = h('input', { type: 'text', maxlength: '200', autocomplete: 'name' });
const emailInput = h('input', { type: 'email', maxlength: '254', autocomplete: 'email' });
const firstText = h('textarea', { maxlength: '5000' });
const nameField = field(tr('widget.name'), nameInput);
const emailField = field(tr('widget.emailOptional'), emailInput);
const firstField = field(tr('widget.message'), firstText);
const prechat = h(
  'form',
  { class: 'bc-prechat', novalidate: true },
  choiceSet,
  nameField.wrap,
  emailField.wrap,
  firstField.wrap,
  h('button', { type: 'submit', class: 'bc-btn' }, tr('widget.start')),
);

// composer
const text = h('textarea', { maxlength: '5000' });
const textField = field(tr('widget.message'), text);
const files = h('input', { type: 'file', multiple: true, class: 'bc-files' });
const filesField = field(tr('widget.attach'), files);
const composer = h(
  'form',
  { class: 'bc-compose', novalidate: true },
  textField.wrap,
  h('div', { class: 'bc-row' }, filesField.wrap, h('button', { type: 'submit', class: 'bc-btn' }, tr('widget.send'))),
);

// follow-up email / transcript address
const askEmailLabel = h('p', { class: 'bc-notice' });
const followInput = h('input', { type: 'email', maxlength: '254', autocomplete: 'email' });
const followField = field(tr('widget.email'), followInput);
const followButton = h('button', { type: 'submit', class: 'bc-btn' }, tr('widget.saveEmail'));
const emailForm = h('form', { class: 'bc-email', novalidate: true }, askEmailLabel, followField.wrap, followButton);

const transcriptButton = h('button', { type: 'button', class: 'bc-btn bc-btn--quiet' }, tr('widget.transcript'));
const leaveButton = h('button', { type: 'button', class: 'bc-btn bc-btn--quiet' }, tr('widget.leave'));
const newChatButton = h('button', { type: 'button', class: 'bc-btn bc-btn--quiet' }, tr('widget.newChat'));
const actions = h('div', { class: 'bc-row' }, transcriptButton, leaveButton, newChatButton);

root.className = 'bc';
root.setAttribute('aria-labelledby', 'bc-title');
root.setAttribute('role', 'region');
root.append(
  h('header', { class: 'bc-head' }, h('div', {}, title, status), closeButton),
  h('div', { class: 'bc-body' }, greeting, notice, log, typing),
  h('div', { class: 'bc-foot' }, errorLine, prechat, composer, emailForm, actions),
);

/** "We are online · usually within 3 minutes", or when the team is away, when it is back. */
function availability(look: SiteLook): string {
  if (look.online) {
    const wait = look.expected_wait_seconds;
    if (wait === null || wait === undefined) return tr('widget.online');
    return `${tr('widget.online')} · ${tr('widget.expectedWait', { count: Math.max(1, Math.ceil(wait / 60)) })}`;
  }
  const back = look.next_open_at ? new Date(look.next_open_at) : null;
  if (!back || Number.isNaN(back.getTime())) return tr('widget.offline');
  // The visitor's own clock and language: "Mon 09:00".
  const when = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(back);
  return tr('widget.backAt', { when });
}

function setLook(look: SiteLook) {
  site = look;
  const colour = /^#[0-9a-f]{6}$/i.test(look.colour) ? look.colour : '#1f4e99';
  root.style.setProperty('--c', colour);
  root.style.setProperty('--fg', textOn(colour));
  title.textContent = look.name;
  document.title = look.name;
  greeting.textContent = look.greeting;
  toPage({ baton: 'chat', type: 'ready', colour, name: look.name });
}

function render() {
  const open = conversation !== null && conversation.state !== 'ended';
  const ended = conversation !== null && conversation.state === 'ended';
  const asking = site !== undefined && (conversation === null || (ended && wantsNewChat));
  prechat.hidden = !asking;
  composer.hidden = !open;
  leaveButton.hidden = !open;
  transcriptButton.hidden = conversation === null || messages.length === 0;
  newChatButton.hidden = !ended || wantsNewChat;
  const needsEmail =
    conversation !== null &&
    !asking &&
    (conversation.email_followup || (site !== undefined && !site.online)) &&
    !conversation.followup_email_given;
  emailForm.hidden = !(needsEmail || emailPurpose === 'transcript');
  askEmailLabel.textContent = emailPurpose === 'transcript' ? tr('widget.transcript') : tr('widget.askEmail');
  followButton.textContent = emailPurpose === 'transcript' ? tr('widget.sendTranscript') : tr('widget.saveEmail');

  if (site && asking) {
    const offline = !site.online;
    emailField.wrap.querySelector('label')!.textContent = offline ? tr('widget.email') : tr('widget.emailOptional');
    emailInput.required = offline;
    choiceSet.hidden = site.prechat_choices.length === 0;
  }
  if (!conversation) notice.textContent = '';
  else if (conversation.state === 'ended') notice.textContent = tr('widget.ended');
  else if (conversation.state === 'queued')
    notice.textContent = conversation.position ? tr('widget.queued', { count: conversation.position }) : tr('widget.waiting');
}

function renderChoices(look: SiteLook) {
  const legend = choiceSet.querySelector('legend')!;
  legend.textContent = look.prechat_question;
  choiceSet.replaceChildren(legend);
  look.prechat_choices.forEach((choice, i) => {
    const input = h('input', { type: 'radio', name: 'choice', value: choice.id });
    if (i === 0) input.checked = true;
    choiceSet.append(h('label', { class: 'bc-choice' }, input, ` ${choice.label}`));
  });
}

function messageItem(message: ChatMessage, read: boolean): HTMLLIElement {
  const who =
    message.from === 'visitor'
      ? tr('widget.you')
      : message.from === 'agent'
        ? (message.author_name ?? tr('widget.agent'))
        : tr('widget.system');
  const item = h(
    'li',
    { class: `bc-msg bc-msg--${message.from}`, 'data-message-id': message.id, 'data-from': message.from },
    h('span', { class: message.from === 'visitor' ? 'bc-who vh' : 'bc-who' }, `${who}:`),
    h('p', {}, message.text),
  );
  for (const file of message.attachments) {
    if (!safeUrl(file.url)) continue;
    item.append(
      h('p', {}, h('a', { href: file.url, target: '_blank', rel: 'noopener' }, tr('widget.attachment', { name: file.filename }))),
    );
  }
  if (read) item.append(h('span', { class: 'bc-read' }, tr('widget.read')));
  return item;
}

/** Appends new items only, so a screen reader announces just what is new in the log. */
function renderMessages(reset = false) {
  if (reset) log.replaceChildren();
  const readIndex = conversation?.agent_read_message_id ? messages.findIndex((m) => m.id === conversation!.agent_read_message_id) : -1;
  let lastVisitorRead = -1;
  messages.forEach((m, i) => {
    if (m.from === 'visitor' && i <= readIndex) lastVisitorRead = i;
  });
  const shown = new Map<string, Element>();
  for (const el of Array.from(log.children)) shown.set(el.getAttribute('data-message-id') ?? '', el);
  messages.forEach((m, i) => {
    const existing = shown.get(m.id);
    const read = i === lastVisitorRead;
    if (existing) {
      const mark = existing.querySelector('.bc-read');
      if (read && !mark) existing.append(h('span', { class: 'bc-read' }, tr('widget.read')));
      else if (!read && mark) mark.remove();
      shown.delete(m.id);
    } else log.append(messageItem(m, read));
  });
  for (const text of pending) {
    const key = `pending:${text}`;
    if (shown.has(key)) shown.delete(key);
    else log.append(messageItem({ id: key, from: 'visitor', author_name: null, text, attachments: [], at: '' }, false));
  }
  for (const stale of shown.values()) stale.remove();
  log.parentElement!.scrollTop = log.parentElement!.scrollHeight;
}

function addMessage(message: ChatMessage) {
  if (messages.some((m) => m.id === message.id)) return;
  messages.push(message);
  if (message.from === 'visitor') {
    const i = pending.indexOf(message.text);
    if (i >= 0) pending.splice(i, 1);
  }
  if (message.from === 'agent') {
    typing.textContent = '';
    if (!pageOpen || document.visibilityState !== 'visible') {
      unread += 1;
      toPage({ baton: 'chat', type: 'unread', count: unread });
      chime();
    }
  }
  renderMessages();
  render();
  sendRead();
}

/** The visitor has seen the agent's latest message when the frame is open and visible. */
function sendRead() {
  if (!pageOpen || document.visibilityState !== 'visible' || !conversation) return;
  const last = [...messages].reverse().find((m) => m.from === 'agent');
  if (!last || last.id === lastReadSent) return;
  if (connection.send({ type: 'read', message_id: last.id })) lastReadSent = last.id;
}

let audio: AudioContext | undefined;
function chime() {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  } catch {
    // No sound before the visitor interacted with the page (autoplay rules): the badge remains.
  }
}

function showError(reason: string | null) {
  errorLine.textContent = reason ? tr('widget.failed', { reason }) : '';
}

// ---------- the connection ----------

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/chat/widget/socket?site=${encodeURIComponent(siteKey)}`;
const connection = new WidgetConnection(wsUrl, {
  hello: () => ({
    ...(loadToken() ? { visitor_token: loadToken() } : {}),
    ...(identityToken ? { identity_token: identityToken } : {}),
  }),
  state: (state) => {
    if (state === 'open') status.textContent = site ? availability(site) : tr('widget.offline');
    else status.textContent = state === 'connecting' ? tr('widget.connecting') : tr('widget.reconnecting');
  },
  refused: (code) => {
    if (code === 4404) toPage({ baton: 'chat', type: 'hide' });
    status.textContent = code === 4401 ? tr('widget.identityNeeded') : tr('widget.unavailable');
    prechat.hidden = composer.hidden = true;
  },
  message: receive,
});

function receive(message: ServerMessage) {
  switch (message.type) {
    case 'welcome': {
      if (typeof message.visitor_token === 'string') saveToken(message.visitor_token);
      const look = message.site as SiteLook;
      setLook(look);
      renderChoices(look);
      status.textContent = availability(look);
      const current = message.conversation as (Conversation & { messages: ChatMessage[] }) | null;
      conversation = current;
      messages = current ? current.messages : [];
      const known = new Set(messages.filter((m) => m.from === 'visitor').map((m) => m.text));
      pending = pending.filter((p) => !known.has(p));
      renderMessages(true);
      render();
      sendRead();
      return;
    }
    case 'started': {
      const started = message.conversation as { id: string; state: Conversation['state']; position: number | null };
      if (conversation && conversation.id !== started.id) {
        // A new chat after an ended one: its own log (a returning visitor gets the latest one).
        messages = [];
        renderMessages(true);
      }
      wantsNewChat = false;
      conversation = {
        id: started.id,
        state: started.state,
        position: started.position,
        email_followup: false,
        followup_email_given: emailInput.value.trim() !== '',
        agent_read_message_id: null,
      };
      prechat.reset();
      render();
      text.focus();
      return;
    }
    case 'sent':
      return;
    case 'message':
      addMessage(message.message as ChatMessage);
      return;
    case 'typing':
      typing.textContent = tr('widget.typing', {
        name: typeof message.name === 'string' && message.name ? message.name : tr('widget.someone'),
      });
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typing.textContent = ''), TYPING_SHOWS_MS);
      return;
    case 'assigned': {
      const agent = message.agent as { name: string } | null;
      if (conversation && agent) {
        conversation.state = 'active';
        conversation.position = null;
        render();
        notice.textContent = tr('widget.joined', { name: agent.name || tr('widget.agent') });
      }
      return;
    }
    case 'queue':
      if (conversation) {
        conversation.position = typeof message.position === 'number' ? message.position : null;
        render();
      }
      return;
    case 'read':
      if (conversation && typeof message.message_id === 'string') {
        conversation.agent_read_message_id = message.message_id;
        renderMessages();
      }
      return;
    case 'state':
    case 'left':
      if (conversation) {
        if (message.type === 'left' || message.state === 'ended') conversation.state = 'ended';
        conversation.email_followup = message.email_followup === true;
        render();
      }
      return;
    case 'email_saved':
      if (conversation) conversation.followup_email_given = true;
      emailPurpose = 'followup';
      followInput.value = '';
      render();
      notice.textContent = tr('widget.emailSaved');
      return;
    case 'transcript_sent':
      if (conversation) conversation.followup_email_given = true;
      emailPurpose = 'followup';
      render();
      notice.textContent = tr('widget.transcriptSent');
      return;
    case 'error':
      showError(typeof message.message === 'string' ? message.message : String(message.code));
      return;
    default:
  }
}

// ---------- what the visitor does ----------

function checkEmail(input: HTMLInputElement, error: HTMLElement, required: boolean): string | null | undefined {
  const value = input.value.trim();
  if (!value && !required) {
    showFieldError(input, error, null);
    return null;
  }
  if (!EMAIL.test(value)) {
    showFieldError(input, error, tr('widget.emailInvalid'));
    return undefined;
  }
  showFieldError(input, error, null);
  return value;
}

prechat.addEventListener('submit', (event) => {
  event.preventDefault();
  showError(null);
  const body = firstText.value.trim();
  const email = checkEmail(emailInput, emailField.error, emailInput.required);
  if (email === undefined) return;
  if (!body) return showFieldError(firstText, firstField.error, tr('widget.messageRequired'));
  showFieldError(firstText, firstField.error, null);
  const choice = choiceSet.querySelector<HTMLInputElement>('input:checked')?.value;
  const name = nameInput.value.trim();
  if (
    connection.send({
      type: 'start',
      text: body,
      ...(choice ? { choice_id: choice } : {}),
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
    })
  ) {
    pending.push(body);
    renderMessages();
  }
});

async function upload(list: File[]): Promise<string[]> {
  const form = new FormData();
  for (const file of list) form.append('file', file, file.name);
  const res = await fetch(`/api/v1/chat/widget/uploads?site=${encodeURIComponent(siteKey)}`, {
    method: 'POST',
    body: form,
    headers: { 'X-Baton-Visitor': loadToken() ?? '' },
  });
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | { id: string }[] | null;
  if (!res.ok || !Array.isArray(json)) throw new Error((json && !Array.isArray(json) && json.error?.message) || `HTTP ${res.status}`);
  return json.map((f) => f.id);
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendMessage();
});

async function sendMessage() {
  showError(null);
  const chosen = Array.from(files.files ?? []);
  if (chosen.length > MAX_FILES) return showFieldError(files, filesField.error, tr('widget.tooManyFiles'));
  showFieldError(files, filesField.error, null);
  const body = text.value.trim() || chosen.map((f) => f.name).join(', ');
  if (!body) return showFieldError(text, textField.error, tr('widget.messageRequired'));
  showFieldError(text, textField.error, null);
  let attachmentIds: string[] = [];
  if (chosen.length > 0) {
    notice.textContent = tr('widget.uploading');
    try {
      attachmentIds = await upload(chosen);
    } catch (error) {
      notice.textContent = '';
      return showError(tr('widget.uploadFailed', { reason: (error as Error).message }));
    }
    notice.textContent = '';
  }
  if (connection.send({ type: 'message', text: body, ...(attachmentIds.length ? { attachment_ids: attachmentIds } : {}) })) {
    if (attachmentIds.length === 0) pending.push(body);
    text.value = '';
    files.value = '';
    renderMessages();
  } else showError(tr('widget.reconnecting'));
}

text.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    composer.requestSubmit();
  }
});
text.addEventListener('input', () => {
  const now = Date.now();
  if (now - lastTypingSent < TYPING_EVERY_MS || !conversation || conversation.state === 'ended') return;
  lastTypingSent = now;
  connection.send({ type: 'typing' });
});

emailForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const transcript = emailPurpose === 'transcript';
  const email = checkEmail(followInput, followField.error, !transcript || !conversation?.followup_email_given);
  if (email === undefined) return;
  if (transcript) connection.send({ type: 'transcript', ...(email ? { email } : {}) });
  else if (email) connection.send({ type: 'email', email });
});

transcriptButton.addEventListener('click', () => {
  if (conversation?.followup_email_given) connection.send({ type: 'transcript' });
  else {
    emailPurpose = 'transcript';
    render();
    followInput.focus();
  }
});
leaveButton.addEventListener('click', () => connection.send({ type: 'leave' }));
newChatButton.addEventListener('click', () => {
  wantsNewChat = true;
  render();
  firstText.focus();
});

closeButton.addEventListener('click', () => toPage({ baton: 'chat', type: 'close' }));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && embedded) toPage({ baton: 'chat', type: 'close' });
});
document.addEventListener('visibilitychange', sendRead);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // Only the page that embeds the frame, on one of the site's allowed origins.
  if (event.source !== window.parent || !allowedOrigins.has(event.origin) || !isChatMessage(event.data)) return;
  const data = event.data;
  if (data.type === 'open') {
    pageOpen = true;
    unread = 0;
    toPage({ baton: 'chat', type: 'unread', count: 0 });
    sendRead();
    (composer.hidden ? (prechat.hidden ? closeButton : firstText) : text).focus();
  } else if (data.type === 'closed') pageOpen = false;
  else if (data.type === 'visitor') {
    if (typeof data.token === 'string' && data.token.length <= 200 && !loadToken()) visitorToken = data.token;
    pageToken();
  } else if (data.type === 'identity' && typeof data.token === 'string' && data.token.length <= 4096 && data.token !== identityToken) {
    identityToken = data.token;
    actions.hidden = false;
    connection.restart();
  }
});

// ---------- start ----------

async function start() {
  try {
    const res = await fetch(`/api/v1/chat/widget/config?site=${encodeURIComponent(siteKey)}`);
    if (res.status === 404) {
      toPage({ baton: 'chat', type: 'hide' });
      status.textContent = tr('widget.unavailable');
      return;
    }
    if (res.ok) {
      const look = (await res.json()) as SiteLook;
      setLook(look);
      renderChoices(look);
      // A site that requires identity waits for the page's token before saying hello.
      if (look.require_identity && !identityToken) {
        status.textContent = tr('widget.identityNeeded');
        prechat.hidden = composer.hidden = emailForm.hidden = true;
        actions.hidden = true;
        return;
      }
    }
  } catch {
    // The socket's welcome brings the look as well.
  }
  await pageTokenKnown;
  connection.connect();
}

prechat.hidden = composer.hidden = emailForm.hidden = true;
leaveButton.hidden = transcriptButton.hidden = newChatButton.hidden = true;
void start();
