import { describe, expect, it } from "vitest";
import { EXIT, main } from "./main.ts";

async function sluice(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

describe("a --server or --token no request can carry", () => {
  it("is a usage error saying what to pass, not a server that cannot be reached (exit 4, worth a retry)", async () => {
    for (const server of ["localhost:3000", "ftp://example.com", "not a url"]) {
      const r = await sluice("export", "--out", "unused", "--server", server);
      expect(r, server).toMatchObject({ code: EXIT.usage, stderr: `--server (or $SLUICE_SERVER) must be the http:// or https:// address of a Sluice server, e.g. http://127.0.0.1:3000; got "${server}".` });
    }
    for (const token of ["slc_tök€n", "slc_a\nb", "slc_abc "]) {
      const r = await sluice("run", "Nightly", "--server", "http://127.0.0.1:1", "--token", token);
      expect(r, JSON.stringify(token)).toMatchObject({ code: EXIT.usage, stderr: expect.stringContaining("The API token given with --token or $SLUICE_TOKEN holds a space, line break or non-ASCII character") });
      expect(r.stderr).not.toContain("Cannot reach");
    }
    // A good address and token still go to the server, and a server that is down is still exit 4.
    expect(await sluice("run", "Nightly", "--server", "http://127.0.0.1:1", "--token", "slc_abc")).toMatchObject({ code: EXIT.unreachable });
    // Commands that send nothing do not look at them.
    expect((await sluice("validate", "--offline", "missing.json", "--server", "localhost:3000")).stderr).toBe("missing.json: no such file.");
  });
});
