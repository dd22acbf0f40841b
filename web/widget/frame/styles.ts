/** The frame's styles (the frame's CSP allows inline styles, not other origins). */
export const CSS = `
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#fff}
.bc{display:flex;flex-direction:column;height:100%}
.bc-head{display:flex;align-items:flex-start;gap:8px;padding:12px 14px;background:var(--c);color:var(--fg)}
.bc-head h1{font-size:17px;margin:0}
.bc-head p{margin:2px 0 0;font-size:13px}
.bc-head>div{flex:1}
.bc-x{background:transparent;color:inherit;border:1px solid currentColor;border-radius:6px;font-size:18px;line-height:1;padding:4px 9px;cursor:pointer}
.bc-body{flex:1;overflow-y:auto;padding:10px 14px}
.bc-greeting{margin:0 0 8px;color:#333}
.bc-notice{margin:6px 0;color:#333;font-size:14px}
.bc-notice:empty,.bc-typing:empty,.bc-error:empty{display:none}
.bc-log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.bc-msg{max-width:85%;padding:8px 10px;border-radius:10px;background:#eef0f3;align-self:flex-start}
.bc-msg p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.bc-msg--visitor{align-self:flex-end;background:var(--c);color:var(--fg)}
.bc-msg--visitor a{color:inherit}
.bc-msg--system{align-self:center;background:transparent;color:#444;font-size:13px}
.bc-who{display:block;font-size:12px;font-weight:600;margin-bottom:2px}
.bc-read{display:block;font-size:12px;text-align:right;opacity:.9}
.bc-typing{font-size:13px;color:#444;margin:6px 0 0;font-style:italic}
.bc-error{color:#a00018;margin:6px 0;font-size:14px}
.bc-field{margin:8px 0}
.bc-field label,.bc-legend{display:block;font-size:13px;font-weight:600;margin-bottom:3px}
.bc input[type=text],.bc input[type=email],.bc textarea{width:100%;padding:7px 8px;border:1px solid #767676;border-radius:6px;font:inherit}
.bc textarea{min-height:64px;resize:vertical}
.bc fieldset{border:0;margin:8px 0;padding:0}
.bc-choice{display:block;margin:3px 0}
.bc-field-error{color:#a00018;font-size:13px;margin:3px 0 0}
.bc-foot{border-top:1px solid #ddd;padding:8px 14px}
.bc-row{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.bc-btn{padding:7px 14px;border-radius:6px;border:1px solid var(--c);background:var(--c);color:var(--fg);font:inherit;font-weight:600;cursor:pointer}
.bc-btn--quiet{background:#fff;color:#1b1b1b;border-color:#767676;font-weight:400;font-size:13px;padding:5px 10px}
.bc-files{font-size:13px}
.bc :focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
