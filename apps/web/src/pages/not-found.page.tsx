import { isRouteErrorResponse, Link, useRouteError } from "react-router-dom";
import { ErrorBanner } from "../components/error-banner.tsx";

export function NotFoundPage() {
  return (
    <div className="max-w-xl">
      <h1 className="mb-2 text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">
        There is no page at this address.{" "}
        <Link to="/" className="font-medium text-cyan-800 hover:underline">
          Go to Home
        </Link>
      </p>
    </div>
  );
}

/** Shown instead of the whole app when a page fails to load or render. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error;
  return (
    <div className="max-w-xl p-8">
      <h1 className="mb-2 text-2xl font-semibold">Something went wrong</h1>
      <ErrorBanner error={message} action={<a href="/" className="font-medium underline">Reload Sluice</a>} />
    </div>
  );
}
