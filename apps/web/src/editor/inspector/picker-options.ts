import { useQuery } from "@tanstack/react-query";
import { connectionListSchema, dataFileListSchema } from "@sluice/model";
import { api } from "../../api/client.ts";

/** Uploaded files for a file source's picker; shares its cache key with the files page. */
export const useFileOptions = (enabled: boolean) =>
  useQuery({ queryKey: ["files"], queryFn: () => api("GET", "/files", dataFileListSchema), enabled, staleTime: 10_000 });

/** Saved connections for Postgres source and sink pickers; shares its cache key with the connections page. */
export const useConnectionOptions = (enabled: boolean) =>
  useQuery({ queryKey: ["connections"], queryFn: () => api("GET", "/connections", connectionListSchema), enabled, staleTime: 10_000 });
