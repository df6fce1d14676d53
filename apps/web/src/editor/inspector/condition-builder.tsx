import type { Column, Issue } from "@sluice/model";
import { Button } from "../../components/button.tsx";
import { formatScalar, parseScalar, problemsAt } from "./form-model.ts";

type Scalar = string | number | boolean | null;
export interface Rule {
  kind: "rule";
  column: string;
  operator: string;
  value?: Scalar;
  values?: Scalar[];
  value2?: Scalar;
  ignoreCase?: boolean;
}
export interface Group {
  kind: "group";
  op: "and" | "or";
  conditions: (Rule | Group)[];
}

const OPERATORS: { value: string; label: string; operands: 0 | 1 | 2 | "list" }[] = [
  { value: "=", label: "equals", operands: 1 },
  { value: "!=", label: "does not equal", operands: 1 },
  { value: "<", label: "is less than", operands: 1 },
  { value: "<=", label: "is at most", operands: 1 },
  { value: ">", label: "is greater than", operands: 1 },
  { value: ">=", label: "is at least", operands: 1 },
  { value: "between", label: "is between", operands: 2 },
  { value: "in", label: "is one of", operands: "list" },
  { value: "not_in", label: "is none of", operands: "list" },
  { value: "contains", label: "contains", operands: 1 },
  { value: "starts_with", label: "starts with", operands: 1 },
  { value: "ends_with", label: "ends with", operands: 1 },
  { value: "matches_regex", label: "matches the pattern", operands: 1 },
  { value: "is_null", label: "is empty (null)", operands: 0 },
  { value: "is_not_null", label: "is not empty", operands: 0 },
];

const inputClass = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";

/** A rule keeps only the operands its operator uses, so switching operators never leaves stale values behind. */
export function withOperator(rule: Rule, operator: string): Rule {
  const operands = OPERATORS.find((o) => o.value === operator)?.operands ?? 1;
  const base: Rule = { kind: "rule", column: rule.column, operator, ...(rule.ignoreCase !== undefined ? { ignoreCase: rule.ignoreCase } : {}) };
  if (operands === 1) return { ...base, value: rule.value ?? null };
  if (operands === 2) return { ...base, value: rule.value ?? null, value2: rule.value2 ?? null };
  if (operands === "list") return { ...base, values: rule.values ?? (rule.value !== undefined ? [rule.value] : []) };
  return base;
}

/** Which rows to keep: rules joined by all/any, with nested groups for mixed logic. */
export function ConditionBuilder({ value, onChange, columns, problems, path = "condition", depth = 0 }: { value: Group; onChange: (g: Group) => void; columns: Column[]; problems: Issue[]; path?: string; depth?: number }) {
  const set = (i: number, c: Rule | Group) => onChange({ ...value, conditions: value.conditions.map((x, j) => (j === i ? c : x)) });
  const remove = (i: number) => onChange({ ...value, conditions: value.conditions.filter((_, j) => j !== i) });
  return (
    <div className={depth > 0 ? "rounded-md border border-slate-200 p-2" : ""} role="group" aria-label={depth === 0 ? "Condition" : `Group at depth ${depth}`}>
      <label className="mb-1 flex items-center gap-2 text-xs text-slate-600">
        Keep rows matching
        <select aria-label="Match" value={value.op} onChange={(e) => onChange({ ...value, op: e.target.value as "and" | "or" })} className={inputClass}>
          <option value="and">all of</option>
          <option value="or">any of</option>
        </select>
      </label>
      {value.conditions.length === 0 && <p className="mb-1 text-xs text-slate-500">No rules: every row is kept.</p>}
      <ol className="space-y-1.5">
        {value.conditions.map((c, i) => (
          <li key={i} className="flex items-start gap-1">
            <div className="min-w-0 flex-1">
              {c.kind === "group" ? (
                <ConditionBuilder value={c} onChange={(g) => set(i, g)} columns={columns} problems={problems} path={`${path}.conditions.${i}`} depth={depth + 1} />
              ) : (
                <RuleEditor rule={c} onChange={(r) => set(i, r)} columns={columns} problems={problems} path={`${path}.conditions.${i}`} />
              )}
            </div>
            <Button variant="ghost" className="!px-1.5" aria-label={`Remove rule ${i + 1}`} onClick={() => remove(i)}>
              ✕
            </Button>
          </li>
        ))}
      </ol>
      <div className="mt-1 flex gap-1">
        <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => onChange({ ...value, conditions: [...value.conditions, { kind: "rule", column: columns[0]?.name ?? "", operator: "=", value: null }] })}>
          + Add rule
        </Button>
        {depth < 3 && (
          <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => onChange({ ...value, conditions: [...value.conditions, { kind: "group", op: value.op === "and" ? "or" : "and", conditions: [] }] })}>
            + Add group
          </Button>
        )}
      </div>
      <ul className="text-xs text-red-700">
        {problemsAt(problems, path).map((p, i) => (
          <li key={i}>{p.message}</li>
        ))}
      </ul>
    </div>
  );
}

function RuleEditor({ rule, onChange, columns, problems, path }: { rule: Rule; onChange: (r: Rule) => void; columns: Column[]; problems: Issue[]; path: string }) {
  const operands = OPERATORS.find((o) => o.value === rule.operator)?.operands ?? 1;
  const here = problems.filter((p) => p.field === path || p.field?.startsWith(`${path}.`));
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-1">
        <select aria-label="Column" value={rule.column} onChange={(e) => onChange({ ...rule, column: e.target.value })} className={`${inputClass} min-w-0 flex-1`}>
          <option value="">Column…</option>
          {!columns.some((c) => c.name === rule.column) && rule.column !== "" && <option value={rule.column}>{rule.column} (not in the input)</option>}
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.type})
            </option>
          ))}
        </select>
        <select aria-label="Operator" value={rule.operator} onChange={(e) => onChange(withOperator(rule, e.target.value))} className={inputClass}>
          {OPERATORS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {operands === 1 && <input aria-label="Value" value={formatScalar(rule.value)} onChange={(e) => onChange({ ...rule, value: parseScalar(e.target.value) })} className={`${inputClass} w-full`} />}
      {operands === 2 && (
        <div className="flex gap-1">
          <input aria-label="From" value={formatScalar(rule.value)} onChange={(e) => onChange({ ...rule, value: parseScalar(e.target.value) })} className={`${inputClass} min-w-0 flex-1`} />
          <input aria-label="To" value={formatScalar(rule.value2)} onChange={(e) => onChange({ ...rule, value2: parseScalar(e.target.value) })} className={`${inputClass} min-w-0 flex-1`} />
        </div>
      )}
      {operands === "list" && (
        <input
          aria-label="Values (comma-separated)"
          value={(rule.values ?? []).map(formatScalar).join(", ")}
          onChange={(e) => onChange({ ...rule, values: e.target.value.split(",").map((v) => parseScalar(v.trim())).filter((v) => v !== "") })}
          className={`${inputClass} w-full`}
        />
      )}
      {["=", "!=", "in", "not_in", "contains", "starts_with", "ends_with"].includes(rule.operator) && (
        <label className="flex items-center gap-1 text-xs text-slate-600">
          <input type="checkbox" checked={rule.ignoreCase === true} onChange={(e) => onChange({ ...rule, ignoreCase: e.target.checked })} />
          Ignore case
        </label>
      )}
      {here.map((p, i) => (
        <p key={i} className="text-xs text-red-700">
          {p.message}
        </p>
      ))}
    </div>
  );
}
