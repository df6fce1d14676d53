import { TextField } from "../components/text-field.tsx";

/** The password field of every form that makes an account (owner setup, joining by invitation): one rule, one hint. */
export function NewPasswordField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error: string | undefined }) {
  return (
    <TextField
      label="Password"
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint="At least 10 characters."
      required
    />
  );
}
