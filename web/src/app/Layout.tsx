import { useEffect, useRef } from "react";
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from "react-router";
import { hasRole, visibleAdminPages } from "../features/accounts/roles.ts";
import { useSession } from "../features/accounts/session-context.tsx";
import { useSignOut } from "../features/accounts/use-sign-out.ts";
import { useConfiguration } from "./configuration-context.tsx";

/** Page frame: skip link, header with identity and navigation, main content, footer. */
export function Layout() {
  const configuration = useConfiguration();
  const { plateforme, region, identite } = configuration;
  const mainRef = useRef<HTMLElement>(null);
  const location = useLocation();
  const isFirstRender = useRef(true);
  const { user } = useSession();

  // After client-side navigation, move focus to the new content so screen reader and keyboard
  // users start reading the new page, as after a full page load.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each path change on purpose.
  useEffect(() => {
    if (isFirstRender.current) {
      isFirstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <>
      <a className="lien-evitement" href="#contenu">
        Aller au contenu
      </a>
      <header className="entete">
        <div className="entete__bandeau conteneur">
          <Link to="/" className="entete__marque">
            <img src={identite.logo} alt="" className="entete__logo" width="48" height="48" />
            <span className="entete__noms">
              <span className="entete__plateforme">{plateforme.nom}</span>
              <span className="entete__region">Région {region.nom}</span>
            </span>
          </Link>
          <AccountArea />
        </div>
        <nav className="navigation-principale" aria-label="Navigation principale">
          <ul className="conteneur">
            <li>
              <NavLink to="/" end>
                Accueil
              </NavLink>
            </li>
            <li>
              <NavLink to={`/regions/${region.code}`}>Région {region.nom}</NavLink>
            </li>
            <li>
              <NavLink to="/observatoire">Observatoire THD</NavLink>
            </li>
            <li>
              <NavLink to="/adresses">Adresses</NavLink>
            </li>
            <li>
              <NavLink to="/eligibilite" end>
                Éligibilité
              </NavLink>
            </li>
            <li>
              <NavLink to="/eligibilite/lots">Éligibilité multi-sites</NavLink>
            </li>
            <li>
              <NavLink to="/catalogues">Catalogues</NavLink>
            </li>
            <li>
              <NavLink to="/a-propos-des-donnees">À propos des données</NavLink>
            </li>
            {user?.roles.some((g) => g.role === "operateur") && (
              <li>
                <NavLink to="/operateur/catalogues">Mes catalogues</NavLink>
              </li>
            )}
            {hasRole(user, ["operateur", "agent"]) && (
              <li>
                <NavLink to="/operateur/signalements">Signalements</NavLink>
              </li>
            )}
            {visibleAdminPages(user).map((page) => (
              <li key={page.path}>
                <NavLink to={page.path}>{page.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="contenu" tabIndex={-1} ref={mainRef} className="contenu conteneur">
        <Outlet />
      </main>
      <footer className="pied-de-page">
        <div className="conteneur pied-de-page__contenu">
          <p>
            {plateforme.nom} — plateforme open source de la Région {region.nom} (version {plateforme.version}).
          </p>
          <ul className="pied-de-page__liens">
            <li>
              <Link to="/a-propos-des-donnees">À propos des données</Link>
            </li>
          </ul>
        </div>
      </footer>
      <ScrollRestoration />
    </>
  );
}

/** Header corner: « Se connecter », or the signed-in person's name, « Mon compte » and « Se déconnecter ». */
function AccountArea() {
  const { state, user } = useSession();
  const { signOut, pending } = useSignOut();
  const location = useLocation();
  if (state.status === "loading") return null;
  if (!user) {
    // On the sign-in page itself, the link keeps its `retour`; elsewhere it brings the person back here.
    const onSignInPage = location.pathname === "/connexion";
    const retour = onSignInPage
      ? location.search
      : location.pathname === "/"
        ? ""
        : `?retour=${encodeURIComponent(location.pathname + location.search)}`;
    return (
      <div className="entete__compte">
        <Link to={`/connexion${retour}`} className="entete__lien" aria-current={onSignInPage ? "page" : undefined}>
          Se connecter
        </Link>
      </div>
    );
  }
  return (
    <div className="entete__compte">
      <span className="entete__utilisateur">
        <span className="visuellement-masque">Connecté·e : </span>
        {user.nom}
      </span>
      <Link to="/compte" className="entete__lien">
        Mon compte
      </Link>
      <button type="button" className="entete__bouton" onClick={() => void signOut()} disabled={pending}>
        Se déconnecter
      </button>
    </div>
  );
}
