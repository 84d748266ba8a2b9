import { lazy, type ReactNode, Suspense } from "react";
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

// Multi-site eligibility (upload, then the job's page), loaded when visited.
const BatchUploadPage = lazy(() =>
  import("../features/eligibility-batch/BatchUploadPage.tsx").then((module) => ({ default: module.BatchUploadPage })),
);
const BatchJobPage = lazy(() =>
  import("../features/eligibility-batch/BatchJobPage.tsx").then((module) => ({ default: module.BatchJobPage })),
);

// Address anomalies: the report form, the follow page and the operators' inbox, loaded when visited.
const ReportAnomalyPage = lazy(() =>
  import("../features/anomalies/ReportAnomalyPage.tsx").then((module) => ({ default: module.ReportAnomalyPage })),
);
const FollowAnomalyPage = lazy(() =>
  import("../features/anomalies/FollowAnomalyPage.tsx").then((module) => ({ default: module.FollowAnomalyPage })),
);
const AnomalyInboxPage = lazy(() =>
  import("../features/anomalies/AnomalyInboxPage.tsx").then((module) => ({ default: module.AnomalyInboxPage })),
);

// Service catalogues: the public comparison and network pages, the operators' publication page.
const CataloguesPage = lazy(() =>
  import("../features/catalogues/CataloguesPage.tsx").then((module) => ({ default: module.CataloguesPage })),
);
const CatalogueNetworkPage = lazy(() =>
  import("../features/catalogues/CatalogueNetworkPage.tsx").then((module) => ({
    default: module.CatalogueNetworkPage,
  })),
);
const OperatorCataloguePage = lazy(() =>
  import("../features/catalogues/OperatorCataloguePage.tsx").then((module) => ({
    default: module.OperatorCataloguePage,
  })),
);
const OperatorCataloguesIndex = lazy(() =>
  import("../features/catalogues/OperatorCataloguesIndex.tsx").then((module) => ({
    default: module.OperatorCataloguesIndex,
  })),
);
const lazyPage = (page: ReactNode) => <Suspense fallback={<LoadingStatus />}>{page}</Suspense>;

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
      {
        path: "eligibilite/lots",
        element: (
          <Suspense fallback={<LoadingStatus />}>
            <BatchUploadPage />
          </Suspense>
        ),
      },
      {
        path: "eligibilite/lots/:id",
        element: (
          <Suspense fallback={<LoadingStatus />}>
            <BatchJobPage />
          </Suspense>
        ),
      },
      {
        path: "eligibilite/signalement",
        element: (
          <Suspense fallback={<LoadingStatus />}>
            <ReportAnomalyPage />
          </Suspense>
        ),
      },
      {
        path: "signalements/:jeton",
        element: (
          <Suspense fallback={<LoadingStatus />}>
            <FollowAnomalyPage />
          </Suspense>
        ),
      },
      {
        path: "operateur/signalements",
        element: (
          <RequireAccess roles={["operateur", "agent"]}>
            <Suspense fallback={<LoadingStatus />}>
              <AnomalyInboxPage />
            </Suspense>
          </RequireAccess>
        ),
      },
      { path: "catalogues", element: lazyPage(<CataloguesPage />) },
      { path: "catalogues/:reseau", element: lazyPage(<CatalogueNetworkPage />) },
      {
        path: "operateur/catalogues",
        element: <RequireAccess roles={["operateur"]}>{lazyPage(<OperatorCataloguesIndex />)}</RequireAccess>,
      },
      {
        path: "operateur/catalogues/:reseau",
        element: <RequireAccess roles={["operateur"]}>{lazyPage(<OperatorCataloguePage />)}</RequireAccess>,
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
