import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ConfigurationProvider } from "./app/configuration-context.tsx";
import { router } from "./app/router.tsx";
import "./theme/global.css";

const rootElement = document.getElementById("root");
if (!rootElement) throw new Error("Missing #root element in index.html");

createRoot(rootElement).render(
  <StrictMode>
    <ConfigurationProvider>
      <RouterProvider router={router} />
    </ConfigurationProvider>
  </StrictMode>,
);
