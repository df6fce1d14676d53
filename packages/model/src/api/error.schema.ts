import { z } from "zod";

/** The one JSON shape every API error has. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** `details` of a 400 VALIDATION_FAILED: each bad field by its path in the request ("body.graph.nodes.0.id"). */
export const validationFailedDetailsSchema = z.object({
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});
export type ValidationFailedDetails = z.infer<typeof validationFailedDetailsSchema>;
