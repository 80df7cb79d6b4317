// Saving what the page holds as a file: a Blob behind an object URL, followed by a link
// with `download` (no data: URL, no new window, nothing the CSP forbids).

/** Save `blob` under `filename` in the user's downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** Save a JSON document (a credential) as `filename`, indented as published. */
export function saveJson(value: unknown, filename: string): void {
  saveBlob(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: "application/json" }), filename);
}
