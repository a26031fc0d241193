/** What the admin consent link shows an IT admin (no ScendCore account needed). */
export type ReviewPage =
  | {
      kind: 'ready';
      workspaceId: string;
      workspaceName: string | null;
      requestedBy: string | null;
      tenant: string | null;
      expiresAt: Date;
      continueUrl: string;
      permissions: readonly { name: string; allows: string }[];
    }
  | { kind: 'unknown' | 'used' | 'expired' };

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1b1f24}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:8px;border:1px solid #d0d5dc}
h1{font-size:1.5rem;margin-top:0}h2{font-size:1.1rem;margin-top:1.5rem}
li{margin:.4rem 0}code{font-size:.95em}.note{color:#4a525c;font-size:.95rem}
.button{display:inline-block;margin-top:1rem;padding:.7rem 1.4rem;background:#0b57d0;color:#fff;
border-radius:6px;text-decoration:none;font-weight:600}.button:focus{outline:3px solid #f4b400;outline-offset:2px}`;

/** HTML-escapes text for element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page and its HTTP status: 200 ready, 404 unknown link, 410 used or expired. */
export function renderReviewPage(page: ReviewPage): { status: number; html: string } {
  if (page.kind === 'unknown')
    return { status: 404, html: layout('Link not found', [unusable('This link is not valid.')]) };
  if (page.kind !== 'ready') {
    const why = page.kind === 'used' ? 'This link was already used.' : 'This link has expired.';
    return { status: 410, html: layout('Link no longer usable', [unusable(why)]) };
  }
  return { status: 200, html: layout('Connect your Microsoft 365 organization', readyBody(page)) };
}

function readyBody(page: Extract<ReviewPage, { kind: 'ready' }>): string[] {
  const workspace = page.workspaceName
    ? `<strong>${escapeHtml(page.workspaceName)}</strong> (id <code>${escapeHtml(page.workspaceId)}</code>)`
    : `<code>${escapeHtml(page.workspaceId)}</code>`;
  const by = page.requestedBy
    ? ` at the request of <strong>${escapeHtml(page.requestedBy)}</strong>`
    : '';
  const tenant = page.tenant
    ? `<p>It is for the Microsoft 365 organization <strong>${escapeHtml(page.tenant)}</strong>.</p>`
    : '';
  const permissions = page.permissions
    .map(
      (p) =>
        `<li><strong><code>${escapeHtml(p.name)}</code></strong>: ${escapeHtml(p.allows)}</li>`,
    )
    .join('');
  const expires = page.expiresAt.toISOString();
  return [
    `<p>The ScendCore workspace ${workspace} asks an administrator of your Microsoft 365 organization to connect it${by}, so that ScendCore can send email as its users and shared mailboxes without each person signing in.</p>`,
    tenant,
    `<h2 id="permissions">Application permissions Microsoft will ask you to grant</h2><ul aria-labelledby="permissions">${permissions}</ul>`,
    `<h2 id="next">What happens next</h2><ol aria-labelledby="next">
<li>Continue opens Microsoft's admin consent page. Sign in as an administrator who may grant application permissions (for example a Global Administrator or Cloud Application Administrator) and review the permissions.</li>
<li>If you accept, ScendCore lists your organization's users that have a mailbox, shared mailboxes included (disabled accounts of people, rooms, equipment and accounts without a mailbox are left out), for this workspace only, and keeps the list current every few hours.</li>
<li>To revoke access at any time, delete the ScendCore enterprise application in the Microsoft Entra admin center (Enterprise applications).</li></ol>`,
    `<p class="note">This link works once and expires at <time datetime="${expires}">${expires.replace('T', ' ').slice(0, 16)} UTC</time>. If you did not expect it, do not continue.</p>`,
    `<a class="button" href="${escapeHtml(page.continueUrl)}">Continue to Microsoft</a>`,
  ];
}

function unusable(why: string): string {
  return `<p>${escapeHtml(why)} Ask the person who sent it for a new admin consent link from ScendCore's Email Setup.</p>`;
}

function layout(title: string, body: string[]): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ScendCore</title><style>${STYLE}</style></head>
<body><main aria-labelledby="title"><h1 id="title">${escapeHtml(title)}</h1>
${body.filter(Boolean).join('\n')}
</main></body></html>`;
}
