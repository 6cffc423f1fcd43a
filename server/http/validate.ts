/** Parses request parameters with zod; a failure is a 400 naming the parameter and why. */
import type { z } from 'zod';
import { Invalid } from '../domain/errors.ts';

export function parseParams<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'path' | 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const parameter = issue.path.map(String).join('.') || '(all)';
  const message = `${where} parameter "${parameter}": ${issue.message}`;
  throw new Invalid(message, {
    parameter,
    where,
    issues: result.error.issues.map((i) => ({ parameter: i.path.map(String).join('.'), message: i.message })),
  }, 'invalid_parameter');
}
