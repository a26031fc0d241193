import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONTOSO_TENANT_ID } from '../../src/sandbox/seed.js';
import {
  appToken,
  graphCaller,
  type GraphCaller,
  startGraphWorld,
  type GraphWorld,
} from './support/graph-world.js';

describe('directory: deleting a user', () => {
  let world: GraphWorld;
  let app: GraphCaller;

  beforeAll(async () => {
    world = await startGraphWorld();
    app = graphCaller(world.http, await appToken(world));
  });
  afterAll(() => world.close());

  const listed = async () =>
    (await app.get('/v1.0/users?$select=id,mail&$top=999'))
      .json<{ value: { id: string }[] }>()
      .value.map((u) => u.id);

  it('in process: /users stops listing the user and Graph answers 404 for it', async () => {
    const { control } = world.emulator;
    const leaver = control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Leo Leaver',
      mail: 'leo@contoso.com',
    });
    expect(await listed()).toContain(leaver.id);
    control.removeUser('leo@contoso.com');
    expect(await listed()).not.toContain(leaver.id);
    const gone = await app.get(`/v1.0/users/${leaver.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });

  it('over HTTP: DELETE /_emulator/users/{user} → 204; an unknown user → 400', async () => {
    const { control } = world.emulator;
    const leaver = control.addUser(CONTOSO_TENANT_ID, {
      displayName: 'Lia Leaver',
      mail: 'lia@contoso.com',
    });
    const removed = await world.http.sendJson('DELETE', `/_emulator/users/${leaver.id}`);
    expect(removed.status).toBe(204);
    expect(await listed()).not.toContain(leaver.id);
    const again = await world.http.sendJson('DELETE', `/_emulator/users/${leaver.id}`);
    expect(again.status).toBe(400);
    expect(again.json()).toEqual({ error: expect.stringContaining('Unknown user') });
  });
});
