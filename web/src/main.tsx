import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { ConfigurationProvider } from "./app/configuration-context.tsx";
import { router } from "./app/router.tsx";
import { SessionProvider } from "./features/accounts/session-context.tsx";
import "./theme/global.css";

const rootElement = document.getElementById("root");
if (!rootElement) throw new Error("Missing #root element in index.html");

createRoot(rootElement).render(
  <StrictMode>
    <ConfigurationProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </ConfigurationProvider>
  </StrictMode>,
);
