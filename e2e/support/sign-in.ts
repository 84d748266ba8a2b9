import type { Page } from "playwright-core";
import { DEMO_ACCOUNTS, type DemoAccount } from "../../src/modules/accounts/demo-accounts/demo-accounts.ts";

export type Credentials = Pick<DemoAccount, "email" | "motDePasse">;

/** The demo account with this role (demo mode creates it; its password is public by design). */
export function demoAccount(role: string): DemoAccount {
  const account = DEMO_ACCOUNTS.find((a) => a.roles.some((grant) => grant.role === role));
  if (!account) throw new Error(`compte de démonstration « ${role} » absent`);
  return account;
}

/** Fills and sends the sign-in form of the page shown (/connexion), as a person would. */
export async function fillSignInForm(page: Page, account: Credentials): Promise<void> {
  await page.getByRole("textbox", { name: "Adresse e-mail" }).fill(account.email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(account.motDePasse);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
}

/** Signs in through /connexion and waits for « Mon compte », where the form leads. */
export async function signIn(page: Page, serverUrl: string, account: Credentials): Promise<void> {
  await page.goto(`${serverUrl}/connexion`);
  await fillSignInForm(page, account);
  await page.waitForURL(/\/compte$/);
}
