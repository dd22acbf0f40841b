import type { FastifyReply } from 'fastify';
import { LOCALES, t, type Locale } from '../../platform/i18n/index.js';
import { html, type SafeHtml } from './html.js';

/** The shared page frame of the customer pages (help form, status page, file errors). */

export const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'";

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

// Colours checked for WCAG AA contrast on their backgrounds (text >= 4.5:1, borders/focus >= 3:1).
const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f3f4f6}
a{color:#0b57d0}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.site-header :focus-visible,.site-footer :focus-visible{outline-color:#fff}
.skip-link{position:absolute;left:-9999px;top:.5rem;background:#fff;color:#0b57d0;padding:.5rem 1rem;z-index:10}
.skip-link:focus{left:.5rem}
.site-header,.site-footer{background:#1f2a44;color:#fff;padding:.75rem 1rem}
.site-header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;align-items:center}
.site-header a,.site-footer a{color:#fff}
.site-name{margin:0;font-weight:700}
.languages ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
main{display:block;max-width:44rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border:1px solid #d0d4da;border-radius:6px}
h1{font-size:1.75rem;line-height:1.2;margin-top:0}
h2{font-size:1.3rem;margin-top:2rem}
.field{margin-top:1.25rem}
label{display:block;font-weight:600}
.req,.opt{font-weight:400;color:#4a4f57}
.hint{color:#4a4f57;margin:.25rem 0}
.field-error{color:#b00020;font-weight:600;margin:.25rem 0}
input[type=text],input[type=email],select,textarea{width:100%;font:inherit;padding:.5rem;border:2px solid #5a606b;border-radius:4px;background:#fff;color:#1b1b1b}
input[type=file]{font:inherit;margin-top:.25rem}
textarea{min-height:10rem;resize:vertical}
[aria-invalid=true]{border-color:#b00020}
button{font:inherit;font-weight:600;background:#1d6b3a;color:#fff;border:2px solid #1d6b3a;padding:.6rem 1.25rem;border-radius:4px;margin-top:1.5rem;cursor:pointer}
button:hover{background:#155229}
.error-summary{border:4px solid #b00020;padding:1rem 1.25rem;margin-bottom:1.5rem}
.error-summary h2{margin-top:0}
.error-summary a{color:#b00020;font-weight:600}
.notice{border-left:6px solid #1d6b3a;background:#eef7f0;padding:.75rem 1rem;margin:1rem 0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
.facts dt{font-weight:600}
.facts dd{margin:0}
.messages{list-style:none;padding:0;margin:0}
.message{border-top:1px solid #d0d4da;padding:1rem 0}
.message .meta{color:#4a4f57;margin:0 0 .5rem}
.message .body{white-space:pre-wrap;overflow-wrap:anywhere}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.status-link{overflow-wrap:anywhere}
`;

export interface LayoutOptions {
  locale: Locale;
  title: string;
  body: SafeHtml;
  /** Shown in the header; the product name when unknown. */
  workspaceName?: string | undefined;
  /** Where the header links to (the workspace's help form). */
  homePath?: string | undefined;
  /** The current path (without query), for the language links. */
  path?: string | undefined;
  hasErrors?: boolean;
}

export function renderLayout(o: LayoutOptions): string {
  const siteName = t(o.locale, 'layout.help_center', { workspace: o.workspaceName ?? 'Baton' });
  const title = o.hasErrors ? t(o.locale, 'error.title_prefix', { title: o.title }) : o.title;
  const languages = o.path
    ? html`<nav class="languages" aria-label="${t(o.locale, 'layout.language')}">
        <ul>
          ${LOCALES.map(
            (l) =>
              html`<li>
                <a href="${o.path}?lang=${l}" lang="${l}" hreflang="${l}" ${l === o.locale ? html` aria-current="true"` : ''}
                  >${LANGUAGE_NAMES[l]}</a
                >
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  return `<!doctype html>\n${
    html`<html lang="${o.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${title} – ${siteName}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <a class="skip-link" href="#main">${t(o.locale, 'layout.skip_to_content')}</a>
        <header class="site-header">
          <p class="site-name">${o.homePath ? html`<a href="${o.homePath}">${siteName}</a>` : siteName}</p>
          ${languages}
        </header>
        <main id="main" tabindex="-1">${o.body}</main>
        <footer class="site-footer"><p>${t(o.locale, 'layout.footer')}</p></footer>
      </body>
    </html>`.value
  }`;
}

/** Sends a customer page: HTML, the strict CSP, never cached (pages can hold private case text). */
export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', PAGE_CSP)
    .header('Cache-Control', 'no-store')
    .send(page);
}

/** A page with a heading, one paragraph and an optional link (errors, expired links). */
export function renderMessagePage(o: {
  locale: Locale;
  title: string;
  message: string;
  link?: { href: string; text: string } | undefined;
  workspaceName?: string | undefined;
  path?: string | undefined;
}): string {
  return renderLayout({
    locale: o.locale,
    title: o.title,
    workspaceName: o.workspaceName,
    path: o.path,
    body: html`<h1>${o.title}</h1>
      <p>${o.message}</p>
      ${o.link ? html`<p><a href="${o.link.href}">${o.link.text}</a></p>` : ''}`,
  });
}
