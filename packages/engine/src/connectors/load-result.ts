import type { WatermarkMove } from "./postgres-watermark.ts";

/** What a loader reports once `ctx.table` exists. */
export interface LoadResult {
  rowsLoaded: number;
  /** An incremental read: the range it covered, for the run to store once its sinks have loaded. */
  watermark?: WatermarkMove;
}
