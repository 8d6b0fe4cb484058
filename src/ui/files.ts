/**
 * @file Saving and opening files in the browser: a download from a Blob or text, and reading a
 * dropped or picked file as text. The one place the page touches object URLs.
 */

export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

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
