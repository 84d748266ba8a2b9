import { lazy, Suspense } from "react";
import { createBrowserRouter } from "react-router";
import { AboutDataPage } from "../features/about/AboutDataPage.tsx";
import { AccountPage } from "../features/accounts/AccountPage.tsx";
import { PasswordForgotPage } from "../features/accounts/PasswordForgotPage.tsx";
import { PasswordResetPage } from "../features/accounts/PasswordResetPage.tsx";
import { RequireAccess } from "../features/accounts/RequireAccess.tsx";
import { ADMIN_PAGES } from "../features/accounts/roles.ts";
import { SignInPage } from "../features/accounts/SignInPage.tsx";
import { AddressPage } from "../features/addresses/AddressPage.tsx";
import { ApiKeysPage } from "../features/admin/ApiKeysPage.tsx";
import { AuditLogPage } from "../features/admin/AuditLogPage.tsx";
import { UsersPage } from "../features/admin/UsersPage.tsx";
import { HomePage } from "../features/territory/HomePage.tsx";
import { TerritoryPage } from "../features/territory/TerritoryPage.tsx";
import { LoadingStatus } from "../ui/LoadingStatus.tsx";
import { Layout } from "./Layout.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";
import { RouteErrorPage } from "./RouteErrorPage.tsx";

// The observatory (charts, two maps) is loaded only when visited.
const ObservatoryPage = lazy(() =>
  import("../features/observatory/ObservatoryPage.tsx").then((module) => ({ default: module.ObservatoryPage })),
);
const observatory = (
  <Suspense fallback={<LoadingStatus />}>
    <ObservatoryPage />
  </Suspense>
);

// The eligibility page is loaded only when visited, like the observatory.
const EligibilityPage = lazy(() =>
  import("../features/eligibility/EligibilityPage.tsx").then((module) => ({ default: module.EligibilityPage })),
);

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
      { path: "observatoire", element: observatory },
      { path: "observatoire/:niveau/:code", element: observatory },
      { path: "adresses", element: <AddressPage /> },
      {
        path: "eligibilite",
        element: (
          <Suspense fallback={<LoadingStatus />}>
            <EligibilityPage />
          </Suspense>
        ),
      },
      { path: "a-propos-des-donnees", element: <AboutDataPage /> },
      { path: "connexion", element: <SignInPage /> },
      { path: "mot-de-passe/oubli", element: <PasswordForgotPage /> },
      { path: "mot-de-passe/nouveau", element: <PasswordResetPage /> },
      {
        path: "compte",
        element: (
          <RequireAccess>
            <AccountPage />
          </RequireAccess>
        ),
      },
      {
        path: "admin/utilisateurs",
        element: (
          <RequireAccess roles={ADMIN_PAGES.utilisateurs.roles}>
            <UsersPage />
          </RequireAccess>
        ),
      },
      {
        path: "admin/cles",
        element: (
          <RequireAccess roles={ADMIN_PAGES.cles.roles}>
            <ApiKeysPage />
          </RequireAccess>
        ),
      },
      {
        path: "admin/journal",
        element: (
          <RequireAccess roles={ADMIN_PAGES.journal.roles}>
            <AuditLogPage />
          </RequireAccess>
        ),
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
