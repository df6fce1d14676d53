import type { ComponentProps } from "react";

const variants = {
  primary: "bg-cyan-700 text-white hover:bg-cyan-800 disabled:bg-cyan-700/50",
  secondary: "bg-white text-slate-800 border border-slate-300 hover:bg-slate-100 disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-600/50",
  ghost: "text-slate-700 hover:bg-slate-200/70 disabled:text-slate-400",
} as const;

export type ButtonVariant = keyof typeof variants;

/** A button that does not submit forms unless asked to (type="submit"). */
export function Button({ variant = "secondary", className = "", type = "button", ...props }: ComponentProps<"button"> & { variant?: ButtonVariant }) {
  return (
    <button
      type={type}
      {...props}
      className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed ${variants[variant]} ${className}`}
    />
  );
}
