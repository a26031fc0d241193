/**
 * SMTP addresses (lower case) among proxy addresses. Non-mail types (SIP, X500, X400, SPO, EUM)
 * are skipped; Microsoft's own examples put a space after the colon, so it is trimmed.
 */
export function smtpAddresses(proxyAddresses: string[]): string[] {
  return proxyAddresses
    .map((p) => /^smtp:\s*(.+)$/i.exec(p.trim())?.[1])
    .filter((a): a is string => Boolean(a))
    .map((a) => a.trim().toLowerCase());
}
