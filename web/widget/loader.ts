import { isChatMessage, type PageToFrame } from './protocol';
import { tr } from './text';

/**
 * The script a site pastes: `<script src="https://baton.example/chat/widget.js" data-site="cs_…" async>`.
 * It adds a launcher button and the chat frame (Baton's origin, so the site's page never sees the
 * conversation). The site may pass an identity token signed by its backend:
 * `window.BatonChat.identify(token)` (calls made before the script loads wait in `window.BatonChat.q`).
 */
interface BatonChatApi {
  identify(token: string): void;
  open(): void;
  close(): void;
  q?: [string, ...unknown[]][];
}

declare global {
  interface Window {
    BatonChat?: Partial<BatonChatApi>;
  }
}

(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const siteKey = script?.dataset.site;
  if (!script || !siteKey || document.getElementById('baton-chat-launcher')) return;
  const origin = new URL(script.src, location.href).origin;

  let ready = false;
  let open = false;
  let identity: string | undefined;
  // The frame's own storage is third-party storage, which browsers may block or clear: the page
  // keeps the visitor token too (the returning visitor finds their conversation again).
  const storageKey = `baton-chat:${siteKey}`;
  const storage = {
    get: () => {
      try {
        return localStorage.getItem(storageKey);
      } catch {
        return null;
      }
    },
    set: (token: string) => {
      try {
        localStorage.setItem(storageKey, token);
      } catch {
        // Storage blocked: a new visitor on the next page load.
      }
    },
  };

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.id = 'baton-chat-launcher';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'baton-chat-frame');
  launcher.style.cssText =
    'position:fixed;right:20px;bottom:20px;z-index:2147483000;min-width:56px;height:56px;padding:0 18px;border:0;border-radius:28px;' +
    'background:#1f4e99;color:#fff;font:600 16px/1 system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)';
  const label = document.createElement('span');
  label.textContent = tr('widget.frameTitle');
  const badge = document.createElement('span');
  badge.setAttribute('aria-hidden', 'true');
  badge.style.cssText =
    'display:none;margin-left:8px;min-width:20px;padding:2px 6px;border-radius:10px;background:#b00020;color:#fff;font-size:12px';
  launcher.append(label, badge);

  const frame = document.createElement('iframe');
  frame.id = 'baton-chat-frame';
  frame.title = tr('widget.frameTitle');
  frame.src = `${origin}/chat/frame/${encodeURIComponent(siteKey)}`;
  frame.setAttribute('allow', 'autoplay');
  frame.style.cssText =
    'position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;max-width:calc(100vw - 40px);height:560px;' +
    'max-height:calc(100vh - 110px);border:0;border-radius:12px;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3);display:none';

  function post(message: PageToFrame) {
    frame.contentWindow?.postMessage(message, origin);
  }

  function setUnread(count: number) {
    badge.textContent = String(count);
    badge.style.display = count > 0 ? 'inline-block' : 'none';
    launcher.setAttribute('aria-label', count > 0 ? tr('widget.openUnread', { count }) : tr('widget.open'));
  }

  function setOpen(next: boolean, focusLauncher = false) {
    open = next;
    frame.style.display = next ? 'block' : 'none';
    launcher.setAttribute('aria-expanded', String(next));
    if (next) {
      setUnread(0);
      post({ baton: 'chat', type: 'open' });
      frame.focus();
    } else {
      post({ baton: 'chat', type: 'closed' });
      if (focusLauncher) launcher.focus();
    }
  }

  function identify(token: string) {
    identity = token;
    if (ready) post({ baton: 'chat', type: 'identity', token });
  }

  launcher.addEventListener('click', () => setOpen(!open));
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Only the frame this script made, on Baton's origin, may drive the launcher.
    if (event.source !== frame.contentWindow || event.origin !== origin || !isChatMessage(event.data)) return;
    const data = event.data;
    if (data.type === 'ready') {
      ready = true;
      if (typeof data.colour === 'string' && /^#[0-9a-f]{6}$/i.test(data.colour)) launcher.style.background = data.colour;
      post({ baton: 'chat', type: 'visitor', token: storage.get() });
      if (identity) post({ baton: 'chat', type: 'identity', token: identity });
      if (open) post({ baton: 'chat', type: 'open' });
    } else if (data.type === 'unread' && typeof data.count === 'number') {
      if (!open) setUnread(data.count);
    } else if (data.type === 'visitor' && typeof data.token === 'string' && data.token.length <= 200) storage.set(data.token);
    else if (data.type === 'close') setOpen(false, true);
    else if (data.type === 'hide') {
      launcher.remove();
      frame.remove();
    }
  });

  setUnread(0);
  // An async script in <head> may run before <body> exists.
  if (document.body) document.body.append(frame, launcher);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(frame, launcher));

  const queued = window.BatonChat?.q ?? [];
  const api: BatonChatApi = { identify, open: () => setOpen(true), close: () => setOpen(false) };
  window.BatonChat = api;
  for (const [name, ...args] of queued) {
    if (name === 'identify' && typeof args[0] === 'string') identify(args[0]);
    else if (name === 'open') api.open();
  }
})();
