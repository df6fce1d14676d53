import type { ParameterType, ParameterValue } from "@sluice/model";
import { panelInputClass as inputClass } from "../components/input-class.ts";

/**
 * A value of a parameter's type: a date picker for dates, a checkbox for true/false, numbers as numbers.
 * Text that is not a number stays text, so the server can say what is wrong with it instead of it vanishing.
 */
export function ParameterValueInput({
  type,
  value,
  onChange,
  label,
  invalid = false,
}: {
  type: ParameterType;
  value: ParameterValue | undefined;
  onChange: (v: ParameterValue) => void;
  label: string;
  invalid?: boolean;
}) {
  const text = value === undefined ? "" : String(value);
  switch (type) {
    case "boolean":
      return (
        <input type="checkbox" aria-label={label} checked={value === true || text.toLowerCase() === "true"} onChange={(e) => onChange(e.target.checked)} className="h-4 w-4" />
      );
    case "integer":
    case "double":
      return (
        <input
          aria-label={label}
          inputMode={type === "integer" ? "numeric" : "decimal"}
          value={text}
          aria-invalid={invalid || undefined}
          onChange={(e) => {
            const t = e.target.value;
            onChange(t.trim() !== "" && Number.isFinite(Number(t)) ? Number(t) : t);
          }}
          className={`${inputClass} font-mono`}
        />
      );
    case "date":
      return <input type="date" aria-label={label} value={text} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)} className={inputClass} />;
    case "timestamp":
      return (
        <input aria-label={label} value={text} placeholder="YYYY-MM-DD HH:MM:SS" aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)} className={`${inputClass} font-mono`} />
      );
    case "string":
      return <input aria-label={label} value={text} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)} className={inputClass} />;
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** A value that fits a newly chosen type, so switching a parameter's type never leaves a default of the old one. */
export function blankValue(type: ParameterType): ParameterValue {
  switch (type) {
    case "boolean":
      return false;
    case "integer":
    case "double":
      return 0;
    case "date":
      return new Date().toISOString().slice(0, 10);
    case "timestamp":
      return `${new Date().toISOString().slice(0, 10)} 00:00:00`;
    default:
      return "";
  }
}
