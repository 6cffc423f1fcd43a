/**
 * Edit mode: what a signed-in editor is doing (the dialog open, drawing links) and the writes
 * themselves. Every write goes through run(): it calls the API, shows the change in the explorer at once
 * (explorer.applyEdit) and remembers the audit entry, so that "undo my last edit" reverts it. The forms that build
 * the payloads are in the edit layer, loaded on first use (they need the zod schemas).
 */
import type { GraphLink, GraphNode, LinkInput, LinkType, NodeInput } from '../../../server/schema/graph.schema.ts';
import { api, type AuditEntry, type DeletionAnswer, type Patch } from './api.ts';
import { effectOf } from './edit/edit-effects.ts';
import { explorer, toUiError, type EditEffect } from './explorer.svelte.ts';
import type { MessageKey, MessageParams } from './i18n.ts';
import { scene } from './scene.svelte.ts';
import { session } from './session.svelte.ts';
import { withoutExpansionsOf } from './scene/scene-state.ts';

/** A node as the link form needs it: enough to name it and to know which types the schema allows. */
export type LinkEnd = Pick<GraphNode, 'id' | 'label' | 'name_en' | 'name_km'>;

export type EditDialog =
  | { kind: 'new-node' }
  | { kind: 'edit-node'; node: GraphNode }
  | { kind: 'delete-node'; node: GraphNode; links: number }
  /** `to` is absent when the link is started from the panel: the form asks for it. */
  | { kind: 'new-link'; from: LinkEnd; to?: LinkEnd }
  | { kind: 'edit-link'; link: GraphLink }
  | { kind: 'delete-link'; link: GraphLink }
  /** What changed in the whole graph, newest first. */
  | { kind: 'changes' };

/** Changes to a record are edited in the side panel, next to what they change; the rest in a modal dialog. */
export function inPanel(dialog: EditDialog | null): dialog is Extract<EditDialog, { kind: 'edit-node' | 'edit-link' }> {
  return dialog?.kind === 'edit-node' || dialog?.kind === 'edit-link';
}

/** One of my edits on this page, newest last: what undo reverts. */
export interface MyEdit {
  audit: string;
  what: { key: MessageKey; params: MessageParams };
}

export interface EditNotice {
  key: MessageKey;
  params: MessageParams;
  /** The audit entry of the change, offered for undo in the notice. */
  audit?: string;
}

const MY_EDITS = 'dar-kg.my-edits';
/** How many of my edits undo can go back through. */
const UNDO_DEPTH = 50;

function storedEdits(): MyEdit[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(MY_EDITS) ?? '[]');
    return Array.isArray(parsed) ? (parsed as MyEdit[]).filter((e) => typeof e?.audit === 'string') : [];
  } catch {
    return [];
  }
}

function nameParams(record: { id: string; name_en?: string; name_km?: string }): MessageParams {
  return { id: record.id, name_en: record.name_en ?? record.id, name_km: record.name_km ?? record.name_en ?? record.id };
}

class Editing {
  /** Edit mode is on (only while an editor is signed in). */
  active = $state(false);
  /** Dragging from a node draws a link (edit mode). */
  draw = $state(true);
  dialog = $state.raw<EditDialog | null>(null);
  mine = $state.raw<MyEdit[]>(storedEdits());
  notice = $state.raw<EditNotice | null>(null);
  busy = $state(false);
  /** Bumped after every change, so that open histories load again. */
  changes = $state(0);

  /** Signed in, and looking at today's graph: an earlier version (a cited address) is read-only. */
  get canEdit(): boolean {
    return session.editor !== null && scene.state.at === null;
  }

  get isAdmin(): boolean {
    return session.editor?.role === 'admin';
  }

  start(): void {
    if (this.canEdit) this.active = true;
  }

  stop(): void {
    this.active = false;
    this.dialog = null;
  }

  open(dialog: EditDialog): void {
    if (!this.canEdit) return;
    this.active = true;
    this.dialog = dialog;
  }

