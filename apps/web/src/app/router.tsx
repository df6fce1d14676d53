import { createBrowserRouter, type RouteObject } from "react-router-dom";
import { appPages, signedOutPages, type AppPage } from "./app-pages.ts";
import { Layout } from "./layout.tsx";
import { SignedOutLayout } from "./signed-out-layout.tsx";
import { NotFoundPage, RouteErrorPage } from "../pages/not-found.page.tsx";

const routesOf = (pages: AppPage[]): RouteObject[] => pages.map((p) => ("lazy" in p ? { path: p.path, lazy: p.lazy } : { path: p.path, Component: p.Component }));

export const router = createBrowserRouter([
  { Component: SignedOutLayout, ErrorBoundary: RouteErrorPage, children: routesOf(signedOutPages) },
  {
    Component: Layout,
    ErrorBoundary: RouteErrorPage,
    children: [...routesOf(appPages), { path: "*", Component: NotFoundPage }],
  },
]);
