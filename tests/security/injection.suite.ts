/**
 * Injection strings are data: nodes and links named with HTML, script, Cypher-, shell- and formula-shaped text are
 * created through the API and come back unchanged from every read (node, search, neighbours, audit) and every
 * export (JSON, GraphML, CSV, Cypher script), escaped for the format they are in; nothing else in the graph
 * changes (a Cypher injection would delete or create more). Links a page can follow are http(s) only. Run on
 * every store (embedded here, Neo4j in tests/neo4j/).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, TEST_EDITORS, type AppFixture } from '../support/app-fixture.ts';
import { scriptStatements } from '../../server/store/neo4j/neo4j.export-script.ts';

export const XSS = '<img src=x onerror=alert(1)>';

/** Hostile but valid text, by what it tries. */
export const HOSTILE_TEXT = {
  html: XSS,
  script: '<script>window.__xss = 1</script> ក្រសួង',
  attribute: '" autofocus onfocus="alert(1)" x="',
  cypherQuote: "'}) MATCH (n) DETACH DELETE n //",
  cypherDoubleQuote: '"}) MATCH (n) DETACH DELETE n //',
  cypherBacktick: '`) DETACH DELETE n; CREATE (:Admin {x: `',
  cypherEscape: "\\'}) DETACH DELETE n //",
  cypherUnicodeEscape: '\\u0027}) DETACH DELETE n //',
  cypherParam: '$id OR 1=1 /* */ ; CALL dbms.components()',
  shell: '$(rm -rf /) `reboot` ${process.exit(1)} {{7*7}}',
  formulaMinus: "-2+3+cmd|' /C calc'!A0",
  formulaEquals: '=HYPERLINK("http://evil.example","click")',
  formulaAt: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  xml: ']]></data><data key="n_id">forged</data><![CDATA[',
  newlines: 'line one\r\nline two\u2028line three',
} as const;

type Open = Parameters<typeof seededApp>[0];

const alice = { Authorization: `Bearer ${TEST_EDITORS.alice}` };

/** Text outside the string literals of a Cypher statement, the literals decoded (Cypher's escapes). */
export function splitCypherLiterals(statement: string): { skeleton: string; literals: string[] } {
  let skeleton = '';
  const literals: string[] = [];
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i]!;
    if (c !== "'" && c !== '"') {
      skeleton += c;
      continue;
    }
    let value = '';
    for (i++; i < statement.length && statement[i] !== c; i++) {
      if (statement[i] === '\\') {
        const e = statement[++i]!;
        value += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'u' ? String.fromCharCode(parseInt(statement.slice(i + 1, (i += 4) + 1), 16)) : e;
      } else value += statement[i];
    }
    if (i >= statement.length) throw new Error(`an unterminated string literal in: ${statement.slice(0, 200)}`);
    skeleton += 'LIT';
    literals.push(value);
  }
  return { skeleton, literals };
}

/** GraphML <data> text per element id and key. */
function graphmlData(xml: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const parser = new SaxesParser({ xmlns: true });
  let element: string | undefined;
  let key: string | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    if (tag.local === 'node' || tag.local === 'edge') {
      element = String(tag.attributes.id && typeof tag.attributes.id === 'object' ? tag.attributes.id.value : tag.attributes.id);
      out.set(element, new Map());
    }
    if (tag.local === 'data') {
      const k = tag.attributes.key;
      key = typeof k === 'object' ? k.value : k;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (key) text += t;
  });
  parser.on('closetag', (tag) => {
    if (tag.local === 'data' && element && key) {
      out.get(element)!.set(key, text);
      key = undefined;
    }
  });
  parser.write(xml).close();
  return out;
}

