import type { ReactNode } from "react";

/** An error in words for people; `action` is usually the way out (retry, reload). */
export function ErrorBanner({ error, action }: { error: unknown; action?: ReactNode }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="my-3 flex items-start justify-between gap-3 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <span>{message}</span>
      {action && <span className="shrink-0">{action}</span>}
    </div>
  );
}
