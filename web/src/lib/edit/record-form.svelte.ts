/**
 * What an edit form goes through, shared by the node and link forms: the problems per field, the server's refusal,
 * "nothing changed", and the write in progress. send() takes a form already checked against the schema.
 */
import { asApiError, type ApiError } from '../api.ts';
import { editing } from '../editing.svelte.ts';
import { fieldErrorOf, withoutErrorOf, type Checked, type FieldErrors } from './form-schema.ts';

export class RecordForm {
  errors = $state.raw<FieldErrors>({});
  failure = $state.raw<ApiError | null>(null);
  working = $state(false);
  /** The record as stored now is being loaded (after a 412). */
  reloading = $state(false);
  nothing = $state(false);

  /** `testid`: the form's data-testid, to put the focus on its first field in error. */
  constructor(private readonly testid: string) {}

  /** A field the user changes loses its error. */
  edited = (key: string): void => {
    this.errors = withoutErrorOf(this.errors, key);
  };

  /**
   * Writes a checked form and closes it; problems are shown per field (the focus goes to the first), an empty
   * patch says "nothing changed", a refusal is kept in `failure` (and under the field the server names).
   */
  async send<T>(checked: Checked<T>, isPatch: boolean, write: (value: T) => Promise<unknown>): Promise<void> {
    if (this.working || this.reloading) return;
    this.failure = null;
    this.nothing = false;
    if (!checked.ok) {
      this.errors = checked.errors;
      queueMicrotask(() => document.querySelector<HTMLElement>(`[data-testid="${this.testid}"] [aria-invalid="true"]`)?.focus());
      return;
    }
    this.errors = {};
    if (isPatch && Object.keys(checked.value as object).length === 0) {
      this.nothing = true;
      return;
    }
    this.working = true;
    try {
      await write(checked.value);
      editing.close();
    } catch (error) {
      this.failure = asApiError(error);
      this.errors = fieldErrorOf(this.failure);
    } finally {
      this.working = false;
    }
  }

  /**
   * After a 412: loads the record as stored now and hands it to `rebase`. Saving waits for it (`reloading`): sent
   * meanwhile, the form would be refused again against the version it is replacing.
   */
  async reload<R>(load: () => Promise<R>, rebase: (current: R) => void): Promise<void> {
    if (this.reloading) return;
    this.reloading = true;
    try {
      rebase(await load());
      this.failure = null;
    } catch (error) {
      this.failure = asApiError(error);
    } finally {
      this.reloading = false;
    }
  }
}
