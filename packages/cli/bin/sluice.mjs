#!/usr/bin/env node
// The CLI is TypeScript like the rest of Sluice; tsx compiles it on the fly, as the server runs.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
