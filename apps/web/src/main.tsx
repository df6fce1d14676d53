import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createBrowserRouter, RouterProvider } from "react-router-dom";
import "./index.css";
import { Layout } from "./layout.tsx";
import { HomePage } from "./pages/home.page.tsx";
import { PipelinesPage } from "./pages/pipelines.page.tsx";
import { PipelineDetailPage } from "./pages/pipeline-detail.page.tsx";

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: "/", element: <HomePage /> },
      { path: "/pipelines", element: <PipelinesPage /> },
      { path: "/pipelines/:id", element: <PipelineDetailPage /> },
      { path: "*", element: <p className="text-slate-600">This page does not exist.</p> },
    ],
  },
]);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
