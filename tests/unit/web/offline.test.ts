/** What the explorer's service worker keeps for offline use (web/src/sw/cache-rules.ts) and precaches (web/vite.config.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCachedRead } from '../../../web/src/sw/cache-rules.ts';
import { precacheEntries } from '../../../web/vite.config.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('the offline copy', () => {
  it('keeps the graph reads the explorer makes', () => {
    for (const p of ['/api/nodes/dar', '/api/nodes/dar/neighbours', '/api/nodes', '/api/search', '/api/subgraph', '/api/lineage/dar', '/api/paths', '/api/documents', '/api/stats', '/api/areas/kh-02/shape', '/api/compare']) {
      expect(isCachedRead('GET', p), p).toBe(true);
    }
  });

  it('keeps no session, audit, console, export, import, reconciliation or write', () => {
    for (const p of ['/api/session', '/api/audit', '/api/audit/abc', '/api/cypher', '/api/export', '/api/import', '/api/reconcile', '/api/health', '/api/docs', '/api/openapi.json', '/api/nodes/dar/history', '/api/links/x']) {
      expect(isCachedRead('GET', p), p).toBe(false);
    }
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) expect(isCachedRead(method, '/api/nodes/dar'), method).toBe(false);
  });

  it('precaches every built file but the worker itself; content-hashed assets need no revision, the rest get one that follows their content', () => {
    const dir = tempDir('dar-kg-precache-');
    try {
      fs.mkdirSync(path.join(dir, 'assets'));
      fs.mkdirSync(path.join(dir, 'icons'));
      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>one');
      fs.writeFileSync(path.join(dir, 'sw.js'), 'self');
      fs.writeFileSync(path.join(dir, 'assets', 'index-D1QC-3SL.js'), 'code');
      fs.writeFileSync(path.join(dir, 'assets', 'index-D1QC-3SL.js.map'), '{}');
      fs.writeFileSync(path.join(dir, 'assets', 'index-D1QC-3SL.js.br'), 'brotli copy');
      fs.writeFileSync(path.join(dir, 'assets', 'index-D1QC-3SL.js.gz'), 'gzip copy');
      fs.writeFileSync(path.join(dir, 'icons', 'icon-192.png'), 'png');
      const first = precacheEntries(dir);
      expect(first.map((e) => e.url)).toEqual(['/assets/index-D1QC-3SL.js', '/icons/icon-192.png', '/index.html']);
      expect(first[0]!.revision).toBeNull();
      expect(first[2]!.revision).toMatch(/^[0-9a-f]{16}$/);
      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>two');
      expect(precacheEntries(dir)[2]!.revision).not.toBe(first[2]!.revision);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
