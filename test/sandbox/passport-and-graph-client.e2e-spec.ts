import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import https from 'node:https';
import {
  Controller,
  Get,
  Injectable,
  Post,
  Req,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';
import { OIDCStrategy, type IProfile } from 'passport-azure-ad';
import { request } from 'undici';
import { startM365Emulator, type M365Emulator } from '../../src/sandbox/emulator.js';
import { ADELE, CONTOSO_TENANT_ID, SANDBOX_APP } from '../../src/sandbox/seed.js';
import { decide, pickAccount } from './support/flow.js';
import { EmulatorHttp } from './support/https.js';
import { graphClientFor } from './support/graph-sdk.js';
import { freePort } from './support/ports.js';

interface SignedIn {
  oid: string;
  tid: string;
  iss: string;
  nonce: string;
  accessToken: string;
  refreshToken: string;
}

function strategyFor(
  emulator: M365Emulator,
  redirectUrl: string,
  responseMode: 'query' | 'form_post',
) {
  @Injectable()
  class AzureAdStrategy extends PassportStrategy(OIDCStrategy, `azuread-${responseMode}`, true) {
    constructor() {
      super({
        identityMetadata: `${emulator.authorityHost}/organizations/v2.0/.well-known/openid-configuration`,
        clientID: SANDBOX_APP.clientId,
        clientSecret: SANDBOX_APP.clientSecret,
        responseType: 'code',
        responseMode,
        redirectUrl,
        allowHttpForRedirectUrl: true,
        validateIssuer: false,
        passReqToCallback: false,
        useCookieInsteadOfSession: true,
        cookieEncryptionKeys: [{ key: '12345678901234567890123456789012', iv: '123456789012' }],
        scope: ['offline_access', 'User.Read', 'Mail.Send'],
        loggingLevel: 'error',
        loggingNoPII: true,
      });
    }

    // Eight-argument verify (with callbackArity): iss, sub, profile, jwtClaims, tokens, params.
    validate(
      iss: string,
      _sub: string,
      _profile: IProfile,
      claims: Record<string, string>,
      accessToken: string,
      refreshToken: string,
      _params: unknown,
    ): SignedIn {
      return {
        oid: claims.oid,
        tid: claims.tid,
        iss,
        nonce: claims.nonce,
        accessToken,
        refreshToken,
      };
    }
  }
  return AzureAdStrategy;
}

@Controller()
class AuthController {
  @Get('login')
  @UseGuards(AuthGuard('azuread-query'))
  login(): void {}

  @Get('auth/callback')
  @UseGuards(AuthGuard('azuread-query'))
  callback(@Req() req: Request): unknown {
    return req.user;
  }

  @Get('login-post')
  @UseGuards(AuthGuard('azuread-form_post'))
  loginPost(): void {}

  @Post('auth/callback-post')
  @UseGuards(AuthGuard('azuread-form_post'))
  callbackPost(@Req() req: Request): unknown {
    return req.user;
  }
}

describe('passport-azure-ad and the Graph SDK against the emulator', () => {
  let emulator: M365Emulator;
  let http: EmulatorHttp;
  let app: INestApplication;
  let appUrl: string;
  const previousCa = https.globalAgent.options.ca;

  beforeAll(async () => {
    emulator = await startM365Emulator();
    http = new EmulatorHttp(emulator.baseUrl, emulator.caCertPem);
    // passport-azure-ad fetches metadata and keys with https.get and redeems codes with the
    // `oauth` package, both on https.globalAgent and with no option for a CA: trust the
    // emulator's CA there, for this test process only.
    https.globalAgent.options.ca = emulator.caCertPem;
    const port = await freePort();
    appUrl = `http://localhost:${port}`;
    const moduleRef = await Test.createTestingModule({
      controllers: [AuthController],
      providers: [
        strategyFor(emulator, `${appUrl}/auth/callback`, 'query'),
        strategyFor(emulator, `${appUrl}/auth/callback-post`, 'form_post'),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.use(cookieParser());
    await app.listen(port, '127.0.0.1');
  });

  afterAll(async () => {
    https.globalAgent.options.ca = previousCa;
    await app?.close();
    await http.close();
    await emulator.close();
  });

  async function startLogin(path: string): Promise<{ authorizeUrl: URL; cookie: string }> {
    const res = await request(`${appUrl}${path}`);
    await res.body.dump();
    expect(res.statusCode).toBe(302);
    const setCookie = res.headers['set-cookie'];
    const cookie = (Array.isArray(setCookie) ? setCookie : [String(setCookie)])
      .map((c) => c.split(';')[0])
      .join('; ');
    return { authorizeUrl: new URL(String(res.headers.location)), cookie };
  }

  it('completes the code flow (response_mode=query), checks the nonce, then reads /me with the Graph SDK', async () => {
    const { authorizeUrl, cookie } = await startLogin('/login');
    expect(authorizeUrl.origin).toBe(emulator.baseUrl);
    expect(authorizeUrl.searchParams.get('response_type')).toBe('code');
    const nonce = authorizeUrl.searchParams.get('nonce');
    const signIn = await http.get(authorizeUrl.toString());
    const consent = await pickAccount(http, signIn, ADELE.id);
    const back = await decide(http, consent, 'accept');
    const callback = String(back.headers.location);
    expect(callback.startsWith(`${appUrl}/auth/callback?code=`)).toBe(true);
    const res = await request(callback, { headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const user = (await res.body.json()) as SignedIn;
    expect(user).toMatchObject({ oid: ADELE.id, tid: CONTOSO_TENANT_ID, nonce });
    expect(user.iss).toBe(`${emulator.baseUrl}/${user.tid}/v2.0`);
    expect(user.refreshToken).toBeTruthy();

    const { client, agent } = graphClientFor(
      emulator.graphBaseUrl,
      emulator.caCertPem,
      () => user.accessToken,
    );
    try {
      const me = await client.api('/me').get();
      expect(me).toMatchObject({
        id: ADELE.id,
        displayName: ADELE.displayName,
        mail: ADELE.mail,
        userPrincipalName: ADELE.userPrincipalName,
      });
      const logged = emulator.control.requestLog({ path: '/v1.0/me' });
      expect(logged.at(-1)).toMatchObject({ status: 200, userId: ADELE.id });
    } finally {
      await agent.close();
    }
  });

  it('completes the code flow with response_mode=form_post', async () => {
    const { authorizeUrl, cookie } = await startLogin('/login-post');
    expect(authorizeUrl.searchParams.get('response_mode')).toBe('form_post');
    const signIn = await http.get(authorizeUrl.toString());
    const page = await pickAccount(http, signIn, ADELE.id);
    const form = /<form method="POST" name="hiddenform" action="([^"]+)">([\s\S]*?)<noscript>/.exec(
      page.text,
    );
    expect(form?.[1]).toBe(`${appUrl}/auth/callback-post`);
    const fields = Object.fromEntries(
      [...(form?.[2] ?? '').matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const res = await request(`${appUrl}/auth/callback-post`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    expect(res.statusCode).toBe(201);
    expect(await res.body.json()).toMatchObject({ oid: ADELE.id, tid: CONTOSO_TENANT_ID });
  });
});
