import { describe, expect, it } from "vitest";
import { eventStreamParser } from "./event-stream.ts";

describe("event stream parser", () => {
  it("reads events split anywhere across chunks, skips comments, joins data lines", () => {
    const seen: [string, string][] = [];
    const feed = eventStreamParser((type, data) => seen.push([type, data]));
    const text = 'event: run\ndata: {"a":1}\n\n: keep-alive\n\nevent: log\r\ndata: one\r\ndata:two\r\n\r\ndata: plain\n\nevent: end\ndata: {}\n\n';
    for (let i = 0; i < text.length; i += 3) feed(text.slice(i, i + 3));
    expect(seen).toEqual([
      ["run", '{"a":1}'],
      ["log", "one\ntwo"],
      ["message", "plain"],
      ["end", "{}"],
    ]);
  });

  it("holds back an event until its blank line arrives", () => {
    const seen: string[] = [];
    const feed = eventStreamParser((type) => seen.push(type));
    feed("event: node\ndata: {}\n");
    expect(seen).toEqual([]);
    feed("\n");
    expect(seen).toEqual(["node"]);
  });
});
