import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Request } from 'express';
import { Agent, request } from 'undici';

export interface LoopbackRequest {
  method: string;
  /** Path and query, e.g. `/v1.0/me/messages?$top=1`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoopbackResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Headers that describe the hop, not the response (left out of `$batch` answers). */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
]);

/**
 * Sends requests back into the emulator's own HTTPS server, so a `$batch` item goes through the
 * whole pipeline (request log, throttling, faults, auth) exactly like a direct call. The server
 * certificate is pinned from the socket the batch arrived on: trusting that exact leaf needs no
 * CA and disables no verification.
 */
export class LoopbackClient {
  private agent: Agent | null = null;
  private pinned: string | null = null;

  async send(baseUrl: string, via: Request, item: LoopbackRequest): Promise<LoopbackResponse> {
    const res = await request(`${baseUrl}${item.path}`, {
      method: item.method as 'GET',
      headers: item.headers,
      body: item.body,
      dispatcher: this.agentFor(via),
    });
    const text = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (!HOP_HEADERS.has(name.toLowerCase()) && value !== undefined)
        headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return { status: res.statusCode, headers, text };
  }

  async close(): Promise<void> {
    await this.agent?.close();
    this.agent = null;
    this.pinned = null;
  }

  private agentFor(via: Request): Agent {
    const leaf = serverCertificate(via);
    if (this.agent && this.pinned === leaf) return this.agent;
    void this.agent?.close();
    this.pinned = leaf;
    this.agent = new Agent({ connect: leaf ? { ca: leaf, allowPartialTrustChain: true } : {} });
    return this.agent;
  }
}

/** PEM of the certificate the server presented on this connection; null over plain http. */
function serverCertificate(req: Request): string | null {
  const socket = req.socket as Partial<TLSSocket>;
  const cert = typeof socket.getCertificate === 'function' ? socket.getCertificate() : null;
  const raw: unknown = cert && 'raw' in cert ? cert.raw : null;
  return Buffer.isBuffer(raw) ? new X509Certificate(raw).toString() : null;
}
