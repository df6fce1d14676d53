import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router-dom";
import "./index.css";
import { meKey } from "./api/auth.queries.ts";
import { ApiError } from "./api/client.ts";
import { listenForChanges } from "./api/cross-tab.ts";
import { sessionEvents } from "./api/session-events.ts";
import { isSignedOutPath, signInPath } from "./auth/return-to.ts";
import { router } from "./app/router.tsx";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a dropped connection or a 5xx might.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

// Connections and files changed in another tab of this browser: lists and pickers here ask again.
listenForChanges(queryClient);

// What the request layer reports, turned into places to go; the one reaction to a lost session.
sessionEvents.subscribe((event) => {
  const here = router.state.location;
  if (event === "workspace-gone") {
    // Removed from the workspace we were in: start again in our first one, whose data nothing here holds.
    void queryClient.resetQueries();
    void router.navigate("/", { replace: true });
    return;
  }
  // Signed-out pages ask GET /api/me to learn whether someone is signed in; a 401 there is an answer, not a loss.
  if (isSignedOutPath(here.pathname)) return;
  // Who we were is no longer known: the sign-in page must not take the old answer for a session and send us back.
  queryClient.removeQueries({ queryKey: meKey });
  void router.navigate(signInPath(here), { replace: true });
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