  close(): void {
    this.dialog = null;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Writes. Each throws the ApiError of a refusal (the form shows it); on success the change is shown and undoable.

  async createNode(input: NodeInput): Promise<GraphNode> {
    const { node, audit } = await api.createNode(input);
    this.#done(audit, { key: 'edit.created', params: nameParams(node) }, { nodes: [node] });
    explorer.show(node.id);
    return node;
  }

  async updateNode(node: GraphNode, patch: Patch): Promise<GraphNode> {
    const answer = await api.updateNode(node.id, patch, node.version);
    this.#done(answer.audit, { key: 'edit.updated', params: nameParams(answer.node) }, { nodes: [answer.node] });
    return answer.node;
  }

  async deleteNode(node: GraphNode, cascade: boolean): Promise<DeletionAnswer> {
    const answer = await api.deleteNode(node.id, { version: node.version, cascade });
    if (scene.state.focus === node.id) explorer.select(null);
    scene.update((s) => withoutExpansionsOf(s, node.id), 'replace');
    this.#done(answer.audit, { key: 'edit.deleted', params: nameParams(node) }, { removedNodes: answer.deleted.nodes, removedLinks: answer.deleted.links });
    return answer;
  }

  async createLink(input: LinkInput, names: { from: LinkEnd; to: LinkEnd }): Promise<GraphLink> {
    const { link, audit } = await api.createLink(input);
    this.#done(audit, { key: 'edit.linked', params: this.#linkParams(link, names) }, { links: [link] });
    void explorer.selectLink(link.id, link);
    return link;
  }

  async updateLink(link: GraphLink, patch: Patch): Promise<GraphLink> {
    const answer = await api.updateLink(link.id, patch, link.version);
    this.#done(answer.audit, { key: 'edit.linkUpdated', params: this.#linkParams(answer.link) }, { links: [answer.link] });
    if (explorer.link?.id === link.id) explorer.link = { id: link.id, link: answer.link };
    return answer.link;
  }

  async deleteLink(link: GraphLink): Promise<void> {
    const answer = await api.deleteLink(link.id, link.version);
    if (explorer.link?.id === link.id) explorer.link = null;
    this.#done(answer.audit, { key: 'edit.linkDeleted', params: this.#linkParams(link) }, { removedLinks: answer.deleted.links });
  }

  /**
   * An import applied (the import dialog): one audited change of mine like the others — undo reverts it, open
   * histories load again — and the views load again to show it.
   */
  imported(audit: string | null, counts: { created: number; updated: number; unchanged: number }): void {
    this.#done(audit, { key: 'import.done', params: counts }, {});
  }

  /** Reverts one audited change (history, undo); the revert is itself a change of mine, and can be undone. */
  async revert(auditId: string): Promise<void> {
    const answer = await api.revert(auditId);
    const entry = answer.audit;
    this.mine = this.mine.filter((edit) => edit.audit !== auditId);
    this.#remember(entry?.id ?? null, { key: 'edit.reverted', params: {} });
    this.#reverted(entry);
    this.notice = { key: 'edit.reverted', params: {} };
  }

  /** Undoes my last edit on this page. */
  async undo(): Promise<void> {
    const last = this.mine.at(-1);
    if (!last || this.busy) return;
    this.busy = true;
    try {
      const answer = await api.revert(last.audit);
      this.mine = this.mine.slice(0, -1);
      this.#save();
      this.#reverted(answer.audit);
      this.notice = { key: 'edit.undone', params: last.what.params };
    } catch (error) {
      const problem = toUiError(error);
      this.notice = { key: 'edit.undoFailed', params: { message: problem.message } };
    } finally {
      this.busy = false;
    }
  }

  dismissNotice(): void {
    this.notice = null;
  }

  /** Shows what a revert did; the link in the panel follows (gone when the revert deleted it). */
  #reverted(entry: AuditEntry | undefined): void {
    explorer.applyEdit(entry ? effectOf(entry) : {});
    // A node brought back (a deletion undone) is shown again.
    const restored = entry?.changes.filter((c) => c.entity === 'node' && c.before === null && c.after !== null) ?? [];
    if (restored.length === 1) explorer.show(restored[0]!.id);
    const shown = explorer.link;
    const change = shown ? entry?.changes.find((c) => c.entity === 'link' && c.id === shown.id) : undefined;
    if (shown && change) {
      if (change.after) explorer.link = { id: shown.id, link: change.after as GraphLink };
      else explorer.link = null;
    }
    this.changes += 1;
  }

  #done(audit: string | null, what: MyEdit['what'], effect: EditEffect): void {
    this.#remember(audit, what);
    explorer.applyEdit(effect);
    this.notice = { ...what, ...(audit ? { audit } : {}) };
    this.changes += 1;
  }

  #remember(audit: string | null, what: MyEdit['what']): void {
    if (!audit) return;
    this.mine = [...this.mine, { audit, what }].slice(-UNDO_DEPTH);
    this.#save();
  }

  #save(): void {
    try {
      sessionStorage.setItem(MY_EDITS, JSON.stringify(this.mine));
    } catch {
      // private mode: undo works for this page only
    }
  }

  #linkParams(link: GraphLink, names?: { from: LinkEnd; to: LinkEnd }): MessageParams {
    const known = explorer.source.nodes;
    const from = names?.from ?? known.get(link.from);
    const to = names?.to ?? known.get(link.to);
    return {
      type: link.type,
      from_en: from?.name_en ?? link.from,
      from_km: from?.name_km ?? from?.name_en ?? link.from,
      to_en: to?.name_en ?? link.to,
      to_km: to?.name_km ?? to?.name_en ?? link.to,
    };
  }
}

/** The relationship types a link between two nodes may have, either way round, as the schema allows. */
export interface LinkChoice {
  type: LinkType;
  from: LinkEnd;
  to: LinkEnd;
}

export const editing = new Editing();
