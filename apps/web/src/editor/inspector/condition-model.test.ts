import { describe, expect, it } from "vitest";
import { getNodeDefinition } from "@sluice/pipeline";
import { newGroup, newRule, operandFor, OPERATORS, valueFor, valuesFor, withOperand, withOperator, type Rule } from "./condition-model.ts";

const age = { name: "age", type: "bigint" } as const;
const code = { name: "code", type: "string" } as const;

describe("filter's condition builder model", () => {
  it("keeps only the operands an operator uses when it changes", () => {
    const rule: Rule = { kind: "rule", column: "age", operator: "=", value: 18, ignoreCase: true };
    // The operand it does not have yet stays absent (incomplete), not null (applied, keeping no rows).
    expect(withOperator(rule, "between")).toEqual({ kind: "rule", column: "age", operator: "between", value: 18 });
    expect(withOperator({ kind: "rule", column: "age", operator: "=" }, "in")).toEqual({ kind: "rule", column: "age", operator: "in" });
    expect(withOperator(rule, "in")).toEqual({ kind: "rule", column: "age", operator: "in", values: [18] });
    expect(withOperator(rule, "is_null")).toEqual({ kind: "rule", column: "age", operator: "is_null" });
    expect(withOperator({ kind: "rule", column: "age", operator: "in", values: [1, 2] }, "=")).toEqual({ kind: "rule", column: "age", operator: "=", value: 1 });
    // Ignore case means something to text tests only, so it is dropped elsewhere and kept there.
    expect(withOperator({ ...rule, operator: "contains", value: "x" }, "starts_with").ignoreCase).toBe(true);
  });

  it("reads typed values for the column: text stays text, numbers become numbers", () => {
    expect(valueFor("007", code)).toBe("007");
    expect(valueFor("null", code)).toBe("null");
    expect(valueFor("18", age)).toBe(18);
    expect(valueFor("null", age)).toBe(null);
    expect(valueFor("true", { name: "ok", type: "boolean" })).toBe(true);
    expect(valueFor("2024-01-31", { name: "d", type: "date" })).toBe("2024-01-31");
    expect(valuesFor("1, 2,, 3 ", age)).toEqual([1, 2, 3]);
    expect(valuesFor("A01, b", code)).toEqual(["A01", "b"]);
    expect(valuesFor(" , ", code)).toBeUndefined();
    expect(operandFor("", age)).toBeUndefined();
    expect(operandFor("null", age)).toBeNull();
  });

  it("adds a rule that filters nothing until it has a value, and an emptied box takes the value away", () => {
    const fresh = newRule([age]);
    expect(fresh).toEqual({ kind: "rule", column: "age", operator: "=" });
    const filter = getNodeDefinition("filter")!;
    const config = filter.configSchema.parse({ condition: { kind: "group", op: "and", conditions: [fresh] } });
    expect(filter.summary(config)).toBe("keep all rows");
    expect(filter.warnings?.(config)).toMatchObject([{ code: "INCOMPLETE_CONDITION", field: "condition.conditions.0.value" }]);
    expect(withOperand({ ...fresh, value: 18 }, "value", operandFor("", age))).toEqual(fresh);
  });

  it("names each operator as the node card does: one word for one thing", () => {
    const filter = getNodeDefinition("filter")!;
    const label = (operator: string) => OPERATORS.find((o) => o.value === operator)?.label;
    expect(label("is_null")).toBe("is null");
    expect(label("is_not_null")).toBe("is not null");
    for (const o of OPERATORS) {
      const rule = { kind: "rule", column: "c", operator: o.value, value: 1, value2: 2, values: [1] };
      const summary = filter.summary(filter.configSchema.parse({ condition: { kind: "group", op: "and", conditions: [rule] } }));
      expect(summary.startsWith(`keep c ${o.label}`), summary).toBe(true);
    }
  });

  it("builds rules and groups the filter node accepts", () => {
    const filter = getNodeDefinition("filter")!;
    const root = { kind: "group" as const, op: "and" as const, conditions: [] };
    const condition = { ...root, conditions: [{ ...newRule([age]), value: valueFor("18", age) }, newGroup(root)] };
    expect(filter.configSchema.safeParse({ condition }).success).toBe(true);
    expect(newGroup(root).op).toBe("or");
  });
});
