/** Framing: only a story's embed page may be framed, and only by this site and EMBED_ALLOWED_ORIGINS. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { embedFraming, securityHeaders } from '../../server/http/security.middleware.ts';

function app(origins: readonly string[]) {
  const a = express();
  a.use(securityHeaders());
  a.use(embedFraming(origins));
  a.get(/.*/, (_req, res) => res.send('page'));
  return a;
}

describe('embedding stories', () => {
  it('lets the allowed origins frame /embed/stories/:id and nothing else', async () => {
    const a = app(['https://partner.example.org', 'http://127.0.0.1:9000']);
    const embed = await request(a).get('/embed/stories/dar-lineage');
    expect(embed.headers['content-security-policy']).toContain("frame-ancestors 'self' https://partner.example.org http://127.0.0.1:9000");
    expect(embed.headers['x-frame-options']).toBeUndefined();
    for (const path of ['/stories/dar-lineage', '/', '/embed/stories/a/b', '/embed/other', '/api/stories/dar-lineage']) {
      const other = await request(a).get(path);
      expect(other.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(other.headers['x-frame-options'], path).toBe('DENY');
    }
  });

  it('without the setting, only this site may frame a story', async () => {
    const embed = await request(app([])).get('/embed/stories/x');
    expect(embed.headers['content-security-policy']).toMatch(/frame-ancestors 'self'(;|$)/);
  });

  it('EMBED_ALLOWED_ORIGINS takes origins only: no paths, wildcards or CSP syntax', () => {
    expect(loadConfig({ EMBED_ALLOWED_ORIGINS: 'https://a.example.org, http://localhost:3000' }).embedAllowedOrigins).toEqual(['https://a.example.org', 'http://localhost:3000']);
    expect(loadConfig({}).embedAllowedOrigins).toEqual([]);
    for (const bad of ['*', 'https://a.example.org/path', "https://a.example.org;script-src 'unsafe-inline'", 'https://*.example.org', 'a.example.org']) {
      expect(() => loadConfig({ EMBED_ALLOWED_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
  });
});
