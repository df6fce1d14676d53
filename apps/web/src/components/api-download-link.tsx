import { useState, useSyncExternalStore, type ReactNode } from "react";
import { apiErrorSchema } from "@sluice/model";
import { apiToken } from "../api/api-token.ts";

/**
 * A link that downloads a file from the API. A plain link cannot send the API token, so when this browser has one
 * the file is fetched with it and saved from memory; without one it is an ordinary link.
 */
export function ApiDownloadLink({ path, filename, className, children }: { path: string; filename: string; className?: string; children: ReactNode }) {
  const token = useSyncExternalStore(apiToken.subscribe, () => apiToken.state().token);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <a
        href={`/api${path}`}
        download={filename}
        className={className}
        onClick={
          token
            ? (e) => {
                e.preventDefault();
                setError(null);
                downloadWithToken(path, filename).catch((err: unknown) => setError((err as Error).message));
              }
            : undefined
        }
      >
        {children}
      </a>
      {error && (
        <span role="alert" className="ml-2 text-sm text-red-700">
          {error}
        </span>
      )}
    </>
  );
}

async function downloadWithToken(path: string, filename: string) {
  const res = await fetch(`/api${path}`, { headers: apiToken.headers() });
  if (!res.ok) {
    const body = apiErrorSchema.safeParse(await res.json().catch(() => undefined));
    if (res.status === 401 && body.success) apiToken.refusedWith(body.data.error.code);
    throw new Error(body.success ? body.data.error.message : `The download failed (${res.status}).`);
  }
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Revoked after the click has handed the file to the browser's download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
