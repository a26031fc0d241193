import { escapeHtml } from './html.js';

/** The Microsoft logo: four coloured squares. */
const LOGO = `<svg class="logo" xmlns="http://www.w3.org/2000/svg" width="108" height="24" viewBox="0 0 108 24" role="img" aria-label="Microsoft"><rect x="0" y="1" width="10" height="10" fill="#f25022"/><rect x="11" y="1" width="10" height="10" fill="#7fba00"/><rect x="0" y="12" width="10" height="10" fill="#00a4ef"/><rect x="11" y="12" width="10" height="10" fill="#ffb900"/><text x="27" y="17" font-family="Segoe UI, Arial, sans-serif" font-size="15" font-weight="600" fill="#737373">Microsoft</text></svg>`;

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;background:#f2f2f2;font-family:"Segoe UI","Segoe UI Web (West European)",-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;display:flex;align-items:center;justify-content:center}
main{background:#fff;width:440px;max-width:100%;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2);margin:24px}
.logo{display:block;margin-bottom:16px}
.identity{font-size:15px;color:#1b1b1b;margin-bottom:8px}
h1{font-size:24px;font-weight:600;line-height:1.75rem;margin:0 0 12px}
p{font-size:15px;line-height:20px;margin:0 0 12px}
.muted{color:#616161;font-size:13px}
.tiles{list-style:none;margin:0 -44px 12px;padding:0}
.tile{display:flex;align-items:center;width:100%;padding:12px 44px;border:0;background:none;text-align:left;font:inherit;cursor:pointer}
.tile:hover,.tile:focus,.tile.selected{background:#e6e6e6;outline:none}
.avatar{width:40px;height:40px;border-radius:50%;background:#0067b8;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:600;margin-right:12px;flex:none}
.tile .name{display:block;font-size:15px}
.tile .upn{display:block;font-size:13px;color:#616161}
label{display:block;font-size:13px;color:#616161;margin:8px 0 4px}
input[type=email],input[type=text]{width:100%;border:0;border-bottom:1px solid #666;padding:6px 0;font:inherit;font-size:15px;outline:none}
input[type=email]:focus,input[type=text]:focus{border-bottom-color:#0067b8}
.actions{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}
button.primary,button.secondary{min-width:108px;min-height:32px;padding:4px 12px;font:inherit;font-size:15px;border:1px solid transparent;cursor:pointer}
button.primary{background:#0067b8;color:#fff}
button.primary:hover{background:#005da6}
button.secondary{background:#ccc;color:#000}
button.secondary:hover{background:#b3b3b3}
.perms{list-style:none;padding:0;margin:0 0 16px}
.perms li{display:flex;gap:10px;font-size:15px;padding:6px 0}
.perms li::before{content:"\\2713";color:#0067b8;font-weight:700}
.app{display:flex;align-items:center;gap:12px;margin-bottom:16px}
.app-icon{width:48px;height:48px;background:#e8e8e8;display:flex;align-items:center;justify-content:center;font-size:20px;font-weight:600;color:#0067b8}
.app-name{font-size:15px;font-weight:600}
.unverified{font-size:13px;color:#616161}
.error{color:#e81123;font-size:15px;margin-bottom:12px}
.details{font-family:Consolas,monospace;font-size:12px;color:#616161;background:#f8f8f8;padding:12px;word-break:break-word;margin-top:16px}
.checkbox{display:flex;gap:8px;align-items:flex-start;font-size:13px;margin:8px 0 12px}
.checkbox input{margin-top:3px}
footer{position:fixed;bottom:0;right:0;font-size:12px;color:#616161;padding:8px 16px}
`;

/** The shared page frame: a white card on grey, like login.microsoftonline.com. */
export function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main data-testid="page">${LOGO}${body}</main>
<footer>Microsoft 365 emulator (sandbox) &middot; no real account is used</footer></body></html>`;
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')[0]?.toUpperCase() ?? '')
    .join('');
}
