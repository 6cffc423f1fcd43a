/**
 * Stories: an editor's sequence of scenes with bilingual captions and sources (server/schema/story.schema.ts).
 * Written through `GraphStore.applyChanges` like nodes (versions, 412 on a stale If-Match, one audit entry per
 * write, revert by POST /api/audit/{id}/revert), on every store. Reading a story also gives, per step, the
 * sources named under its caption: the step's own, with the names of the Documents among them.
 */
import type { Editor } from '../auth/editors.ts';
import { Conflict, Invalid, NotFound, PreconditionFailed } from '../domain/errors.ts';
import type { Story, StoryContent, StoryInput } from '../schema/story.schema.ts';
import type { AuditEntry, GraphStore } from '../store/graph-store.ts';
import { recordVersion } from '../store/record-compare.ts';
import type { IfMatch } from './editing.service.ts';
import { slug } from '../schema/slug.ts';

export interface StoryWrite {
  story: Story;
  audit: AuditEntry | undefined;
}

/** A source as a reader sees it: a URL, or a Document of the graph with its names (and its own URL when it has one). */
export interface SourceRef {
  source: string;
  url?: string;
  name_en?: string;
  name_km?: string;
}

const URL = /^https?:\/\//i;
const RETRIES = 3;

export async function listStories(store: GraphStore): Promise<Story[]> {
  return store.listStories();
}

export async function getStory(store: GraphStore, id: string): Promise<Story> {
  const story = await store.getStory(id);
  if (!story) throw new NotFound(`no story with id "${id}"`, { id });
  return story;
}

/** Every source of the story's steps, resolved: Document ids get their names; unknown ids stay bare. */
export async function storySources(store: GraphStore, story: Story): Promise<Record<string, SourceRef>> {
  const all = [...new Set(story.steps.flatMap((step) => step.sources))];
  const ids = all.filter((s) => !URL.test(s));
  const documents = new Map((await store.getNodes(ids)).map((node) => [node.id, node]));
  const out: Record<string, SourceRef> = {};
  for (const source of all) {
    const node = documents.get(source);
    const url = node && typeof (node as { url?: unknown }).url === 'string' ? ((node as { url?: string }).url as string) : undefined;
    out[source] = node
      ? { source, name_en: node.name_en, name_km: node.name_km, ...(url ? { url } : {}) }
      : URL.test(source)
        ? { source, url: source }
        : { source };
  }
  return out;
}

export async function createStory(store: GraphStore, input: StoryInput, editor: Editor): Promise<StoryWrite> {
  const { id: given, ...content } = input;
  await checkStepSources(store, content);
  const base = given ?? slug(content.title_en, 100, 'story');
  for (let attempt = 0; ; attempt++) {
    const id = given ?? (await freeStoryId(store, base));
    const story: Story = { id, ...content };
    try {
      const result = await store.applyChanges([{ kind: 'putStory', story, create: true }], { actor: editor, action: 'create_story' });
      return { story: storedOf(result.entry, id) ?? story, audit: result.entry };
    } catch (error) {
      if (!given && attempt < RETRIES && error instanceof Conflict && error.code === 'id_taken') continue;
      throw error;
    }
  }
}

/** Replaces a story's content (title, steps); If-Match makes it refuse (412) a story changed since it was read. */
export async function updateStory(store: GraphStore, id: string, content: StoryContent, editor: Editor, ifMatch?: IfMatch): Promise<StoryWrite> {
  await checkStepSources(store, content);
  for (let attempt = 0; ; attempt++) {
    const current = await getStory(store, id);
    const expectedVersion = matchVersion(current, ifMatch);
    try {
      const result = await store.applyChanges([{ kind: 'putStory', story: { id, ...content }, expectedVersion }], { actor: editor, action: 'update_story' });
      return { story: storedOf(result.entry, id) ?? current, audit: result.entry };
    } catch (error) {
      if (ifMatch === undefined && attempt < RETRIES && error instanceof PreconditionFailed) continue;
      throw error;
    }
  }
}

export async function deleteStory(store: GraphStore, id: string, editor: Editor, ifMatch?: IfMatch): Promise<AuditEntry> {
  const current = await getStory(store, id);
  const expectedVersion = ifMatch === undefined ? undefined : matchVersion(current, ifMatch);
  const result = await store.applyChanges([{ kind: 'deleteStory', id, expectedVersion }], { actor: editor, action: 'delete_story' });
  return result.entry!;
}

function matchVersion(current: Story, ifMatch: IfMatch | undefined): number {
  const version = recordVersion(current);
  if (ifMatch === undefined || ifMatch === '*' || ifMatch.includes(version)) return version;
  throw new PreconditionFailed(`story ${current.id} is at version ${version}, not ${ifMatch.join(' or ')}: it changed since you read it; read it again`, {
    entity: 'story',
    id: current.id,
    expected: ifMatch,
    current: version,
  });
}

/** A step's sources: http(s) URLs, or ids of Documents in the graph (400 naming the step otherwise). */
async function checkStepSources(store: GraphStore, content: StoryContent): Promise<void> {
  const ids = [...new Set(content.steps.flatMap((step) => step.sources.filter((s) => !URL.test(s))))];
  if (ids.length === 0) return;
  const documents = new Set((await store.getNodes(ids)).filter((n) => n.label === 'Document').map((n) => n.id));
  content.steps.forEach((step, i) => {
    const bad = step.sources.find((s) => !URL.test(s) && !documents.has(s));
    if (bad === undefined) return;
    const parameter = `steps.${i}.sources`;
    const message = `"${bad}" is neither an http(s) URL nor the id of a Document`;
    throw new Invalid(`body parameter "${parameter}": ${message}`, { parameter, where: 'body', issues: [{ parameter, message }] }, 'invalid_parameter');
  });
}

async function freeStoryId(store: GraphStore, base: string): Promise<string> {
  if (!(await store.getStory(base))) return base;
  for (let n = 2; ; n++) if (!(await store.getStory(`${base}-${n}`))) return `${base}-${n}`;
}

function storedOf(entry: AuditEntry | undefined, id: string): Story | undefined {
  return (entry?.changes.find((c) => c.entity === 'story' && c.id === id)?.after ?? undefined) as Story | undefined;
}
