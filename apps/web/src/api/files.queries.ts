import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { dataFileListSchema, dataFileSchema, filePipelinesSchema, previewResultSchema, type DataFileInfoDto, type FileOnExists } from "@sluice/model";
import { api, apiNoContent, ApiError, refusal, requestHeaders } from "./client.ts";
import { announceChange } from "./cross-tab.ts";

export const fileKeys = { all: ["files"] as const, preview: (id: string) => ["files", id, "preview"] as const };

export const useFiles = () => useQuery({ queryKey: fileKeys.all, queryFn: listFiles });

const listFiles = () => api("GET", "/files", dataFileListSchema);

/**
 * Uploaded files for a file source's picker; shares its cache key with the files page. Asked again whenever the
 * window regains focus and when another tab announces a change (cross-tab.ts).
 */
export const useFileOptions = (enabled: boolean) => useQuery({ queryKey: fileKeys.all, queryFn: listFiles, enabled, staleTime: 10_000, refetchOnWindowFocus: "always" });

/** The list as the server has it now (for a name check just before an upload). */
export const freshFiles = (qc: QueryClient) => qc.fetchQuery({ queryKey: fileKeys.all, queryFn: listFiles, staleTime: 0 });

/** The pipelines that read a file, for a warning before it is replaced. */
export const useFilePipelines = (id: string | null) =>
  useQuery({ queryKey: ["files", id ?? "", "pipelines"], queryFn: () => api("GET", `/files/${encodeURIComponent(id!)}/pipelines`, filePipelinesSchema), enabled: id !== null });

export const useFilePreview = (id: string | null) =>
  useQuery({
    queryKey: fileKeys.preview(id ?? ""),
    queryFn: () => api("GET", `/files/${encodeURIComponent(id!)}/preview?limit=50`, previewResultSchema),
    enabled: id !== null,
    staleTime: Infinity,
  });

export const useDeleteFile = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiNoContent("DELETE", `/files/${encodeURIComponent(id)}`),
    onSettled: () => {
      announceChange("files");
      return qc.invalidateQueries({ queryKey: fileKeys.all });
    },
  });
};

/**
 * Uploads with XMLHttpRequest rather than fetch, because only it reports upload progress; errors come back
 * as the same ApiError the rest of the app uses.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void, onExists?: FileOnExists, signal?: AbortSignal): Promise<DataFileInfoDto> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", onExists ? `/api/files?onExists=${onExists}` : "/api/files");
    for (const [name, value] of Object.entries(requestHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "The upload was interrupted. Check that the server is running, then try again."));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "Upload cancelled."));
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        reject(new ApiError(xhr.status, "BAD_RESPONSE", `The server answered ${xhr.status} with something that is not JSON.`));
        return;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const parsed = dataFileSchema.safeParse(json);
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError(xhr.status, "BAD_RESPONSE", "The server's answer did not have the expected shape."));
        return;
      }
      reject(refusal(xhr.status, xhr.statusText, json));
    };
    signal?.addEventListener("abort", () => xhr.abort());
    const body = new FormData();
    body.append("file", file, file.name);
    xhr.send(body);
  });
}
