/**
 * The write API (nodes, links), the audit trail and revert, declared as data like every route. State-changing
 * routes need a signed-in editor (the registry's default access); responses carry `ETag: "<version>"` and writes
 * take `If-Match`. Every write is logged on one line (user text never brings a newline into the log).
 */
import type { Request, Response } from 'express';
import type { Editor } from '../auth/editors.ts';
import { Invalid, NotFound, Unauthenticated } from '../domain/errors.ts';
import { LinkInputSchema, NodeInputSchema } from '../schema/graph.schema.ts';
import {
  createLink,
  createNode,
  deleteLink,
  deleteNode,
  revertChange,
  updateLink,
  updateNode,
  type IfMatch,
} from '../services/editing.service.ts';
import type { AuditEntry, GraphStore } from '../store/graph-store.ts';
import { recordVersion } from '../store/record-compare.ts';
import * as Q from './api.schemas.ts';
import * as R from './api.responses.ts';
import { oneLine } from './log-line.ts';
import { route, type ApiRoute } from './route-registry.ts';

const ETAG = 'Responses carry `ETag: "<version>"`; send it back as `If-Match` to refuse the write (412) if someone changed the record since.';
const errors = {
  400: { description: 'A bad body or parameter: the message and `details.parameter` name it.' },
  404: { description: 'No record with that id.' },
  409: { description: 'error.code id_taken (the id exists), duplicate_name (another node of the label has that English or Khmer name: details.existing), has_links (delete the links first, or cascade), conflict.' },
  412: { description: 'error.code version_mismatch: If-Match names a version that is no longer the current one (details.current).' },
};

