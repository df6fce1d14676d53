import type { Column } from "@sluice/model";
import type { ResolvedParameters } from "@sluice/pipeline";
import { ExpressionEditor } from "./expression-editor.tsx";
import { Button } from "../../components/button.tsx";
import { moveItem, removeItem, replaceItem } from "./config-path.ts";
import { ignoresCase, newGroup, newRule, operandFor, operandsOf, OPERATORS, valuesFor, withOperand, withOperator, withValues, type ExpressionCondition, type Group, type Rule } from "./condition-model.ts";

const NO_NAMES: ReadonlySet<string> = new Set();
import { DraftInput, ItemControls } from "./form-parts.tsx";
import { formatScalar } from "./form-model.ts";
import { problemsAt, type PlacedProblems } from "./problem-placement.ts";

const inputClass = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:border-cyan-600 focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";

function Problems({ placed, path }: { placed: PlacedProblems; path: string }) {
  const here = problemsAt(placed, path);
  if (here.length === 0) return null;
  return (
    <ul className="text-xs">
      {here.map((p, i) => (
        <li key={i} className={p.severity === "warning" ? "text-amber-800" : "text-red-700"}>
          {p.message}
        </li>
      ))}
    </ul>
  );
}

/** Which rows to keep: rules joined by all/any, with nested groups for mixed logic. */
export function ConditionBuilder({
  value,
  onChange,
  columns,
  placed,
  params,
  path = "condition",
  depth = 0,
}: {
  value: Group;
  onChange: (g: Group) => void;
  columns: Column[];
  placed: PlacedProblems;
  /** The pipeline's parameters, for param('name') in expressions. */
  params: ResolvedParameters;
  path?: string;
  depth?: number;
}) {
  const conditions = value.conditions;
  const setConditions = (next: (Rule | Group | ExpressionCondition)[]) => onChange({ ...value, conditions: next });
  return (
    <div className={depth > 0 ? "rounded-md border border-slate-200 p-2" : ""} role="group" aria-label={depth === 0 ? "Condition" : `Group at depth ${depth}`}>
      <label className="mb-1 flex items-center gap-2 text-xs text-slate-600">
        Keep rows matching
        <select aria-label="Match" value={value.op} onChange={(e) => onChange({ ...value, op: e.target.value as "and" | "or" })} className={inputClass}>
          <option value="and">all of</option>
          <option value="or">any of</option>
        </select>
      </label>
      {conditions.length === 0 && <p className="mb-1 text-xs text-slate-500">{depth === 0 ? "No rules: every row is kept." : "An empty group matches every row."}</p>}
      <ol className="space-y-1.5">
        {conditions.map((c, i) => {
          const at = `${path}.conditions.${i}`;
          const name = c.kind === "group" ? "group" : c.kind === "expression" ? "expression" : "rule";
          return (
            <li key={i} className="flex items-start gap-1">
              <div className="min-w-0 flex-1">
                {c.kind === "group" ? (
                  <ConditionBuilder value={c} onChange={(g) => setConditions(replaceItem(conditions, i, g))} columns={columns} placed={placed} params={params} path={at} depth={depth + 1} />
                ) : c.kind === "expression" ? (
                  <div className="rounded-md border border-slate-200 p-1.5">
                    <ExpressionEditor
                      label="Expression"
                      value={c.expression}
                      onChange={(expression) => setConditions(replaceItem(conditions, i, { ...c, expression }))}
                      columns={columns}
                      opaque={NO_NAMES}
                      params={params}
                      serverProblems={problemsAt(placed, `${at}.expression`)}
                    />
                  </div>
                ) : (
                  <RuleEditor rule={c} onChange={(r) => setConditions(replaceItem(conditions, i, r))} columns={columns} placed={placed} path={at} />
                )}
              </div>
              <ItemControls name={name} index={i} count={conditions.length} onMove={(by) => setConditions(moveItem(conditions, i, by))} onRemove={() => setConditions(removeItem(conditions, i))} />
            </li>
          );
        })}
      </ol>
      <div className="mt-1 flex gap-1">
        <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => setConditions([...conditions, newRule(columns)])}>
          + Add rule
        </Button>
        <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => setConditions([...conditions, { kind: "expression", expression: "" }])} title="A true/false expression, e.g. order_date >= param('since')">
          + Add expression
        </Button>
        {depth < 3 && (
          <Button variant="ghost" className="!px-1.5 !py-0.5 text-xs" onClick={() => setConditions([...conditions, newGroup(value)])}>
            + Add group
          </Button>
        )}
      </div>
      <Problems placed={placed} path={path} />
    </div>
  );
}

function RuleEditor({ rule, onChange, columns, placed, path }: { rule: Rule; onChange: (r: Rule) => void; columns: Column[]; placed: PlacedProblems; path: string }) {
  const operands = operandsOf(rule.operator);
  const column = columns.find((c) => c.name === rule.column);
  const read = (text: string) => operandFor(text, column);
  return (
    <div className="space-y-1 rounded-md border border-slate-200 p-1.5">
      <div className="space-y-1">
        <select aria-label="Column" value={rule.column} onChange={(e) => onChange({ ...rule, column: e.target.value })} className={`${inputClass} w-full`}>
          <option value="">Column…</option>
          {!column && rule.column !== "" && <option value={rule.column}>{rule.column} (not in the input)</option>}
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.type})
            </option>
          ))}
        </select>
        <select aria-label="Operator" value={rule.operator} onChange={(e) => onChange(withOperator(rule, e.target.value))} className={`${inputClass} w-full`}>
          {OPERATORS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {operands === 1 && <DraftInput aria-label="Value" value={rule.value} parse={read} format={formatScalar} onChange={(v) => onChange(withOperand(rule, "value", v))} className={`${inputClass} w-full`} />}
      {operands === 2 && (
        <div className="flex gap-1">
          <DraftInput aria-label="From" value={rule.value} parse={read} format={formatScalar} onChange={(v) => onChange(withOperand(rule, "value", v))} className={`${inputClass} min-w-0 flex-1`} />
          <DraftInput aria-label="To" value={rule.value2} parse={read} format={formatScalar} onChange={(v) => onChange(withOperand(rule, "value2", v))} className={`${inputClass} min-w-0 flex-1`} />
        </div>
      )}
      {operands === "list" && (
        <DraftInput
          aria-label="Values (comma-separated)"
          value={rule.values}
          parse={(text) => valuesFor(text, column)}
          format={(vs) => (vs ?? []).map(formatScalar).join(", ")}
          onChange={(values) => onChange(withValues(rule, values))}
          className={`${inputClass} w-full`}
        />
      )}
      {ignoresCase(rule.operator) && (
        <label className="flex items-center gap-1 text-xs text-slate-600">
          <input type="checkbox" checked={rule.ignoreCase === true} onChange={(e) => onChange({ ...rule, ignoreCase: e.target.checked })} />
          Ignore case
        </label>
      )}
      {/* A rule draws its fields in one row, so problems about any of them are placed at the rule (see conditionPaths). */}
      <Problems placed={placed} path={path} />
    </div>
  );
}
