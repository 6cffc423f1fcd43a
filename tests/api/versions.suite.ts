/**
 * Reading at a version (issue 17.1, versioned citations): cite the graph (its current seq), change a node's name and
 * links, and read at the cited seq → the old facts; unpinned → the new ones; by date too; bad `at` → 400. Every
 * answer is checked against its declared schema (checked-request), `version` included.
 */
import request from '../support/checked-request.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';

const alice = { Authorization: `Bearer ${TEST_EDITORS.alice}` };
/** A hang guard, not a speed claim: on Neo4j each test makes a dozen reads, whole-graph exports among them, on a busy machine. */
const HANG_GUARD = 180_000;

export function describeVersionsApi(storeName: string, open?: Parameters<typeof seededApp>[0]): void {
  describe(`reading at a version on ${storeName}`, () => {
    let fx: AppFixture;
    /** The version cited before the edits, and the name DAR had then. */
    let cited: { seq: number; at: string };
    let oldName: string;
    const newName = 'Decentralisation and Administrative Reform (renamed after citing)';
    const api = () => request(fx.app);

    beforeAll(async () => {
      fx = await seededApp(open);
      const version = await api().get('/api/version');
      expect(version.status).toBe(200);
      cited = version.body.version;
      expect(version.body.latest).toEqual(cited);
      oldName = (await api().get('/api/nodes/dar')).body.node.name_en;

      // After citing: DAR renamed, one of its links deleted, a new one created, a link's role changed.
      expect((await api().patch('/api/nodes/dar').set(alice).send({ name_en: newName })).status).toBe(200);
      const created = await api().post('/api/nodes').set(alice).send({ label: 'Topic', name_en: 'Citing scenes', name_km: 'ការដកស្រង់ទិដ្ឋភាព' });
      expect(created.status).toBe(201);
      const topicId = created.body.node.id as string;
      expect((await api().post('/api/links').set(alice).send({ type: 'ABOUT', from: 'dar', to: topicId, sources: ['https://example.org/citing'] })).status).toBe(201);
      // A story is audited beside the graph: undoing it leaves the graph as it was.
      const story = { title_en: 'Citing story', title_km: 'រឿងដកស្រង់', steps: [{ scene: `?v=explore&f=dar&at=${cited.seq}`, caption_en: 'DAR', caption_km: 'ដារ', sources: [] }] };
      expect((await api().post('/api/stories').set(alice).send(story)).status).toBe(201);
    });
    afterAll(async () => fx?.dispose());

    it('GET /api/version names the latest version, which moved on with every write', async () => {
      const res = await api().get('/api/version');
      expect(res.body.latest.seq).toBe(cited.seq + 4);
      expect(res.body.version).toEqual(res.body.latest);
      expect(res.body.latest.at >= cited.at).toBe(true);
      const pinned = await api().get('/api/version').query({ at: cited.seq });
      expect(pinned.body.version).toEqual(cited);
    }, HANG_GUARD);

    it('a node read at the cited version has its old name and links; unpinned, the new ones', async () => {
      const then = await api().get('/api/nodes/dar').query({ at: cited.seq });
      expect(then.status).toBe(200);
      expect(then.body.node.name_en).toBe(oldName);
      expect(then.body.version).toEqual(cited);
      expect(then.headers.etag ?? '').not.toMatch(/^"\d+"$/); // no record ETag: a pinned answer is not for editing
      const now = await api().get('/api/nodes/dar');
      expect(now.body.node.name_en).toBe(newName);
      expect(now.body.version).toBeUndefined();
      expect(now.body.linkCounts.ABOUT.out).toBe((then.body.linkCounts.ABOUT?.out ?? 0) + 1);
      // The topic created after citing did not exist then.
      const topic = (await api().get('/api/search').query({ q: 'Citing scenes' })).body.results[0].id;
      const missing = await api().get(`/api/nodes/${topic}`).query({ at: cited.seq });
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain(`version ${cited.seq}`);
    }, HANG_GUARD);

    it('neighbours, subgraph, paths, lineage and export read at the version too', async () => {
      const link = (await api().get('/api/nodes/dar/neighbours').query({ type: 'ABOUT', direction: 'out', limit: 500 })).body;
      const linkThen = (await api().get('/api/nodes/dar/neighbours').query({ type: 'ABOUT', direction: 'out', limit: 500, at: cited.seq })).body;
      expect(linkThen.total).toBe(link.total - 1);
      expect(linkThen.version).toEqual(cited);
      expect(linkThen).not.toHaveProperty('at');
      expect(linkThen.nodes.map((n: { name_en: string }) => n.name_en)).not.toContain('Citing scenes');

      const sub = (await api().get('/api/subgraph').query({ around: 'dar', depth: 1, at: cited.seq })).body;
      expect(sub.version).toEqual(cited);
      expect(sub.nodes.find((n: { id: string }) => n.id === 'dar').name_en).toBe(oldName);
      expect(sub.nodes.map((n: { name_en: string }) => n.name_en)).not.toContain('Citing scenes');

      const paths = await api().get('/api/paths').query({ from: 'dar', to: 'isd', at: cited.seq });
      expect(paths.status).toBe(200);
      expect(paths.body.version).toEqual(cited);
      expect(paths.body.nodes.find((n: { id: string }) => n.id === 'dar').name_en).toBe(oldName);

      const lineage = (await api().get('/api/lineage/dar-2').query({ at: cited.seq })).body;
      expect(lineage.version).toEqual(cited);
      expect(lineage.elements.nodes.find((n: { id: string }) => n.id === 'dar').name_en).toBe(oldName);
      const lineageNow = (await api().get('/api/lineage/dar-2')).body;
      expect(lineageNow.elements.nodes.find((n: { id: string }) => n.id === 'dar').name_en).toBe(newName);

      const library = (await api().get('/api/documents').query({ at: cited.seq })).body;
      expect(library.version).toEqual(cited);
      expect(library.total).toBe((await api().get('/api/documents')).body.total);

      const exported = await api().get('/api/export').query({ format: 'json', at: cited.seq });
      expect(exported.status).toBe(200);
      expect(exported.headers['x-graph-version']).toBe(String(cited.seq));
      expect(exported.headers['content-disposition']).toContain(`-v${cited.seq}.json`);
      expect(exported.body.nodes.find((n: { id: string }) => n.id === 'dar').name_en).toBe(oldName);
      const exportedNow = await api().get('/api/export').query({ format: 'json' });
      expect(exportedNow.body.nodes.length).toBe(exported.body.nodes.length + 1);
      expect(exportedNow.body.links.length).toBe(exported.body.links.length + 1);
    }, HANG_GUARD);

    it('search and stats read at the version too: the old name found, what came later not', async () => {
      const later = await api().get('/api/search').query({ q: 'Citing scenes', at: cited.seq });
      expect(later.status).toBe(200);
      expect(later.body.version).toEqual(cited);
      expect(later.body.results.map((r: { name_en: string }) => r.name_en)).not.toContain('Citing scenes');
      expect((await api().get('/api/search').query({ q: 'Citing scenes' })).body.results[0].name_en).toBe('Citing scenes');

      // DAR under the name it had then, ranked as the embedded store ranks it; its new name unknown then.
      const old = (await api().get('/api/search').query({ q: oldName, at: cited.seq })).body;
      expect(old.results.find((r: { id: string }) => r.id === 'dar')?.name_en).toBe(oldName);
      const renamed = (await api().get('/api/search').query({ q: 'renamed after citing', at: cited.seq })).body;
      expect(renamed.results.map((r: { id: string }) => r.id)).not.toContain('dar');
      expect((await api().get('/api/search').query({ q: 'renamed after citing' })).body.results[0].id).toBe('dar');
      // A district found with the provinces it lies in, and a typo forgiven, at a version as today.
      const district = (await api().get('/api/search').query({ q: 'Baray', at: cited.seq })).body.results;
      expect(district).toEqual((await api().get('/api/search').query({ q: 'Baray' })).body.results);
      expect(district.length).toBeGreaterThan(0);
      const typo = (await api().get('/api/search').query({ q: 'Batambang', at: cited.seq })).body.results;
      expect(typo).toEqual((await api().get('/api/search').query({ q: 'Batambang' })).body.results);
      expect(typo.length).toBeGreaterThan(0);

      const statsThen = await api().get('/api/stats').query({ at: cited.seq });
      expect(statsThen.status).toBe(200);
      expect(statsThen.body.version).toEqual(cited);
      const statsNow = (await api().get('/api/stats')).body;
      expect(statsNow.version).toBeUndefined();
      expect(statsThen.body.nodes.Topic).toBe(statsNow.nodes.Topic - 1);
      expect(statsThen.body.links.ABOUT).toBe(statsNow.links.ABOUT - 1);
      expect(statsThen.body.quality).toEqual(statsNow.quality);
      expect((await api().get('/api/stats').query({ at: 'soon' })).status).toBe(400);

      // The Cypher console reads today's graph only: asked for a version, it says so instead of answering today's.
      const asked = await api().post('/api/cypher').query({ at: cited.seq }).set(alice).send({ query: 'MATCH (n) RETURN count(n) AS n' });
      expect(asked.status).toBe(400);
      expect(asked.body.error.details.parameter).toBe('at');
      expect(asked.body.error.message).toContain("today's graph");
    }, HANG_GUARD);

    it('a deleted link and a changed link come back as they were', async () => {
      const links = (await api().get('/api/nodes/dar/neighbours').query({ direction: 'out', limit: 500 })).body.links as { id: string; type: string; sources: string[] }[];
      const victim = links.find((l) => l.type !== 'ABOUT')!;
      const changed = links.find((l) => l.type !== 'ABOUT' && l.id !== victim.id)!;
      const before = (await api().get('/api/version')).body.latest.seq as number;
      expect((await api().delete(`/api/links/${victim.id}`).set(alice)).status).toBe(200);
      expect((await api().patch(`/api/links/${changed.id}`).set(alice).send({ sources: ['https://example.org/changed-after-citing'] })).status).toBe(200);
      const then = (await api().get('/api/nodes/dar/neighbours').query({ direction: 'out', limit: 500, at: before })).body.links as typeof links;
      expect(then.map((l) => l.id)).toContain(victim.id);
      expect(then.find((l) => l.id === changed.id)!.sources).toEqual(changed.sources);
      const now = (await api().get('/api/nodes/dar/neighbours').query({ direction: 'out', limit: 500 })).body.links as typeof links;
      expect(now.map((l) => l.id)).not.toContain(victim.id);
      expect(now.find((l) => l.id === changed.id)!.sources).toEqual(['https://example.org/changed-after-citing']);
      // Still the same at the first citation.
      expect((await api().get('/api/nodes/dar/neighbours').query({ direction: 'out', limit: 500, at: cited.seq })).body.links.map((l: { id: string }) => l.id)).toContain(victim.id);
    }, HANG_GUARD);

    it('a date names the last version at or before it', async () => {
      // The time of the cited entry itself names it; a day from the future is refused; today is the latest.
      const byTime = await api().get('/api/nodes/dar').query({ at: cited.at });
      expect(byTime.body.version).toEqual(cited);
      expect(byTime.body.node.name_en).toBe(oldName);
      const today = new Date().toISOString().slice(0, 10);
      const latest = (await api().get('/api/version')).body.latest;
      const byDay = await api().get('/api/nodes/dar').query({ at: today });
      expect(byDay.status).toBe(200);
      expect(byDay.body.version).toEqual(latest);
      expect(byDay.body.node.name_en).toBe(newName);
    }, HANG_GUARD);

    it('a malformed at, or one beyond the latest, is a 400 naming it; before the first write a 404', async () => {
      const latest = (await api().get('/api/version')).body.latest.seq as number;
      for (const at of ['yesterday', '12a', '2026-13-01', '-1', '1.5', String(latest + 1), '2999-01-01']) {
        const res = await api().get('/api/nodes/dar').query({ at });
        expect(res.status, at).toBe(400);
        expect(res.body.error.code).toBe('invalid_parameter');
        expect(res.body.error.message).toContain('"at"');
      }
      for (const url of ['/api/subgraph', '/api/lineage/dar', '/api/version', '/api/export']) {
        const res = await api().get(url).query({ at: latest + 5 });
        expect(res.status, url).toBe(400);
        expect(res.body.error.message).toContain('"at"');
      }
      const before = await api().get('/api/nodes/dar').query({ at: 0 });
      expect(before.status).toBe(404);
      expect(before.body.error.message).toMatch(/history starts/);
      expect((await api().get('/api/nodes/dar').query({ at: '2001-01-01' })).status).toBe(404);
    }, HANG_GUARD);
  });
}
