import { useId, type ComponentProps } from "react";

type Props = Omit<ComponentProps<"input">, "id"> & { label: string; error?: string | undefined; hint?: string };

/** A labelled input whose error message is tied to it for screen readers. */
export function TextField({ label, error, hint, className = "", ...props }: Props) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`mb-3 ${className}`}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...props}
        className={`w-full rounded-md border bg-white px-3 py-1.5 text-sm ${error ? "border-red-500" : "border-slate-300"}`}
      />
      {hint && !error && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
