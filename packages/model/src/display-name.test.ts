import { describe, expect, it } from "vitest";
import { displayNameSchema } from "./display-name.ts";

describe("display names", () => {
  it("keep ordinary names, accents, emoji and right-to-left scripts, trimmed", () => {
    for (const name of ["Orders", "Ümsatz — März 2026", "📦 shipments", "מכירות", "  padded  "]) {
      expect(displayNameSchema.safeParse(name)).toMatchObject({ success: true, data: name.trim() });
    }
  });

  it("refuse every control and text-direction character, wherever it stands", () => {
    const hostile = ["\u001b]52;c;Y3VybCBldmlsfHNo\u0007", "\u001b[31mred", "a\r\nFAKE: ok", "tab\there", "\u007f", "\u009b31m", "evil\u202egnp.exe", "\u2066x\u2069", "\u200fx", "\u061cx"];
    for (const h of hostile) {
      for (const name of [`x${h}`, `${h}x`, `x${h}y`]) {
        const r = displayNameSchema.safeParse(name);
        expect(r.success, JSON.stringify(name)).toBe(false);
      }
    }
  });
});
