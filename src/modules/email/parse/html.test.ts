import { describe, expect, it } from 'vitest';
import { hasRemoteImages, htmlNestingExceeds, htmlToText, rewriteCidSources, sanitizeEmailHtml, sanitizeMailHtml } from './html.js';

describe('sanitizeEmailHtml', () => {
  it('removes scripts, event handlers and style sheets, keeps formatting', () => {
    const html = sanitizeEmailHtml(
      '<style>p{color:red}</style><script>alert(1)</script><p onclick="alert(2)" onmouseover="x()"><b>bold</b> <i>it</i> <u>u</u></p><SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    );
    expect(html).toBe('<p><b>bold</b> <i>it</i> <u>u</u></p>');
  });

  it('removes javascript:, vbscript: and data: links, also obfuscated ones, and opens the rest in a new tab', () => {
    const html = sanitizeEmailHtml(
      [
        '<a href="javascript:alert(1)">a</a>',
        '<a href=" JAVASCRIPT:alert(1)">b</a>',
        '<a href="jav&#x09;ascript:alert(1)">c</a>',
        '<a href="java\nscript:alert(1)">d</a>',
        '<a href="vbscript:msgbox(1)">e</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">f</a>',
        '<a href="//evil.example/">g</a>',
        '<a href="https://example.com/ok" target="_self" rel="opener">h</a>',
        '<a href="mailto:help@example.com">i</a>',
      ].join(''),
    );
    expect(html).not.toMatch(/script|data:|evil|_self|opener"/i);
    expect(html).toContain('<a>a</a><a>b</a><a>c</a><a>d</a><a>e</a><a>f</a><a>g</a>');
    expect(html).toContain('<a href="https://example.com/ok" target="_blank" rel="noopener noreferrer">h</a>');
    expect(html).toContain('<a href="mailto:help@example.com" target="_blank" rel="noopener noreferrer">i</a>');
  });

  it('drops frames, forms, objects, svg and base, keeping plain text content of harmless containers', () => {
    const html = sanitizeEmailHtml(
      '<iframe src="https://evil.example"></iframe><form action="https://evil.example"><input name="pw"><button>Send</button></form><object data="x"></object><embed src="x"><svg onload="alert(1)"><circle/></svg><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example">',
    );
    expect(html).toBe('Send');
  });

  it('keeps tables and allowed attributes, images with http(s), data:image and cid: sources only', () => {
    const html = sanitizeEmailHtml(
      '<table border="1" cellpadding="2"><tr><td colspan="2" onclick="x()">A</td></tr></table>' +
        '<img src="https://example.com/a.png" alt="a" width="10"><img src="cid:logo@x"><img src="data:image/png;base64,iVBORw0KGgo=">' +
        '<img src="data:image/svg+xml;base64,PHN2Zz4="><img src="javascript:alert(1)"><img src="file:///etc/passwd"><img>',
    );
    expect(html).toBe(
      '<table border="1" cellpadding="2"><tr><td colspan="2">A</td></tr></table>' +
        '<img src="https://example.com/a.png" alt="a" width="10" /><img src="cid:logo@x" /><img src="data:image/png;base64,iVBORw0KGgo=" />',
    );
  });

  it('keeps allowlisted inline styles with plain values only', () => {
    const html = sanitizeEmailHtml(
      '<div style="color: #333; font-size: 12pt; background-image: url(https://t.example/x.png); width: expression(alert(1)); position: fixed; border: 1px solid rgb(204, 204, 204); margin: 0 auto">x</div>' +
        '<span style="behavior: url(x.htc); -moz-binding: url(x.xml)">y</span><p style="color: red\\;">z</p>',
    );
    expect(html).toBe(
      '<div style="color: #333; font-size: 12pt; border: 1px solid rgb(204, 204, 204); margin: 0 auto">x</div><span>y</span><p>z</p>',
    );
  });

  it('removes NUL characters', () => {
    expect(sanitizeEmailHtml('<p>a\u0000b</p>')).toBe('<p>ab</p>');
  });

  it('reports the cid: references and remote images of one pass', () => {
    const result = sanitizeMailHtml(
      '<img src="cid:part1.abc%40example.com"><img src="CID:<logo@x>"><img src="http://t.example/p.gif">',
      false,
    );
    expect([...result.cids]).toEqual(['part1.abc@example.com', 'logo@x']);
    expect(result.remoteImages).toBe(true);
    expect(result.text).toBeNull();
  });
});

describe('rewriteCidSources', () => {
  const urls: Record<string, string> = { 'logo@x': '/api/files/1/logo.png?sig=abc', 'chart@x': 'https://files.example/chart.png' };
  const resolve = (cid: string) => urls[cid] ?? null;

  it('replaces cid: sources with resolved URLs and drops unresolved images', () => {
    const html = rewriteCidSources(
      '<p>Logo: <img src="cid:logo@x" alt="logo"> missing: <img src="cid:gone@x"> remote: <img src="https://e.example/a.png"></p>',
      resolve,
    );
    expect(html).toBe(
      '<p>Logo: <img src="/api/files/1/logo.png?sig=abc" alt="logo" /> missing:  remote: <img src="https://e.example/a.png" /></p>',
    );
  });

  it('passes the Content-ID without brackets and percent-decoded', () => {
    const seen: string[] = [];
    rewriteCidSources('<img src="cid:%3Clogo%40x%3E"><img src="cid:logo@x">', (cid) => {
      seen.push(cid);
      return null;
    });
    expect(seen).toEqual(['logo@x', 'logo@x']);
  });

  it('sanitizes what it rewrites', () => {
    const html = rewriteCidSources('<img src="cid:logo@x" onerror="alert(1)"><script>alert(2)</script>', resolve);
    expect(html).toBe('<img src="/api/files/1/logo.png?sig=abc" />');
  });

  it('remote images after rewriting are known to hasRemoteImages', () => {
    expect(hasRemoteImages(rewriteCidSources('<img src="cid:chart@x">', resolve))).toBe(true);
    expect(hasRemoteImages(rewriteCidSources('<img src="cid:logo@x">', resolve))).toBe(false);
  });
});

describe('hasRemoteImages', () => {
  it('detects http(s) and protocol-relative image sources', () => {
    expect(hasRemoteImages('<p>x</p><img src="https://tracker.example/p.gif">')).toBe(true);
    expect(hasRemoteImages('<IMG SRC="http://tracker.example/p.gif">')).toBe(true);
    expect(hasRemoteImages('<img src="//tracker.example/p.gif">')).toBe(true);
  });

  it('is false for cid: and data: images and for text that only mentions an image', () => {
    expect(hasRemoteImages('<img src="cid:logo@x"><img src="data:image/png;base64,AAAA">')).toBe(false);
    expect(hasRemoteImages('<p>&lt;img src="https://tracker.example/p.gif"&gt;</p>')).toBe(false);
    expect(hasRemoteImages('<a href="https://example.com">link</a>')).toBe(false);
  });

  it('answers the same for sanitized output it has seen and for a fresh copy', () => {
    const html = sanitizeEmailHtml('<img src="https://t.example/x.png">');
    const copy = ` ${html}`.slice(1);
    expect(hasRemoteImages(html)).toBe(true);
    expect(hasRemoteImages(copy)).toBe(true);
  });
});

describe('htmlToText', () => {
  it('turns blocks into lines, quotes into "> " lines, and drops scripts and titles', () => {
    const text = htmlToText(
      '<html><head><title>T</title><style>p{}</style></head><body><h1>Title</h1><p>First&nbsp;line<br>second &amp; &lt;third&gt;</p><ul><li>one</li><li>two</li></ul>' +
        '<div>On Monday Support wrote:</div><blockquote><p>quoted<br>more</p><blockquote>deeper</blockquote></blockquote><script>alert(1)</script><table><tr><td>A</td><td>B</td></tr></table></body></html>',
    );
    expect(text).toBe(
      'Title\n\nFirst line\nsecond & <third>\n\n- one\n- two\n\nOn Monday Support wrote:\n\n> quoted\n> more\n\n> > deeper\n\nA B',
    );
  });

  it('keeps pre-formatted text as is', () => {
    expect(htmlToText('<pre>a  b\n  c</pre>')).toBe('a  b\n  c');
  });
});

describe('htmlNestingExceeds', () => {
  it('counts open elements, not implied or void ones', () => {
    expect(htmlNestingExceeds('<div>'.repeat(11), 10)).toBe(true);
    expect(htmlNestingExceeds('<div>'.repeat(10), 10)).toBe(false);
    expect(htmlNestingExceeds('<p>x'.repeat(5000) + '<br>'.repeat(5000) + '<td>'.repeat(5000), 10)).toBe(false);
    expect(htmlNestingExceeds('<div></div>'.repeat(5000), 10)).toBe(false);
    // an end tag closes down to its element; a stray one changes nothing
    expect(htmlNestingExceeds('<b><i><u></b>'.repeat(5), 10)).toBe(false);
    expect(htmlNestingExceeds('<b></x>'.repeat(11), 10)).toBe(true);
    expect(htmlNestingExceeds('<!-- <div><div><div> -->', 1)).toBe(false);
  });
});
