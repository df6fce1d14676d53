import path from "node:path";

/** The owner account auth.setup.ts creates on the first visit. */
export const OWNER = { email: "owner@sluice.test", name: "Olivia Owner", password: "a long owner password" };

/** The owner's signed-in browser state, written by auth.setup.ts (in the run's data folder, removed after). */
export const ownerState = () => path.join(process.env.SLUICE_E2E_DATA!, "owner-state.json");

/** People the test OpenID Connect provider knows (e2e/playwright.config.ts starts it); Sluice allows sso.sluice.test. */
export const SSO_ACCOUNTS = [
  { id: "sam", email: "sam@sso.sluice.test", emailVerified: true, name: "Sam Single" },
  { id: "eve", email: "eve@elsewhere.test", emailVerified: true, name: "Eve Elsewhere" },
];
