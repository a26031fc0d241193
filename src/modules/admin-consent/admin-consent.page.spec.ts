import { describe, expect, it } from '@jest/globals';
import { escapeHtml, renderReviewPage } from './admin-consent.page.js';

const ready = {
  kind: 'ready' as const,
  workspaceId: 'ws-"1"',
  workspaceName: '<script>alert(1)</script>',
  requestedBy: 'Ann & Bob',
  tenant: null,
  expiresAt: new Date('2026-06-01T12:00:00Z'),
  continueUrl: 'https://login.example/organizations/oauth2/v2.0/authorize?a=1&state=x"y',
  permissions: [{ name: 'Mail.Send', allows: 'Send <mail>' }],
};

describe('the admin consent link page', () => {
  it('escapes everything it shows, the Continue URL included', () => {
    const { status, html } = renderReviewPage(ready);
    expect(status).toBe(200);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('Ann &#38; Bob');
    expect(html).toContain('ws-&#34;1&#34;');
    expect(html).toContain('Send &#60;mail&#62;');
    expect(html).toContain(
      'href="https://login.example/organizations/oauth2/v2.0/authorize?a=1&#38;state=x&#34;y"',
    );
  });

  it('is a plain accessible document: language, title, one main with its heading, no script', () => {
    const { html } = renderReviewPage(ready);
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain('<main aria-labelledby="title"><h1 id="title">');
    expect(html).toContain('<time datetime="2026-06-01T12:00:00.000Z">2026-06-01 12:00 UTC</time>');
    expect(html).not.toMatch(/<script|\son\w+=/i);
  });

  it('unknown → 404; used or expired → 410, with what to do', () => {
    expect(renderReviewPage({ kind: 'unknown' }).status).toBe(404);
    expect(renderReviewPage({ kind: 'used' })).toMatchObject({
      status: 410,
      html: expect.stringContaining('already used'),
    });
    expect(renderReviewPage({ kind: 'expired' }).html).toContain(
      'Ask the person who sent it for a new',
    );
  });

  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&#38;&#60;&#62;&#34;&#39;');
  });
});
