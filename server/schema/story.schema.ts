/**
 * A story: a sequence of scenes with captions in Khmer and English, each with its sources, told by an editor and
 * stepped through by readers (/stories/:id), embedded (/embed/stories/:id) or downloaded as one HTML file. Stored
 * as a record of its own beside nodes and links (not part of the graph), audited and revertible like them.
 * Imported by the server and by web/.
 */
import { z } from 'zod';
import { IdSchema, SourceSchema, textField } from './graph.schema.ts';

/** At most this many steps in a story, sources under a step, characters in a caption. */
export const STORY_LIMITS = Object.freeze({ steps: 60, sources: 20, caption: 2000, title: 200, scene: 2000 });

/**
 * A scene's address as the explorer writes it in its URL: its query string (`?v=explore&f=dar&at=120`). The
 * whole address of this site may be pasted (`https://host/?…` or `/?…`): only the query string is kept, so a story
 * moves with the data to another host. Anything else (another path, a script URL, spaces) is refused.
 */
export const SceneAddressSchema = z
  .string()
  .trim()
  .max(STORY_LIMITS.scene)
  .overwrite((value) => {
    const match = /^(?:https?:\/\/[^/?#\s]+)?\/?(\?[^#\s]*)?(?:#[^\s]*)?$/i.exec(value);
    return match ? (match[1] ?? '?') : value;
  })
  .regex(/^\?[^\s#]*$/, 'must be a scene address of the explorer: its query string, e.g. "?v=explore&f=dar"');

export const StoryStepSchema = z.strictObject({
  scene: SceneAddressSchema,
  caption_en: textField(STORY_LIMITS.caption),
  caption_km: textField(STORY_LIMITS.caption),
  /** The step's own citations (URLs or Document ids), shown under the caption with those of the scene's records. */
  sources: z.array(SourceSchema).max(STORY_LIMITS.sources).default([]),
});

const storyFields = {
  title_en: textField(STORY_LIMITS.title),
  title_km: textField(STORY_LIMITS.title),
  steps: z.array(StoryStepSchema).min(1, 'a story needs at least one step').max(STORY_LIMITS.steps),
};

/** What a client sends to create a story (without an id, one is made from the English title). */
export const StoryInputSchema = z.strictObject({ id: IdSchema.optional(), ...storyFields });
/** What a client sends to replace a story's content (PUT, with If-Match for the version it read). */
export const StoryContentSchema = z.strictObject(storyFields);
/** A story as it is stored and sent: its content, who/when, and its version. */
export const StorySchema = z.object({
  id: IdSchema,
  ...storyFields,
  created_at: z.string().optional(),
  created_by: z.string().optional(),
  updated_at: z.string().optional(),
  updated_by: z.string().optional(),
  version: z.number().int().optional(),
});

export type StoryStep = z.output<typeof StoryStepSchema>;
export type StoryInput = z.output<typeof StoryInputSchema>;
export type StoryContent = z.output<typeof StoryContentSchema>;
export type Story = z.output<typeof StorySchema>;
