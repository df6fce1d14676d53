import { describe, expect, it } from "vitest";
import { pipelineFileText } from "./pipeline-file-text.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const json = '{"name":"Café","graph":{}}';

describe("pipelineFileText", () => {
  it("reads UTF-8, with or without a byte order mark, as the same text", () => {
    expect(pipelineFileText(utf8(json))).toEqual({ ok: true, text: json });
    expect(pipelineFileText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(json)]))).toEqual({ ok: true, text: json });
    expect(JSON.parse((pipelineFileText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(json)])) as { text: string }).text)).toEqual({ name: "Café", graph: {} });
  });

  it("refuses other encodings with what to do, never reading them with replacement characters", () => {
    const latin1 = new Uint8Array([...json].map((c) => c.charCodeAt(0)));
    expect(pipelineFileText(latin1)).toEqual({ ok: false, message: expect.stringMatching(/^is not UTF-8 text .*save it as UTF-8\.$/) });
    const utf16le = new Uint8Array([0xff, 0xfe, ...[...json].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(pipelineFileText(utf16le)).toEqual({ ok: false, message: expect.stringMatching(/^is saved as UTF-16 text; save it as UTF-8/) });
    expect(pipelineFileText(new Uint8Array([0xfe, 0xff, 0, 0x7b]))).toMatchObject({ ok: false });
  });
});
