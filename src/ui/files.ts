/**
 * @file Opening files in the browser: a dropped or picked file read as text, and export file names.
 * Saving is charts/download.ts (the atlas and the benchmark views save files too).
 */

/** The first file of a drop or a file input, or null. */
export function firstFile(e: DragEvent | Event): File | null {
  if ('dataTransfer' in e && e.dataTransfer) return (e as DragEvent).dataTransfer!.files[0] ?? null;
  const input = e.target as HTMLInputElement | null;
  return input?.files?.[0] ?? null;
}

export function readText(file: File): Promise<string> {
  return file.text();
}

/** A file name stem for exports: the lesson id or "experiment", with the seed. */
export function exportName(stem: string | null, seed: number, ext: string): string {
  return `${stem ?? 'experiment'}-seed${seed}.${ext}`;
}
