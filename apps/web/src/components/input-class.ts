/** The look of a small full-width input or select in side panels (parameters, schedules). */
export const panelInputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus:ring-2 focus:ring-cyan-600/30 focus:outline-none";
