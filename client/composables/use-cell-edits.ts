// A table edited in place, one cell saved at a time (one audited write on the server): the rows from the server,
// the text typed in each cell, and a save that writes one cell, says so and reads the table again.
import { onMounted, shallowRef } from 'vue';
import { errorText } from './admin-format';
import { useBusyAction, type Outcome } from './use-busy-action';

export function useCellEdits<T>(options: {
  fetch: () => Promise<T[]>;
  /** A row's cell key and its value as the input shows it. */
  cell: (row: T) => [key: string, text: string];
  /** Message keys of a refused write and of a failed read; both get the server's words as `message`. */
  failed: string;
  loadFailed: string;
  /** After a write and the read that follows it. */
  changed: () => void;
}) {
  const rows = shallowRef<T[]>([]);
  const drafts = shallowRef<Record<string, string>>({});
  const { busy, message, run } = useBusyAction(options.failed);

  async function load(): Promise<void> {
    try {
      rows.value = await options.fetch();
      drafts.value = Object.fromEntries(rows.value.map(options.cell));
    } catch (e) {
      message.value = { ok: false, key: options.loadFailed, params: { message: errorText(e) } };
    }
  }

  /** Writes the number typed in the cell `key`. */
  function save(key: string, write: (value: number) => Promise<Outcome>): Promise<void> {
    const value = Number(drafts.value[key]);
    return run(
      () => write(value),
      async () => {
        await load();
        options.changed();
      },
    );
  }

  onMounted(load);
  return { rows, drafts, busy, message, load, save };
}
