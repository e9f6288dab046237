// The report's optional photo, checked in the browser before anything is sent: JPEG or PNG (by the file's first
// bytes, not only its name), at most 10 MB; a preview URL while it is chosen.
import { onBeforeUnmount, ref, shallowRef } from 'vue';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export type PhotoProblem = 'type' | 'size' | null;

/** 'jpeg' | 'png' from the magic bytes, else null. */
export async function photoKind(file: Blob): Promise<'jpeg' | 'png' | null> {
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => head[i] === b)) return 'png';
  return null;
}

export function useReportPhoto() {
  const photo = shallowRef<File | null>(null);
  const preview = ref<string | null>(null);
  const problem = ref<PhotoProblem>(null);

  function clear(): void {
    if (preview.value) URL.revokeObjectURL(preview.value);
    preview.value = null;
    photo.value = null;
  }

  async function choose(file: File | null): Promise<void> {
    clear();
    problem.value = null;
    if (!file) return;
    if (file.size > MAX_PHOTO_BYTES) {
      problem.value = 'size';
      return;
    }
    if (!(await photoKind(file))) {
      problem.value = 'type';
      return;
    }
    photo.value = file;
    preview.value = URL.createObjectURL(file);
  }

  onBeforeUnmount(clear);
  return { photo, preview, problem, choose, clear };
}
