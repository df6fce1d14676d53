import { Button } from "../components/button.tsx";
import { TextField } from "../components/text-field.tsx";
import type { FieldErrors } from "../api/field-errors.ts";

/** A secret's row; `stored` when the server holds a value under this name, which an empty value keeps. */
export type SecretRow = { key: number; name: string; value: string; stored: boolean };

let nextKey = 0;
export const secretRow = (name = "", stored = false): SecretRow => ({ key: nextKey++, name, value: "", stored });

type Props = {
  /** "header" or "query parameter", in labels. */
  noun: string;
  legend: string;
  /** The request field of the list, "headers" or "queryParams", for the server's field errors. */
  field: string;
  rows: SecretRow[];
  onChange: (rows: SecretRow[]) => void;
  errors: FieldErrors;
  /** The credential may now go to a host it was not saved for: every stored value must be typed again. */
  retype: boolean;
  /** The last secret of the credential cannot be removed. */
  canRemoveLast: boolean;
};

/** One list of write-only secrets (headers or query parameters) of an HTTP credential. */
export function SecretRows({ noun, legend, field, rows, onChange, errors, retype, canRemoveLast }: Props) {
  const set = (key: number, patch: Partial<SecretRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const label = `${noun[0]?.toUpperCase()}${noun.slice(1)}`;
  const hint = (r: SecretRow) => {
    if (r.stored && retype) return "Enter it again: the hosts changed, and a stored secret is only sent to the hosts it was saved for.";
    return r.stored ? "Stored. Leave empty to keep it." : "Stored encrypted; never shown again.";
  };
  return (
    <fieldset className="mb-3">
      <legend className="mb-1 text-sm font-medium text-slate-700">{legend}</legend>
      {rows.map((r, i) => (
        <div key={r.key} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2">
          <TextField label={`${label} ${i + 1} name`} value={r.name} onChange={(e) => set(r.key, { name: e.target.value, stored: false })} error={errors[`${field}.${i}.name`]} />
          <TextField
            label={`${label} ${i + 1} value`}
            type="password"
            autoComplete="new-password"
            value={r.value}
            required={!r.stored || retype}
            onChange={(e) => set(r.key, { value: e.target.value })}
            error={errors[`${field}.${i}.value`]}
            hint={hint(r)}
          />
          <Button variant="ghost" className="mt-6" aria-label={`Remove ${noun} ${i + 1}`} disabled={rows.length === 1 && !canRemoveLast} onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
            ✕
          </Button>
        </div>
      ))}
      {errors[field] && <p className="text-sm text-red-700">{errors[field]}</p>}
      <Button onClick={() => onChange([...rows, secretRow()])} disabled={rows.length >= 20}>
        Add {noun}
      </Button>
    </fieldset>
  );
}
