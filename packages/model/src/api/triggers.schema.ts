import { z } from "zod";

/** The pipelines whose successful run starts this one. */
export const setTriggersRequestSchema = z.strictObject({ after: z.array(z.uuid("not a pipeline id")).max(50) });
export type SetTriggersRequest = z.input<typeof setTriggersRequestSchema>;

export const triggersSchema = z.object({ after: z.array(z.object({ id: z.string(), name: z.string() })) });
export type TriggersInfo = z.infer<typeof triggersSchema>;
