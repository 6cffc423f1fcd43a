/** docs/neo4j/: the Browser style and the Bloom perspective are what the schema and the explorer's colours give. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABELS, LINK_TYPES } from '../../../server/schema/graph.schema.ts';
import { ROOT } from '../../support/seed-fixture.ts';
import { GRASS_FILE, PERSPECTIVE_FILE, bloomPerspective, browserStyle } from '../../support/neo4j-tool-files.ts';
import { LABEL_LOOK } from '../../../web/src/lib/graph/style.ts';

const update = process.env.UPDATE_NEO4J_TOOL_FILES === '1';
const expected = { [GRASS_FILE]: browserStyle(), [PERSPECTIVE_FILE]: `${JSON.stringify(bloomPerspective(), null, 2)}\n` };

describe('the files for Neo4j Browser and Bloom (docs/neo4j/)', () => {
  for (const [file, text] of Object.entries(expected)) {
    it(`${file} is up to date (UPDATE_NEO4J_TOOL_FILES=1 rewrites it)`, () => {
      if (update) fs.writeFileSync(path.join(ROOT, file), text);
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(text);
    });
  }

  it('the Browser style gives every label its explorer colour and an English caption', () => {
    const grass = browserStyle();
    for (const label of LABELS) {
      const rule = new RegExp(`node\\.${label} \\{[^}]*color: ${LABEL_LOOK[label].colour};[^}]*caption: "\\{name_en\\}";`);
      expect(grass).toMatch(rule);
    }
  });

  it('the perspective has a category per label, every link type, and hides the search keys', () => {
    const perspective = bloomPerspective() as { categories: { labels: string[]; color: string; properties: { name: string; exclude: boolean }[] }[]; relationshipTypes: { name: string }[] };
    expect(perspective.categories.map((c) => c.labels[0])).toEqual([...LABELS]);
    expect(perspective.relationshipTypes.map((r) => r.name)).toEqual([...LINK_TYPES]);
    for (const category of perspective.categories) {
      expect(category.properties.filter((p) => p.exclude).map((p) => p.name)).toEqual(['search', 'name_keys']);
      expect(category.properties.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'name_en', 'name_km', 'sources', 'created_at', 'version']));
    }
  });
});
