/**
 * The text of a pipeline file from its bytes, as the CLI and the web import read one: UTF-8, with or without a
 * byte order mark (editors on Windows write one). Anything else is refused with what to do rather than read with
 * replacement characters: a file saved as Latin-1 would otherwise import "Café" as "Caf\uFFFD", silently.
 */
export type PipelineFileText = { ok: true; text: string } | { ok: false; message: string };

const UTF16_LE = [0xff, 0xfe];
const UTF16_BE = [0xfe, 0xff];
const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

export function pipelineFileText(bytes: Uint8Array): PipelineFileText {
  if (startsWith(bytes, UTF16_LE) || startsWith(bytes, UTF16_BE)) {
    return { ok: false, message: "is saved as UTF-16 text; save it as UTF-8 (PowerShell: Set-Content -Encoding utf8)." };
  }
  try {
    // ignoreBOM false (the default): a leading UTF-8 byte order mark is dropped, not read as a character.
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: "is not UTF-8 text (saved as Latin-1 or Windows-1252, say); save it as UTF-8." };
  }
}
