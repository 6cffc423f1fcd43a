/**
 * The write API over HTTP (supertest on createApp): signing in (Bearer token and session cookie), the write
 * routes, ETag / If-Match, the audit trail and revert, and every refusal: 400, 401, 403, 404, 409, 412, 429.
 */
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alice, bob, expectError, root, seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';

type Open = Parameters<typeof seededApp>[0];

const topic = (name_en: string, name_km: string, extra: Record<string, unknown> = {}) => ({ label: 'Topic', name_en, name_km, ...extra });

export function describeEditingApi(storeName: string, open?: Open): void {
  describe(`editing API on ${storeName}`, () => {
    let fx: AppFixture;
    beforeAll(async () => {
      fx = await seededApp(open);
    });
    afterAll(async () => fx?.dispose());
    const api = () => request(fx.app);

    describe('signing in', () => {
      it('401s a write without credentials or with a bad token, and a read stays open', async () => {
        const none = await api().post('/api/nodes').send(topic('No one', 'គ្មាន'));
        expectError(none, 401, 'unauthenticated', /sign in/);
        expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
        expectError(await api().post('/api/nodes').set({ Authorization: 'Bearer not-a-token-at-all-x' }).send(topic('No one', 'គ្មាន')), 401, 'unauthenticated');
        expectError(await api().post('/api/nodes').set({ Authorization: 'Basic abc' }).send(topic('No one', 'គ្មាន')), 401, 'unauthenticated');
        expect((await api().get('/api/nodes/dar')).status).toBe(200);
        expect((await api().get('/api/session')).body).toEqual({ signedIn: false });
        expect((await api().get('/api/session').set(alice)).body).toEqual({ signedIn: true, editor: { name: 'alice', role: 'editor' }, via: 'bearer' });
      });

      it('signs the explorer in with an HttpOnly, SameSite=Strict cookie; cookie writes need our Origin; signs out', async () => {
        expectError(await api().post('/api/session').send({ token: 'wrong-token-0123456789' }), 401, 'unauthenticated');
        expectError(await api().post('/api/session').send({}), 400, 'invalid_parameter', /"token"/);
        expectError(await api().post('/api/session').set('Origin', 'https://evil.example').send({ token: TEST_EDITORS.bob }), 403, 'forbidden', /Origin/);

        const signIn = await api().post('/api/session').send({ token: TEST_EDITORS.bob });
        expect(signIn.status).toBe(200);
        expect(signIn.body).toEqual({ signedIn: true, editor: { name: 'bob', role: 'editor' }, via: 'cookie' });
        const cookie = String(signIn.headers['set-cookie']);
        expect(cookie).toMatch(/^dar_session=/);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Strict/);
        expect(cookie).toMatch(/Path=\/api/);
        expect(cookie).not.toMatch(/Secure/); // plain http here
        const jar = cookie.split(';')[0]!;

        expect((await api().get('/api/session').set('Cookie', jar)).body).toMatchObject({ signedIn: true, editor: { name: 'bob' }, via: 'cookie' });
        const site = { Host: 'dar.example:8080', Origin: 'http://dar.example:8080' };
        expectError(await api().post('/api/nodes').set('Cookie', jar).send(topic('Cookie topic', 'ឃុកឃី')), 403, 'forbidden', /Origin/);
        expectError(await api().post('/api/nodes').set('Cookie', jar).set({ ...site, Origin: 'https://evil.example' }).send(topic('Cookie topic', 'ឃុកឃី')), 403, 'forbidden');
        const created = await api().post('/api/nodes').set('Cookie', jar).set(site).send(topic('Cookie topic', 'ឃុកឃី'));
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(created.body.node.created_by).toBe('bob');

        const signOut = await api().delete('/api/session').set('Cookie', jar).set(site);
        expect(signOut.status).toBe(200);
        expect(String(signOut.headers['set-cookie'])).toMatch(/dar_session=;.*Max-Age=0/);
        expectError(await api().delete('/api/session'), 401, 'unauthenticated');
      });
    });

    describe('nodes', () => {
      let etag: string;

      it('creates a node: 201, an id from the English name, ETag "1", Location, who and when set by the server', async () => {
        const res = await api().post('/api/nodes').set(alice).send(topic('Citizen feedback', 'មតិ​ប្រជាពលរដ្ឋ', { summary_en: 'Listening to citizens' }));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.headers.etag).toBe('"1"');
        expect(res.headers.location).toBe('/api/nodes/citizen-feedback');
        expect(res.body.node).toMatchObject({ id: 'citizen-feedback', label: 'Topic', version: 1, created_by: 'alice', updated_by: 'alice', name_km: 'មតិប្រជាពលរដ្ឋ' });
        expect(typeof res.body.audit).toBe('string');
        const read = await api().get('/api/nodes/citizen-feedback');
        expect(read.headers.etag).toBe('"1"');
        etag = read.headers.etag!;
        expect(read.body.node).toEqual(res.body.node);
      });

      it('400s what the schema refuses, naming the property', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ label: 'Topic', name_en: 'Only English' }, 'name_km'],
          [{ label: 'Person', name_en: 'A', name_km: 'ក' }, 'label'],
          [{ ...topic('Stamped', 'ត្រា'), created_by: 'mallory' }, 'created_by'],
          [{ ...topic('Versioned', 'កំណែ'), version: 7 }, 'version'],
          [{ ...topic('Unknown', 'មិនស្គាល់'), colour: 'red' }, '(all)'],
          [{ ...topic('Bad id', 'លេខ'), id: 'Not A Slug' }, 'id'],
          [{ label: 'Organisation', name_en: 'No type', name_km: 'គ្មាន' }, 'type'],
          [{ ...topic('Bad source', 'ប្រភព'), sources: ['not-a-document'] }, 'sources'],
        ];
        for (const [body, parameter] of cases) {
          const res = await api().post('/api/nodes').set(alice).send(body);
          expectError(res, 400, 'invalid_parameter');
          expect(res.body.error.details.parameter, JSON.stringify(body)).toBe(parameter);
        }
        expectError(await api().post('/api/nodes').set(alice).set('Content-Type', 'application/json').send('{"label": '), 400, 'invalid_json');
      });

      it('409s an id that exists and a name that exists (normalised), naming the node', async () => {
        expectError(await api().post('/api/nodes').set(alice).send(topic('Other', 'ផ្សេង', { id: 'dar' })), 409, 'conflict');
        expectError(await api().post('/api/nodes').set(alice).send(topic('Other', 'ផ្សេង', { id: 'citizen-feedback' })), 409, 'id_taken');
        const dup = await api().post('/api/nodes').set(bob).send(topic('CITIZEN   Feedback', 'ផ្សេងទៀត'));
        expectError(dup, 409, 'duplicate_name', /citizen-feedback/);
        expect(dup.body.error.details).toMatchObject({ existing: 'citizen-feedback', field: 'name_en' });
        const km = await api().post('/api/nodes').set(bob).send(topic('Feedback of citizens', 'មតិប្រជាពលរដ្ឋ'));
        expectError(km, 409, 'duplicate_name');
        expect(km.body.error.details.field).toBe('name_km');
        // Another name that makes the same slug gets the next free id.
        const twin = await api().post('/api/nodes').set(bob).send(topic('Citizen-feedback!', 'មតិពីរ'));
        expect(twin.status, JSON.stringify(twin.body)).toBe(201);
        expect(twin.body.node.id).toBe('citizen-feedback-2');
      });

      it('patches with If-Match: 200 and ETag "2"; a stale ETag 412s and changes nothing', async () => {
        const res = await api().patch('/api/nodes/citizen-feedback').set(bob).set('If-Match', etag).send({ summary_en: 'What citizens say', summary_km: 'អ្វីដែលប្រជាពលរដ្ឋនិយាយ' });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.headers.etag).toBe('"2"');
        expect(res.body.node).toMatchObject({ version: 2, summary_en: 'What citizens say', created_by: 'alice', updated_by: 'bob' });
        const stale = await api().patch('/api/nodes/citizen-feedback').set(alice).set('If-Match', etag).send({ summary_en: 'Lost update' });
        expectError(stale, 412, 'version_mismatch', /version 2/);
        expect(stale.body.error.details).toMatchObject({ current: 2 });
        expectError(await api().delete('/api/nodes/citizen-feedback').set(alice).set('If-Match', '"1"'), 412, 'version_mismatch');
        expect((await api().get('/api/nodes/citizen-feedback')).body.node.summary_en).toBe('What citizens say');
        // null removes an optional property; W/"2" and * are understood; no If-Match is allowed too.
        const removed = await api().patch('/api/nodes/citizen-feedback').set(alice).set('If-Match', 'W/"2"').send({ summary_km: null });
        expect(removed.status).toBe(200);
        expect(removed.body.node.summary_km).toBeUndefined();
        expect((await api().patch('/api/nodes/citizen-feedback').set(alice).set('If-Match', '*').send({ summary_en: 'Citizens speak' })).headers.etag).toBe('"4"');
        const nothing = await api().patch('/api/nodes/citizen-feedback').set(alice).send({ summary_en: 'Citizens speak' });
        expect(nothing.body.audit).toBeNull();
        expect(nothing.headers.etag).toBe('"4"');
      });

      it('400s a patch that breaks the schema or touches what it may not, 404s an unknown node', async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ id: 'renamed' }, 'id'],
          [{ label: 'Programme' }, 'label'],
          [{ updated_by: 'mallory' }, 'updated_by'],
          [{ version: 9 }, 'version'],
          [{ colour: 'red' }, 'colour'],
          [{ name_km: null }, 'name_km'],
          [{ name_en: '' }, 'name_en'],
          [{}, '(all)'],
        ];
        for (const [body, parameter] of cases) {
          const res = await api().patch('/api/nodes/citizen-feedback').set(alice).send(body);
          expectError(res, 400, 'invalid_parameter');
          expect(res.body.error.details.parameter, JSON.stringify(body)).toBe(parameter);
        }
        expectError(await api().patch('/api/nodes/citizen-feedback').set(alice).set('If-Match', 'yesterday').send({ summary_en: 'x' }), 400, 'invalid_parameter', /If-Match/);
        expectError(await api().patch('/api/nodes/nobody-here').set(alice).send({ summary_en: 'x' }), 404, 'not_found');
        expectError(await api().delete('/api/nodes/nobody-here').set(alice), 404, 'not_found');
        expectError(await api().patch('/api/nodes/Not%20A%20Slug').set(alice).send({ summary_en: 'x' }), 400, 'invalid_parameter', /"id"/);
      });
    });

    describe('links', () => {
      it('creates a link with a source: 201, id from its ends, ETag; GET /api/links/:id', async () => {
        const res = await api().post('/api/links').set(alice).send({ type: 'ABOUT', from: 'dar', to: 'citizen-feedback', sources: ['https://example.org/dar-report'] });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.link).toMatchObject({ id: 'dar-about-citizen-feedback', version: 1, created_by: 'alice' });
        expect(res.headers.etag).toBe('"1"');
        expect(res.headers.location).toBe('/api/links/dar-about-citizen-feedback');
        const read = await api().get('/api/links/dar-about-citizen-feedback');
        expect(read.status).toBe(200);
        expect(read.body.link).toEqual(res.body.link);
        expect(read.headers.etag).toBe('"1"');
        expectError(await api().get('/api/links/no-such-link'), 404, 'not_found');
        // The same ends and type again: the next free id.
        const second = await api().post('/api/links').set(alice).send({ type: 'ABOUT', from: 'dar', to: 'citizen-feedback', sources: ['https://example.org/other'] });
        expect(second.body.link.id).toBe('dar-about-citizen-feedback-2');
      });

      it('400s a link without a source (unless a draft), between labels the schema does not allow, or to nowhere', async () => {
        const cases: [Record<string, unknown>, RegExp][] = [
          [{ type: 'ABOUT', from: 'dar', to: 'citizen-feedback' }, /source/],
          [{ type: 'ABOUT', from: 'dar', to: 'citizen-feedback', sources: [] }, /source/],
          [{ type: 'FUNDED_BY', from: 'citizen-feedback', to: 'dar', sources: ['https://example.org'] }, /FUNDED_BY cannot go from Topic to Programme/],
          [{ type: 'ABOUT', from: 'dar', to: 'nowhere', sources: ['https://example.org'] }, /nowhere does not exist/],
          [{ type: 'ABOUT', from: 'dar', to: 'dar', sources: ['https://example.org'] }, /itself/],
          [{ type: 'LIKES', from: 'dar', to: 'citizen-feedback', sources: ['https://example.org'] }, /type/],
          [{ type: 'ABOUT', from: 'dar', to: 'citizen-feedback', sources: ['https://example.org'], created_at: '2020' }, /created_at/],
        ];
        for (const [body, message] of cases) {
          const res = await api().post('/api/links').set(alice).send(body);
          expect(res.status, JSON.stringify(body)).toBe(400);
          expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
        }
      });

      it('saves a draft without a source, counted in /api/stats quality.draftLinks; a patch adds the source', async () => {
        const before = (await api().get('/api/stats')).body.quality.draftLinks;
        const draft = await api().post('/api/links').set(bob).send({ id: 'isd-about-feedback', type: 'ABOUT', from: 'isd', to: 'citizen-feedback', draft: true });
        expect(draft.status, JSON.stringify(draft.body)).toBe(201);
        expect((await api().get('/api/stats')).body.quality.draftLinks).toBe(before + 1);
        const sourced = await api().patch('/api/links/isd-about-feedback').set(bob).set('If-Match', '"1"').send({ draft: null, sources: ['https://example.org/isd'] });
        expect(sourced.status, JSON.stringify(sourced.body)).toBe(200);
        expect(sourced.headers.etag).toBe('"2"');
        expect((await api().get('/api/stats')).body.quality.draftLinks).toBe(before);
        expectError(await api().patch('/api/links/isd-about-feedback').set(bob).send({ sources: [] }), 400, 'invalid_parameter', /source/);
        expectError(await api().patch('/api/links/isd-about-feedback').set(bob).set('If-Match', '"1"').send({ role: 'x' }), 412, 'version_mismatch');
        expectError(await api().patch('/api/links/no-such-link').set(bob).send({ role: 'x' }), 404, 'not_found');
        expectError(await api().post('/api/links').set(bob).send({ id: 'isd-about-feedback', type: 'ABOUT', from: 'isd', to: 'citizen-feedback', draft: true }), 409, 'id_taken');
      });

      it('deletes a link (If-Match checked), 404 after', async () => {
        expectError(await api().delete('/api/links/dar-about-citizen-feedback-2').set(bob).set('If-Match', '"5"'), 412, 'version_mismatch');
        const res = await api().delete('/api/links/dar-about-citizen-feedback-2').set(bob).set('If-Match', '"1"');
        expect(res.status).toBe(200);
        expect(res.body.deleted).toEqual({ nodes: [], links: ['dar-about-citizen-feedback-2'] });
        expectError(await api().delete('/api/links/dar-about-citizen-feedback-2').set(bob), 404, 'not_found');
      });
    });

    describe('deleting nodes, the audit trail and revert', () => {
      let cascadeAudit: string;

      it('409s a node with links; cascade is for admins (403 for editors); one audited change', async () => {
        expectError(await api().delete('/api/nodes/citizen-feedback').set(alice), 409, 'has_links', /2 links/);
        expectError(await api().delete('/api/nodes/citizen-feedback?cascade=true').set(alice), 403, 'forbidden', /admin/);
        expectError(await api().delete('/api/nodes/citizen-feedback?cascade=maybe').set(root), 400, 'invalid_parameter', /"cascade"/);
        const res = await api().delete('/api/nodes/citizen-feedback?cascade=true').set(root);
        expect(res.status).toBe(200);
        expect(res.body.deleted).toEqual({ nodes: ['citizen-feedback'], links: ['dar-about-citizen-feedback', 'isd-about-feedback'] });
        cascadeAudit = res.body.audit;
        expectError(await api().get('/api/nodes/citizen-feedback'), 404, 'not_found');
      });

      it('GET /api/audit needs an editor, lists newest first with before and after, filters', async () => {
        expectError(await api().get('/api/audit'), 401, 'unauthenticated');
        const res = await api().get('/api/audit').set(bob).query({ limit: 5 });
        expect(res.status).toBe(200);
        const [latest] = res.body.entries;
        expect(latest).toMatchObject({ id: cascadeAudit, by: 'root', action: 'delete_node', changeCount: 3 });
        expect(latest.changes.find((c: { entity: string }) => c.entity === 'node')).toMatchObject({ id: 'citizen-feedback', after: null, before: { version: 4 } });
        const seqs = res.body.entries.map((e: { seq: number }) => e.seq);
        expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);

        const mine = await api().get('/api/audit').set(bob).query({ editor: 'alice', entity: 'node:citizen-feedback' });
        expect(mine.body.entries.length).toBeGreaterThan(1);
        for (const entry of mine.body.entries) {
          expect(entry.by).toBe('alice');
          expect(entry.changes.some((c: { entity: string; id: string }) => c.entity === 'node' && c.id === 'citizen-feedback')).toBe(true);
        }
        const seed = (await api().get('/api/audit').set(bob).query({ editor: 'seed' })).body.entries;
        expect(seed).toHaveLength(1);
        expect(seed[0]).toMatchObject({ action: 'upsert', truncated: true, changes: expect.any(Array) });
        expect(seed[0].changes.length).toBeLessThan(seed[0].changeCount);
        const full = await api().get(`/api/audit/${seed[0].id}`).set(bob);
        expect(full.body.changes).toHaveLength(seed[0].changeCount);
        expect(full.body.truncated).toBeUndefined();
        expect((await api().get('/api/audit').set(bob).query({ since: '2999-01-01' })).body.entries).toEqual([]);
        const paged = await api().get('/api/audit').set(bob).query({ limit: 2, before: seqs[1] });
        expect(paged.body.entries.map((e: { seq: number }) => e.seq)).toEqual(seqs.slice(2, 4));
        for (const query of [{ limit: '0' }, { limit: '1001' }, { since: 'last week' }, { entity: 'Node:X' }, { before: 'x' }]) {
          expectError(await api().get('/api/audit').set(bob).query(query), 400, 'invalid_parameter');
        }
        expectError(await api().get('/api/audit/no-such-entry').set(bob), 404, 'not_found');
      });

      it('reverts the cascade (node and links back), then 409s a second revert; editors may not revert a bulk upsert', async () => {
        const res = await api().post(`/api/audit/${cascadeAudit}/revert`).set(alice);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ reverted: cascadeAudit, audit: { action: 'revert', revert_of: cascadeAudit, by: 'alice', changeCount: 3 } });
        const node = await api().get('/api/nodes/citizen-feedback');
        expect(node.status).toBe(200);
        expect(node.headers.etag).toBe('"5"');
        expect((await api().get('/api/links/isd-about-feedback')).status).toBe(200);
        expectError(await api().post(`/api/audit/${cascadeAudit}/revert`).set(alice), 409, 'revert_conflict', /later change/);
        expectError(await api().post('/api/audit/no-such-entry/revert').set(alice), 404, 'not_found');
        const seed = (await api().get('/api/audit').set(bob).query({ editor: 'seed' })).body.entries[0];
        expectError(await api().post(`/api/audit/${seed.id}/revert`).set(alice), 403, 'forbidden', /admin/);
        expectError(await api().post(`/api/audit/${seed.id}/revert`), 401, 'unauthenticated');
      });

      it('keeps log lines to one line each', () => {
        expect(fx.logs.some((line) => line.includes('delete_node'))).toBe(true);
        for (const line of fx.logs) expect(line).not.toMatch(/[\r\n]/);
      });
    });
  });

  describe(`limits and settings on ${storeName}`, () => {
    it('429s sign-in attempts and writes over the limit, with Retry-After', async () => {
      const fx = await seededApp(open, { auth: { signInsPerMinute: 2, writesPerMinute: 3 } });
      try {
        const api = () => request(fx.app);
        for (let i = 0; i < 2; i++) expect((await api().post('/api/session').send({ token: 'wrong-token-0123456789' })).status).toBe(401);
        const limited = await api().post('/api/session').send({ token: TEST_EDITORS.alice });
        expectError(limited, 429, 'rate_limited');
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        // Bad Bearer tokens count as failed sign-ins too.
        expectError(await api().get('/api/stats').set({ Authorization: 'Bearer guessing-0123456789' }), 429, 'rate_limited');

        for (let i = 0; i < 3; i++) {
          const res = await api().post('/api/nodes').set(alice).send(topic(`Limited ${i}`, `កំណត់ ${i}`));
          expect(res.status, JSON.stringify(res.body)).toBe(201);
        }
        const over = await api().post('/api/nodes').set(alice).send(topic('Limited 3', 'កំណត់ 3'));
        expectError(over, 429, 'rate_limited', /writes/);
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
        expect((await api().get('/api/nodes/dar')).status).toBe(200); // reads are not counted
      } finally {
        await fx.dispose();
      }
    });

    it('READS_REQUIRE_SIGN_IN: reads need an editor, health, docs and signing in stay open; Secure cookies behind https', async () => {
      const fx = await seededApp(open, { auth: { readsRequireSignIn: true }, trustProxy: true });
      try {
        const api = () => request(fx.app);
        expectError(await api().get('/api/stats'), 401, 'unauthenticated', /READS_REQUIRE_SIGN_IN/);
        expectError(await api().get('/api/nodes/dar'), 401, 'unauthenticated');
        expectError(await api().post('/api/cypher').send({ query: 'RETURN 1' }), 401, 'unauthenticated');
        expect((await api().get('/api/stats').set(bob)).status).toBe(200);
        expect((await api().get('/api/health')).status).toBe(200);
        expect((await api().get('/api/openapi.json')).status).toBe(200);
        expect((await api().get('/api/session')).body).toEqual({ signedIn: false });
        const signIn = await api().post('/api/session').set('X-Forwarded-Proto', 'https').send({ token: TEST_EDITORS.bob });
        expect(String(signIn.headers['set-cookie'])).toMatch(/; Secure/);
        const jar = String(signIn.headers['set-cookie']).split(';')[0]!;
        expect((await api().get('/api/stats').set('Cookie', jar)).status).toBe(200);
      } finally {
        await fx.dispose();
      }
    });
  });
}
