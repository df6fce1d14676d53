import { createBrowserRouter, type RouteObject } from "react-router-dom";
import { appPages } from "./app-pages.ts";
import { Layout } from "./layout.tsx";
import { NotFoundPage, RouteErrorPage } from "../pages/not-found.page.tsx";

const pageRoutes: RouteObject[] = appPages.map((p) => ("lazy" in p ? { path: p.path, lazy: p.lazy } : { path: p.path, Component: p.Component }));

export const router = createBrowserRouter([
  {
    Component: Layout,
    ErrorBoundary: RouteErrorPage,
    children: [...pageRoutes, { path: "*", Component: NotFoundPage }],
  },
]);
