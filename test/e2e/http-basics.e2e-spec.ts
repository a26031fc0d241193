import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsEmail, IsInt, IsString, Max, MinLength } from 'class-validator';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { Public } from '../../src/common/http/public.decorator.js';
import { createTestApp, type TestApp } from '../support/app.js';

class ProbeDto {
  @IsString()
  @MinLength(3)
  name: string;

  @IsEmail()
  email: string;

  @IsInt()
  @Max(10)
  count: number;
}

@Public()
@Controller('probe')
class ProbeController {
  @Post()
  create(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Post('boom')
  boom(): never {
    throw new Error('secret internal detail at /srv/app.ts:12');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const ERROR_BODY = {
  error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
  requestId: expect.any(String),
};

describe('HTTP basics (e2e)', () => {
  let t: TestApp;
  let server: App;

  beforeAll(async () => {
    t = await createTestApp({ HTTP_BODY_LIMIT: '1kb' }, [ProbeModule]);
    server = t.app.getHttpServer();
  });
  afterAll(() => t.close());

  it('answers an unknown route with 404 not_found and a request id header matching the body', async () => {
    const res = await request(server).get('/v1/nope').expect(404);
    expect(res.body).toEqual(ERROR_BODY);
    expect(res.body.error.code).toBe('not_found');
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });

  it('keeps a well-formed caller request id', async () => {
    const res = await request(server).get('/v1/nope').set('x-request-id', 'req-1234567890');
    expect(res.body.requestId).toBe('req-1234567890');
    expect(res.headers['x-request-id']).toBe('req-1234567890');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await request(server)
      .post('/probe')
      .set('content-type', 'application/json')
      .send('{"name": "abc", ')
      .expect(400);
    expect(res.body).toEqual(ERROR_BODY);
    expect(res.body.error.code).toBe('invalid_json');
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });

  it('answers an oversize body with 413 payload_too_large', async () => {
    const res = await request(server)
      .post('/probe')
      .send({ name: 'x'.repeat(5000), email: 'a@b.co', count: 1 })
      .expect(413);
    expect(res.body).toEqual(ERROR_BODY);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answers a DTO validation failure with 400 validation_failed and field details', async () => {
    const res = await request(server)
      .post('/probe')
      .send({ name: 'ab', email: 'not-an-email', count: 11, extra: true })
      .expect(400);
    expect(res.body).toEqual(ERROR_BODY);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['count', 'email', 'extra', 'name']);
  });

  it('accepts a valid body', async () => {
    const body = { name: 'abc', email: 'a@b.co', count: 3 };
    await request(server).post('/probe').send(body).expect(201, body);
  });

  it('answers an unexpected error with a generic 500 and leaks no internals', async () => {
    const res = await request(server).post('/probe/boom').expect(500);
    expect(res.body).toEqual(ERROR_BODY);
    expect(res.body.error.code).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toMatch(/secret|srv|at \w|\.ts/);
  });

  it('serves health, OpenAPI and security headers', async () => {
    await request(server).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(server).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database.status).toBe('up');
    const doc = await request(server).get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/health/ready']).toBeDefined();
    const live = await request(server).get('/health/live');
    expect(live.headers['x-content-type-options']).toBe('nosniff');
  });

  it('allows CORS only for the configured frontend origin', async () => {
    const ok = await request(server).options('/health/live').set('origin', 'http://frontend.test');
    expect(ok.headers['access-control-allow-origin']).toBe('http://frontend.test');
    const other = await request(server).options('/health/live').set('origin', 'http://evil.test');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
