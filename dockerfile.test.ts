import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

// Our CI machines cannot run Docker, so the Dockerfile is checked by reading it. `npm ci` installs only the
// workspaces whose package.json is in the image by then: a workspace left out (packages/cli once was) is missing
// from node_modules, and `COPY . .` afterwards does not bring back its link or its dependencies.

const root = import.meta.dirname;
const workspaces = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;

/** The sources of every COPY of the build stage before its `RUN npm ci` (flags such as --chown= left out). */
function copiedBeforeInstall(dockerfile: string): string[] {
  const lines = dockerfile.split("\n").map((l) => l.trim());
  const install = lines.findIndex((l) => /^RUN\s+npm\s+ci\b/.test(l));
  expect(install, "the Dockerfile runs npm ci").toBeGreaterThan(0);
  return lines
    .slice(0, install)
    .filter((l) => /^COPY\s/i.test(l))
    .flatMap((l) => {
      const args = l.split(/\s+/).slice(1).filter((a) => !a.startsWith("--"));
      return args.slice(0, -1); // the last one is the destination
    });
}

it("copies every workspace's package.json before npm ci", () => {
  const copied = copiedBeforeInstall(readFileSync(path.join(root, "Dockerfile"), "utf8"));
  expect(workspaces.length).toBeGreaterThan(0);
  for (const ws of workspaces) expect(copied, `${ws}/package.json`).toContain(`${ws}/package.json`);
  expect(copied).toEqual(expect.arrayContaining(["package.json", "package-lock.json"]));
});
