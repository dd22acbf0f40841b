import { useId, useState } from 'react';
import { t } from '../i18n';

/** Readable defaults for mail that sets no styles of its own (inline <style> is allowed by the frame's policy). */
const BASE_STYLE =
  'html{background:#fff;color:#1b1f24}body{margin:12px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;overflow-wrap:anywhere}img{max-width:100%;height:auto}pre{white-space:pre-wrap}';

/**
 * The document the frame shows. The Content-Security-Policy comes first so it governs everything
 * after it: no scripts, frames, fonts, forms or connections at all; images only inline (data:) and
 * from Baton itself (signed links to inline cid: parts), plus http(s) once the agent allows remote
 * images. `<base target="_blank">` keeps a clicked link from replacing the mail inside the frame:
 * with no allow-popups in the sandbox the click is simply refused.
 */
export function emailSrcDoc(html: string, remoteImages: boolean, origin: string = window.location.origin): string {
  const imgSrc = remoteImages ? `data: https: http: ${origin}` : `data: ${origin}`;
  const policy = `default-src 'none'; style-src 'unsafe-inline'; img-src ${imgSrc}`;
  return (
    `<meta http-equiv="Content-Security-Policy" content="${policy}">` +
    '<meta name="referrer" content="no-referrer">' +
    '<base target="_blank">' +
    `<style>${BASE_STYLE}</style>` +
    html
  );
}

interface EmailFrameProps {
  /** HTML the server sanitized; still treated as hostile (sandbox and policy). */
  html: string;
  /** The frame's accessible name. */
  title: string;
  /** Whether the mail refers to remote images (shows the notice and its button). */
  hasRemoteImages: boolean;
}

/**
 * An HTML email inside `<iframe sandbox="">`: no scripts, no same-origin access to Baton, no
 * popups, no forms, no top navigation. The HTML goes in through the srcdoc attribute, never
 * through dangerouslySetInnerHTML. Remote images stay blocked until the agent asks for them.
 */
export function EmailFrame({ html, title, hasRemoteImages }: EmailFrameProps) {
  const id = useId();
  const [remoteImages, setRemoteImages] = useState(false);
  const [tall, setTall] = useState(false);

  return (
    <div className="email-frame">
      {hasRemoteImages && (
        <div className={`notice ${remoteImages ? 'notice--warning' : 'notice--info'} email-frame__notice`}>
          <p id={`${id}-images`}>{remoteImages ? t('emailFrame.remoteShown') : t('emailFrame.remoteBlocked')}</p>
          {/* One button whose label changes, so focus stays on it after the click. */}
          <button
            type="button"
            className="button button--small"
            aria-describedby={`${id}-images`}
            onClick={() => setRemoteImages((on) => !on)}
          >
            {remoteImages ? t('emailFrame.blockRemote') : t('emailFrame.loadRemote')}
          </button>
        </div>
      )}
      <iframe
        // A new frame per policy: the browser fixes a document's CSP when it loads.
        key={remoteImages ? 'remote' : 'blocked'}
        className={`email-frame__frame ${tall ? 'email-frame__frame--tall' : ''}`}
        title={title}
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={emailSrcDoc(html, remoteImages)}
      />
      <div className="email-frame__tools">
        <button type="button" className="button button--small button--quiet" aria-pressed={tall} onClick={() => setTall((x) => !x)}>
          {t('emailFrame.taller')}
        </button>
      </div>
    </div>
  );
}
