import { readFileSync } from "node:fs";
import { repoRoot } from "./config.ts";

export const appVersion: string = (JSON.parse(readFileSync(`${repoRoot}/package.json`, "utf8")) as { version: string }).version;
