/** What a loader reports once `ctx.table` exists. */
export interface LoadResult {
  rowsLoaded: number;
}