export function describeInjection(storeName: string, open?: Open): void {
  describe(`injection strings are stored and returned as text on ${storeName}`, () => {
    let fx: AppFixture;
    let seedNodes: string;
    const created: { id: string; body: Record<string, unknown> }[] = [];
    const names = Object.entries(HOSTILE_TEXT);

    beforeAll(async () => {
      fx = await seededApp(open);
      seedNodes = JSON.stringify((await fx.store.exportAll()).nodes);
    });
    afterAll(async () => fx?.dispose());

    it('creates a node per hostile name through the API and gets each back exactly', async () => {
      for (const [what, text] of names) {
        const body = {
          id: `hostile-${what.toLowerCase()}`,
          label: 'Topic',
          name_en: text,
          name_km: `${text} ប្រធានបទ`,
          summary_en: `${text} ${HOSTILE_TEXT.cypherQuote}`,
          summary_km: HOSTILE_TEXT.html,
        };
        const res = await request(fx.app).post('/api/nodes').set(alice).send(body);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(201);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body.node).toMatchObject(body);
        const read = await request(fx.app).get(`/api/nodes/${body.id}`);
        expect(read.status).toBe(200);
        expect(read.body.node).toMatchObject(body);
        created.push({ id: body.id, body });
      }
      const link = await request(fx.app)
        .post('/api/links')
        .set(alice)
        .send({ id: 'hostile-link', type: 'ABOUT', from: 'dar', to: 'hostile-html', role: XSS, note_en: HOSTILE_TEXT.cypherBacktick, sources: ['https://example.org/report?q=<script>alert(1)</script>&x=\'"'] });
      expect(link.status, JSON.stringify(link.body)).toBe(201);
      expect(link.body.link).toMatchObject({ role: XSS, note_en: HOSTILE_TEXT.cypherBacktick });
    });

    it('changed nothing else: every seed node is as it was, and the only new nodes are the ones created', async () => {
      const all = await fx.store.exportAll();
      const seeded = JSON.parse(seedNodes) as { id: string }[];
      const byId = new Map(all.nodes.map((n) => [n.id, n]));
      for (const node of seeded) expect(byId.get(node.id), node.id).toEqual(node);
      expect(all.nodes.length).toBe(seeded.length + created.length);
      expect(all.links.filter((l) => l.id === 'hostile-link')).toHaveLength(1);
    });

    it('search finds them by their words and returns the names unchanged', async () => {
      const res = await request(fx.app).get('/api/search').query({ q: 'img src onerror', limit: 50 });
      expect(res.status).toBe(200);
      expect(res.body.results.find((r: { id: string }) => r.id === 'hostile-html')?.name_en).toBe(XSS);
      const cypher = await request(fx.app).get('/api/search').query({ q: "'}) MATCH (n) DETACH DELETE n //", limit: 50 });
      expect(cypher.status).toBe(200);
      expect(cypher.body.results.map((r: { id: string }) => r.id)).toContain('hostile-cypherquote');
      const neighbours = await request(fx.app).get('/api/nodes/hostile-html/neighbours');
      expect(neighbours.body.links[0]).toMatchObject({ id: 'hostile-link', role: XSS });
    });

    it('exports them unchanged as JSON, escaped as GraphML, defused as CSV and as Cypher literals', async () => {
      const json = await request(fx.app).get('/api/export?format=json');
      const exported = JSON.parse(json.text) as { nodes: { id: string }[] };
      for (const { id, body } of created) expect(exported.nodes.find((n) => n.id === id)).toMatchObject(body);

      const graphml = await request(fx.app).get('/api/export?format=graphml');
      expect(graphml.status).toBe(200);
      const data = graphmlData(graphml.text);
      for (const { id, body } of created) {
        // The newline test: XML normalises CRLF in text to LF; everything else must be as sent.
        expect(data.get(id)?.get('n_name_en'), id).toBe(String(body.name_en).replace(/\r\n/g, '\n'));
        expect(data.get(id)?.get('n_id'), `${id}: a forged <data> element`).toBe(id);
      }

      const csv = await request(fx.app).get('/api/export?format=csv').buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      const files = unzipSync(new Uint8Array(csv.body as Buffer));
      const rows = parseCsv(strFromU8(files['nodes.csv']!), { bom: true, columns: true }) as Record<string, string>[];
      for (const { id, body } of created) {
        const cell = rows.find((r) => r.id === id)?.name_en;
        const text = String(body.name_en);
        // A cell a spreadsheet would run as a formula (= + - @ first) is defused with a leading quote.
        expect(cell, id).toBe(/^[=+\-@]/.test(text) ? `'${text}` : text);
      }

      const cypher = await request(fx.app).get('/api/export?format=cypher');
      for (const { id, body } of created) {
        const line = cypher.text.split('\n').find((l) => l.includes(`'${id}'`));
        expect(line, id).toBeDefined();
        const { skeleton, literals } = splitCypherLiterals(line!);
        // Outside its literals the line is only a row of the UNWIND the exporter writes: nothing injected.
        expect(skeleton).toMatch(/^\{(`\w+`: (LIT|\[(LIT(, LIT)*)?\]|-?[\d.e+]+|true|false)(, )?)+\},?$/);
        // ...inside a statement that is only the exporter's: UNWIND [rows of that shape] AS row CREATE (…:Topic).
        const statement = scriptStatements(cypher.text).find((s) => s.includes(line!))!;
        const rows = statement.split('\n');
        expect(rows[0]).toBe('UNWIND [');
        expect(rows.slice(-2)).toEqual(['] AS row', 'CREATE (n:Entity:Topic) SET n = row']);
        for (const row of rows.slice(1, -2)) expect(splitCypherLiterals(row).skeleton).toMatch(/^\{(`\w+`: (LIT|\[(LIT(, LIT)*)?\]|-?[\d.e+]+|true|false)(, )?)+\},?$/);
        expect(literals).toContain(body.name_en);
        expect(literals).toContain(body.name_km);
      }
    });

    it('refuses text that is not well-formed Unicode (half a surrogate pair), which no store or export could keep as sent', async () => {
      const before = JSON.stringify(await fx.store.exportAll());
      for (const bad of ['half a pair \uD800 here', 'low half \uDC00', 'reversed \uDE00\uD83D']) {
        const created = await request(fx.app).post('/api/nodes').set(alice).send({ label: 'Topic', name_en: bad, name_km: 'ប្រធានបទ' });
        expect(created.status, JSON.stringify(created.body)).toBe(400);
        expect(created.body.error.details.parameter).toBe('name_en');
        const patched = await request(fx.app).patch('/api/nodes/dar').set(alice).send({ summary_km: bad });
        expect(patched.status, JSON.stringify(patched.body)).toBe(400);
        const url = await request(fx.app).patch('/api/nodes/dar').set(alice).send({ url: `https://example.org/${bad}` });
        expect(url.status, JSON.stringify(url.body)).toBe(400);
        const link = await request(fx.app).post('/api/links').set(alice).send({ type: 'ABOUT', from: 'dar', to: 'hostile-shell', role: bad, sources: ['https://example.org/x'] });
        expect(link.status, JSON.stringify(link.body)).toBe(400);
        const file = JSON.stringify({ format: 'dar-kg-export', version: 1, nodes: [{ id: 'half-pair', label: 'Topic', name_en: bad, name_km: 'ប្រធានបទ', sources: [] }], links: [] });
        const imported = await request(fx.app).post('/api/import?filename=x.json&apply=true').set(alice).set('Content-Type', 'application/json').send(file);
        expect(imported.status, JSON.stringify(imported.body)).toBe(400);
      }
      // A whole pair (an astral character) is fine.
      const emoji = await request(fx.app).post('/api/nodes').set(alice).send({ label: 'Topic', name_en: 'Astral 😀 𝄞', name_km: 'ប្រធានបទ 😀' });
      expect(emoji.status, JSON.stringify(emoji.body)).toBe(201);
      expect(emoji.body.node.name_en).toBe('Astral 😀 𝄞');
      await request(fx.app).delete(`/api/nodes/${emoji.body.node.id}`).set(alice).expect(200);
      const after = JSON.parse(JSON.stringify(await fx.store.exportAll())) as { nodes: unknown[] };
      expect(after.nodes.length).toBe((JSON.parse(before) as { nodes: unknown[] }).nodes.length);
    });

    it('refuses links a page could follow to run script: sources and url are http(s) only', async () => {
      for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', '//evil.example/x', ' https://example.org', 'https://exa mple.org']) {
        const node = await request(fx.app).post('/api/nodes').set(alice).send({ label: 'Programme', name_en: `Bad url ${bad}`, name_km: 'តំណមិនល្អ', url: bad });
        expect(node.status, `url ${bad}`).toBe(400);
        const link = await request(fx.app).post('/api/links').set(alice).send({ type: 'ABOUT', from: 'dar', to: 'hostile-shell', sources: [bad] });
        expect(link.status, `source ${bad}`).toBe(400);
      }
    });
  });
}
