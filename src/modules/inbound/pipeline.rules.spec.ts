import { describe, expect, it } from '@jest/globals';
import { storedPreview, storedWebLink } from './pipeline.rules.js';

describe('stored message facts', () => {
  it("keeps Graph's preview (whitespace folded, at most 255 characters); empty is none", () => {
    expect(storedPreview('Hello,\r\n\r\nI cannot  log in.')).toBe('Hello, I cannot log in.');
    expect(storedPreview('x'.repeat(300))).toHaveLength(255);
    expect(storedPreview('   ')).toBeNull();
    expect(storedPreview(undefined)).toBeNull();
    expect(storedPreview(null)).toBeNull();
  });

  it('keeps an https webLink, refuses any other scheme, credentials and absurd lengths', () => {
    const owa =
      'https://outlook.office365.com/owa/?ItemID=AAMk%2Fx%3D&exvsurl=1&viewmodel=ReadMessageItem';
    expect(storedWebLink(owa)).toBe(owa);
    expect(storedWebLink('javascript:alert(1)')).toBeNull();
    expect(storedWebLink('http://outlook.office365.com/owa/')).toBeNull();
    expect(storedWebLink('data:text/html,<b>x</b>')).toBeNull();
    expect(storedWebLink('https://user:pw@evil.example/')).toBeNull();
    expect(storedWebLink('not a url')).toBeNull();
    expect(storedWebLink(`https://outlook.office365.com/${'a'.repeat(2100)}`)).toBeNull();
    expect(storedWebLink(undefined)).toBeNull();
  });
});
