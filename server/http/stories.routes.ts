/**
 * Stories under /api/stories (server/services/stories.service.ts): anyone who may read the graph reads them; an
 * editor creates, replaces and deletes them. Responses carry `ETag: "<version>"`, writes take `If-Match` (412 when
 * the story changed since), every write is one audit entry (revert: POST /api/audit/{id}/revert).
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { Editor } from '../auth/editors.ts';
import { Unauthenticated } from '../domain/errors.ts';
import { IdSchema } from '../schema/graph.schema.ts';
import { StoryContentSchema, StoryInputSchema } from '../schema/story.schema.ts';
import * as stories from '../services/stories.service.ts';
import type { AuditEntry, GraphStore } from '../store/graph-store.ts';
import { recordVersion } from '../store/record-compare.ts';
import * as R from './api.responses.ts';
import { ifMatchOf } from './editing.routes.ts';
import { oneLine } from './log-line.ts';
import { route, type ApiRoute } from './route-registry.ts';

const StoryIdPath = z.object({ id: IdSchema });
const ETAG = 'Responses carry `ETag: "<version>"`; send it back as `If-Match` to refuse the write (412) if someone changed the story since.';
const notFound = { description: 'No story with that id.' };
const bad = { description: 'A bad body: the message and `details.parameter` name it (e.g. steps.0.scene).' };

export function storyRoutes(store: GraphStore, log: (line: string) => void): ApiRoute[] {
  const logged = (entry: AuditEntry | undefined): string | null => {
    if (entry) log(oneLine(`audit ${entry.seq} ${entry.id}: ${entry.by} ${entry.action} ${entry.changes.map((c) => `${c.entity}:${c.id}`).join(' ')}`));
    return entry?.id ?? null;
  };
  return [
    route({
      method: 'get',
      path: '/stories',
      tag: 'stories',
      summary: 'Every story: id, titles, number of steps',
      responses: { 200: { description: 'The stories, by id.', schema: R.StoryListResponse } },
      handle: async () => {
        const all = await stories.listStories(store);
        return {
          stories: all.map((s) => ({
            id: s.id,
            title_en: s.title_en,
            title_km: s.title_km,
            steps: s.steps.length,
            ...(s.updated_at ? { updated_at: s.updated_at } : {}),
            ...(s.version !== undefined ? { version: s.version } : {}),
          })),
        };
      },
    }),
    route({
      method: 'get',
      path: '/stories/:id',
      tag: 'stories',
      summary: 'One story with its steps and their sources',
      params: StoryIdPath,
      responses: { 200: { description: 'The story; ETag header.', schema: R.StoryResponse }, 404: notFound },
      handle: async ({ params, res }) => {
        const story = await stories.getStory(store, params.id);
        res.setHeader('ETag', `"${recordVersion(story)}"`);
        return { story, sources: await stories.storySources(store, story) };
      },
    }),
    route({
      method: 'post',
      path: '/stories',
      tag: 'stories',
      summary: 'Tell a story: titles and steps (scene address, captions in Khmer and English, sources)',
      description: `Without an id, one is made from the English title. A step's scene is the explorer's address (its query string; a whole address of this site is cut to it). Sources are http(s) URLs or Document ids. ${ETAG}`,
      body: StoryInputSchema,
      responses: { 201: { description: 'Created; Location and ETag headers.', schema: R.StoryWriteResponse }, 400: bad, 409: { description: 'error.code id_taken: a story with that id exists.' } },
      handle: async ({ body, req, res }) => {
        const { story, audit } = await stories.createStory(store, body, editorOf(req));
        res.status(201).setHeader('Location', `/api/stories/${story.id}`);
        res.setHeader('ETag', `"${recordVersion(story)}"`);
        return { story, audit: logged(audit) };
      },
    }),
    route({
      method: 'put',
      path: '/stories/:id',
      tag: 'stories',
      summary: "Replace a story's titles and steps",
      description: ETAG,
      params: StoryIdPath,
      body: StoryContentSchema,
      ifMatch: true,
      responses: {
        200: { description: 'The story as stored now.', schema: R.StoryWriteResponse },
        400: bad,
        404: notFound,
        412: { description: 'error.code version_mismatch: If-Match names a version that is no longer the current one (details.current).' },
      },
      handle: async ({ params, body, req, res }) => {
        const { story, audit } = await stories.updateStory(store, params.id, body, editorOf(req), ifMatchOf(req));
        res.setHeader('ETag', `"${recordVersion(story)}"`);
        return { story, audit: logged(audit) };
      },
    }),
    route({
      method: 'delete',
      path: '/stories/:id',
      tag: 'stories',
      summary: 'Delete a story (revert its audit entry to bring it back)',
      params: StoryIdPath,
      ifMatch: true,
      responses: { 200: { description: 'Deleted, as one audited change.', schema: R.StoryDeletionResponse }, 404: notFound, 412: { description: 'error.code version_mismatch.' } },
      handle: async ({ params, req }) => {
        const audit = await stories.deleteStory(store, params.id, editorOf(req), ifMatchOf(req));
        return { deleted: params.id, audit: logged(audit) };
      },
    }),
  ];
}

function editorOf(req: Request): Editor {
  if (!req.editor) throw new Unauthenticated('sign in as an editor to do this');
  return req.editor;
}
