import type { Result } from "@sluice/model";
import type { HttpCredentialResolver, LoadContext, SinkContext, SinkResult } from "../connector.ts";
import type { HttpGuardOptions } from "./http/address-guard.ts";
import type { LoadResult } from "./load-result.ts";
import { loadPostgresSource, type PostgresSourceOptions } from "./postgres-source.ts";
import { loadHttpSource } from "./http-source.ts";
import { writePostgresSink, type PostgresSinkOptions } from "./postgres-sink.ts";
import { writeFileSink } from "./file-sink.ts";

export interface ConnectorOptions {
  http: HttpGuardOptions;
  /** Stored HTTP credentials (the server's); without it, an HTTP source that names one fails with CREDENTIAL_UNAVAILABLE. */
  httpCredential?: HttpCredentialResolver;
  /** The run's outputs folder, where file sinks write. */
  outputDir: string;
  postgresSource?: PostgresSourceOptions;
  postgresSink?: PostgresSinkOptions;
}

export interface Connectors {
  /** Runs a "load" step: creates ctx.table from the source described by `spec`. */
  load(source: "postgres" | "http", ctx: LoadContext, spec: Record<string, unknown>): Promise<Result<LoadResult>>;
  /** Runs a "sink" step: writes ctx.select to the target described by `spec`. */
  sink(target: "postgres" | "file", ctx: SinkContext, spec: Record<string, unknown>): Promise<Result<SinkResult>>;
}

/** The connectors for one run, by the names compiled steps use (CompiledStep's `source` and `target`). */
export function createConnectors(options: ConnectorOptions): Connectors {
  return {
    load(source, ctx, spec) {
      switch (source) {
        case "postgres":
          return loadPostgresSource(ctx, spec, options.postgresSource);
        case "http":
          return loadHttpSource(ctx, spec, options.http, options.httpCredential);
        default: {
          const never: never = source;
          throw new Error(`unknown source ${String(never)}`);
        }
      }
    },
    sink(target, ctx, spec) {
      switch (target) {
        case "postgres":
          return writePostgresSink(ctx, spec, options.postgresSink);
        case "file":
          return writeFileSink(ctx, spec, { outputDir: options.outputDir });
        default: {
          const never: never = target;
          throw new Error(`unknown target ${String(never)}`);
        }
      }
    },
  };
}
