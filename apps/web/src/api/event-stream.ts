import { refusal, requestHeaders } from "./client.ts";

/**
 * Feeds text/event-stream chunks in, calls `onEvent(type, data)` for each complete event (the format EventSource
 * reads: `event:` and `data:` lines, a blank line ends an event, `:` lines are comments). We read the stream with
 * fetch rather than EventSource because EventSource cannot send the workspace header.
 */
export function eventStreamParser(onEvent: (type: string, data: string) => void): (chunk: string) => void {
  let pending = "";
  let type = "";
  let data: string[] = [];
  const line = (text: string) => {
    if (text === "") {
      if (data.length) onEvent(type || "message", data.join("\n"));
      type = "";
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? "" : text.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
  };
  return (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const l of lines) line(l.endsWith("\r") ? l.slice(0, -1) : l);
  };
}

const RETRY_MS = 2000;

/**
 * Follows an event stream of the API until `isDone()` or the signal aborts, reconnecting after a dropped
 * connection as EventSource would. A 4xx answer ends it (a lost session goes to sign-in, see client.ts).
 */
export async function followEventStream(path: string, onEvent: (type: string, data: string) => void, o: { signal: AbortSignal; isDone: () => boolean }) {
  while (!o.signal.aborted && !o.isDone()) {
    try {
      const res = await fetch(`/api${path}`, { headers: requestHeaders("text/event-stream"), credentials: "same-origin", cache: "no-store", signal: o.signal });
      if (res.status >= 400 && res.status < 500) {
        refusal(res.status, res.statusText, await res.json().catch(() => undefined));
        return;
      }
      if (res.ok && res.body) {
        const feed = eventStreamParser(onEvent);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) feed(r.value);
      }
    } catch {
      if (o.signal.aborted) return;
    }
    if (!o.isDone()) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
