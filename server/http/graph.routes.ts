/** Read routes of the API core: health, stats, search, node, neighbours. */
import { Router } from 'express';
import { NotFound } from '../domain/errors.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { NeighboursQuerySchema, NodeIdPath, SearchQuerySchema } from './api.schemas.ts';
import { parseParams } from './validate.ts';

export function graphRoutes(store: GraphStore): Router {
  const router = Router();

  router.get('/health', async (_req, res) => {
    const report = await store.health();
    res.status(report.ok ? 200 : 503).json(report);
  });

  router.get('/stats', async (_req, res) => {
    res.json(await store.stats());
  });

  router.get('/search', async (req, res) => {
    const query = parseParams(SearchQuerySchema, req.query, 'query');
    const results = await store.search({ q: query.q, limit: query.limit, labels: query.labels });
    res.json({ query: query.q, results });
  });

  router.get('/nodes/:id', async (req, res) => {
    const { id } = parseParams(NodeIdPath, req.params, 'path');
    const node = await store.getNode(id);
    if (!node) throw new NotFound(`no node with id "${id}"`, { id });
    res.json({ node, linkCounts: await store.linkCounts(id) });
  });

  router.get('/nodes/:id/neighbours', async (req, res) => {
    const { id } = parseParams(NodeIdPath, req.params, 'path');
    const query = parseParams(NeighboursQuerySchema, req.query, 'query');
    const page = await store.neighbours(id, query);
    res.json({ id, ...query, ...page });
  });

  return router;
}
