/**
 * @file Saving a file from the browser: a download of a Blob or text through a temporary link. The
 * one place the page touches object URLs; it sits below the views that export (charts, the atlas,
 * the benchmark, the playground's panels).
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
