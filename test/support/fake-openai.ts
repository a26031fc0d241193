import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: {
      type: string;
      json_schema?: { name: string; strict?: boolean; schema: unknown };
    };
  };
}

/** How the fake answers one chat completion: JSON content, or a failure mode. */
export type Answer =
  | { content: string; totalTokens?: number }
  | { status: number; body?: unknown }
  | { delayMs: number };

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) over plain HTTP: records every
 * request and answers with what `answer` returns for it (structured content, an HTTP error such
 * as 429, malformed output, or no answer in time).
 */
export class FakeOpenAi {
  readonly requests: ChatRequest[] = [];
  answer: (request: ChatRequest) => Answer = () => ({ content: '{}' });
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const request: ChatRequest = {
      headers: req.headers,
      body: JSON.parse(text) as ChatRequest['body'],
    };
    this.requests.push(request);
    const answer = this.answer(request);
    if ('delayMs' in answer) {
      setTimeout(() => reply(res, 200, completion(request, '{}', 1)), answer.delayMs).unref();
      return;
    }
    if ('status' in answer) {
      reply(res, answer.status, answer.body ?? { error: { message: 'error', type: 'error' } });
      return;
    }
    reply(res, 200, completion(request, answer.content, answer.totalTokens ?? 120));
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(status === 429 ? { 'retry-after': '1' } : {}),
  });
  res.end(JSON.stringify(body));
}

function completion(request: ChatRequest, content: string, totalTokens: number) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.body.model,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    usage: { prompt_tokens: totalTokens - 20, completion_tokens: 20, total_tokens: totalTokens },
  };
}
