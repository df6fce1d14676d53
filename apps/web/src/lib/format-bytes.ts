/**
 * "912 B", "1.4 MB": file sizes as people read them (powers of 1024, like file managers). The size is rounded to
 * what is shown before the unit is chosen, so 1,048,575 bytes read "1.0 MB", never "1024 KB".
 */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  if (!Number.isFinite(n)) return "–";
  if (n < 1024) return `${Math.round(n)} B`;
  let v = n;
  let i = 0;
  for (;;) {
    v /= 1024;
    i++;
    const digits = v < 10 ? 1 : 0;
    const shown = Number(v.toFixed(digits));
    if (shown < 1024 || i === units.length - 1) return `${shown.toFixed(shown < 10 ? 1 : 0)} ${units[i]}`;
  }
}