export function editingRoutes(store: GraphStore, log: (line: string) => void): ApiRoute[] {
  const logged = (entry: AuditEntry | undefined): string | null => {
    if (entry) {
      const records = entry.changes.slice(0, 5).map((c) => `${c.entity}:${c.id}`).join(' ');
      const more = entry.changes.length > 5 ? ` and ${entry.changes.length - 5} more` : '';
      log(oneLine(`audit ${entry.seq} ${entry.id}: ${entry.by} ${entry.action}${entry.revert_of ? ` of ${entry.revert_of}` : ''} ${records}${more}`));
    }
    return entry?.id ?? null;
  };

  return [
    route({
      method: 'post',
      path: '/nodes',
      tag: 'editing',
      summary: 'Create a node',
      description: `Validated against the label's schema. Without an id, one is made from the English name (unique). Text is cleaned first (NFC, invisible characters removed), then checked: a name of only invisible characters is empty (400), control characters are refused (400 naming the field). 409 duplicate_name when another node of the label has the same English or Khmer name (compared by NFKC, case, spaces, invisible characters and the Unicode TR39 confusables skeleton, so full-width, Cyrillic or Khmer look-alikes are the same name). ${ETAG}`,
      body: NodeInputSchema,
      responses: { 201: { description: 'Created; Location and ETag headers.', schema: R.NodeWriteResponse }, 400: errors[400], 409: errors[409] },
      handle: async ({ body, req, res }) => {
        const { node, audit } = await createNode(store, body, editorOf(req));
        res.status(201).setHeader('Location', `/api/nodes/${node.id}`);
        setETag(res, node);
        return { node, audit: logged(audit) };
      },
    }),
    route({
      method: 'patch',
      path: '/nodes/:id',
      tag: 'editing',
      summary: 'Change a node: set properties, null removes one',
      description: `The node with the patch applied is validated against its label's schema. ${ETAG}`,
      params: Q.NodeIdPath,
      body: Q.PatchBodySchema,
      ifMatch: true,
      responses: { 200: { description: 'The node as stored now.', schema: R.NodeWriteResponse }, ...errors },
      handle: async ({ params, body, req, res }) => {
        const { node, audit } = await updateNode(store, params.id, body, editorOf(req), ifMatchOf(req));
        setETag(res, node);
        return { node, audit: logged(audit) };
      },
    }),
    route({
      method: 'delete',
      path: '/nodes/:id',
      tag: 'editing',
      summary: 'Delete a node (409 while it has links, unless cascade=true: admins only)',
      params: Q.NodeIdPath,
      query: Q.DeleteNodeQuerySchema,
      ifMatch: true,
      responses: { 200: { description: 'What was deleted, as one audited change.', schema: R.DeletionResponse }, 404: errors[404], 409: errors[409], 412: errors[412] },
      handle: async ({ params, query, req }) => {
        const result = await deleteNode(store, params.id, { cascade: query.cascade, ifMatch: ifMatchOf(req) }, editorOf(req));
        return { deleted: result.deleted, audit: logged(result.audit) };
      },
    }),
    route({
      method: 'get',
      path: '/links/:id',
      tag: 'core',
      summary: 'One link with its properties and sources',
      params: Q.LinkIdPath,
      responses: { 200: { description: 'The link; ETag header.', schema: R.LinkResponse }, 404: { description: 'No link with that id.' } },
      handle: async ({ params, res }) => {
        const link = await store.getLink(params.id);
        if (!link) throw new NotFound(`no link with id "${params.id}"`, { id: params.id });
        setETag(res, link);
        return { link };
      },
    }),
    route({
      method: 'post',
      path: '/links',
      tag: 'editing',
      summary: 'Create a link: at least one source (URL or Document id), unless saved as a draft',
      description: `The type must be allowed between the labels of its ends (see the schema). Without an id, one is made from its ends and type. ${ETAG}`,
      body: LinkInputSchema,
      responses: { 201: { description: 'Created; Location and ETag headers.', schema: R.LinkWriteResponse }, 400: errors[400], 409: errors[409] },
      handle: async ({ body, req, res }) => {
        const { link, audit } = await createLink(store, body, editorOf(req));
        res.status(201).setHeader('Location', `/api/links/${link.id}`);
        setETag(res, link);
        return { link, audit: logged(audit) };
      },
    }),
    route({
      method: 'patch',
      path: '/links/:id',
      tag: 'editing',
      summary: 'Change a link: set properties (also type, from, to), null removes one',
      params: Q.LinkIdPath,
      body: Q.PatchBodySchema,
      ifMatch: true,
      responses: { 200: { description: 'The link as stored now.', schema: R.LinkWriteResponse }, ...errors },
      handle: async ({ params, body, req, res }) => {
        const { link, audit } = await updateLink(store, params.id, body, editorOf(req), ifMatchOf(req));
        setETag(res, link);
        return { link, audit: logged(audit) };
      },
    }),
    route({
      method: 'delete',
      path: '/links/:id',
      tag: 'editing',
      summary: 'Delete a link',
      params: Q.LinkIdPath,
      ifMatch: true,
      responses: { 200: { description: 'What was deleted.', schema: R.DeletionResponse }, 404: errors[404], 412: errors[412] },
      handle: async ({ params, req }) => {
        const result = await deleteLink(store, params.id, { ifMatch: ifMatchOf(req) }, editorOf(req));
        return { deleted: result.deleted, audit: logged(result.audit) };
      },
    }),
    route({
      method: 'get',
      path: '/audit',
      tag: 'editing',
      summary: 'Who changed what: audit entries, newest first (editors only)',
      description:
        'Each entry is one user action (or one bulk load): who, when, the action, and every record before and after. `entity` filters by a node or link id (node:<id>, link:<id>, or just the id), `editor` by name, `since` by time; `before` pages on (the `seq` of the last entry you have). Listings show the first changes of an entry (`truncated`); GET /api/audit/{id} has them all.',
      access: ['editor', 'admin'],
      query: Q.AuditQuerySchema,
      responses: { 200: { description: 'Entries, newest first.', schema: R.AuditListResponse } },
      handle: async ({ query }) => {
        const entries = await store.listAudit(query);
        return { entries: entries.map((entry) => summarise(entry, Q.LIMITS.auditChangesListed)) };
      },
    }),
    route({
      method: 'get',
      path: '/audit/:id',
      tag: 'editing',
      summary: 'One audit entry with all its changes (editors only)',
      access: ['editor', 'admin'],
      params: Q.AuditIdPath,
      responses: { 200: { description: 'The entry.', schema: R.AuditEntryResponse }, 404: { description: 'No audit entry with that id.' } },
      handle: async ({ params }) => {
        const entry = await store.getAudit(params.id);
        if (!entry) throw new NotFound(`no audit entry with id "${params.id}"`, { id: params.id });
        return summarise(entry, Number.POSITIVE_INFINITY);
      },
    }),
    route({
      method: 'post',
      path: '/audit/:id/revert',
      tag: 'editing',
      summary: 'Undo one change, as a new audited change',
      description:
        'Every record of the entry goes back to its state before it (a creation is deleted, a deletion restored). 409 revert_conflict when a later change touched one of them (its version is not the one this entry left). Reverting a bulk load (the seed, an import, or a revert of one) needs the admin role, except that an editor may revert their own import. 403 otherwise.',
      params: Q.AuditIdPath,
      responses: {
        200: { description: 'The new entry that undid it.', schema: R.RevertResponse },
        404: { description: 'No audit entry with that id.' },
        409: { description: 'error.code revert_conflict: a later change touched a record of this entry; has_links, duplicate_name as for other writes.' },
      },
      handle: async ({ params, req }) => {
        const entry = await revertChange(store, params.id, editorOf(req));
        logged(entry);
        return { reverted: params.id, audit: summarise(entry, Q.LIMITS.auditChangesListed) };
      },
    }),
  ];
}

/** The editor that requireRole let through. */
function editorOf(req: Request): Editor {
  if (!req.editor) throw new Unauthenticated('sign in as an editor to do this');
  return req.editor;
}

function setETag(res: Response, record: object): void {
  res.setHeader('ETag', `"${recordVersion(record)}"`);
}

/** If-Match: "*", or ETags of versions ("3", W/"3", 3), comma-separated. */
export function ifMatchOf(req: Request): IfMatch | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const versions: number[] = [];
  for (const part of header.split(',')) {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(part);
    if (!match) throw new Invalid('header "If-Match" must hold the ETag of a version you read, e.g. "3"', { parameter: 'If-Match', where: 'header' }, 'invalid_parameter');
    versions.push(Number(match[1]));
  }
  return versions;
}

function summarise(entry: AuditEntry, maxChanges: number) {
  const truncated = entry.changes.length > maxChanges;
  return {
    ...entry,
    changeCount: entry.changes.length,
    ...(truncated ? { truncated: true } : {}),
    changes: truncated ? entry.changes.slice(0, maxChanges) : entry.changes,
  };
}
