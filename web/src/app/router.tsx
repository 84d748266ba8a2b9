import { createBrowserRouter } from "react-router";
import { AboutDataPage } from "../features/about/AboutDataPage.tsx";
import { HomePage } from "../features/territory/HomePage.tsx";
import { TerritoryPage } from "../features/territory/TerritoryPage.tsx";
import { Layout } from "./Layout.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";
import { RouteErrorPage } from "./RouteErrorPage.tsx";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "regions/:code", element: <TerritoryPage niveau="regions" /> },
      { path: "departements/:code", element: <TerritoryPage niveau="departements" /> },
      { path: "epci/:code", element: <TerritoryPage niveau="epci" /> },
      { path: "communes/:code", element: <TerritoryPage niveau="communes" /> },
      { path: "a-propos-des-donnees", element: <AboutDataPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
