import { useState } from "react";
import { ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from "react-aria-components";
import { useNavigate } from "react-router";
import { api } from "../../app/api-client.ts";
import type { TerritoireResume } from "../../app/api-types.ts";
import { useAsync } from "../../app/use-async.ts";
import { useDebouncedSearch } from "../../app/use-debounced-search.ts";
import { territoryPath } from "./territory-levels.ts";

/** Commune search combobox: queries the API as the user types and opens the chosen commune's page. */
export function CommuneSearch({ regionCode }: { regionCode: string }) {
  const navigate = useNavigate();
  const [inputValue, setInputValue] = useState("");
  const departements = useAsync(`departements-${regionCode}`, () =>
    api.list("departements", { region: regionCode, limit: 500 }),
  );
  const departementNames = new Map(
    departements.status === "success" ? departements.data.results.map((d) => [d.code, d.nom]) : [],
  );

  const { results, status } = useDebouncedSearch(
    inputValue,
    (query, signal) => api.list("communes", { q: query, limit: 10, region: regionCode }, signal).then((p) => p.results),
    2,
  );

  const optionLabel = (commune: TerritoireResume) => {
    const postcodes = commune.codesPostaux.length > 0 ? ` (${commune.codesPostaux.join(", ")})` : "";
    const departement = commune.departement ? departementNames.get(commune.departement) : undefined;
    return `${commune.nom}${postcodes}${departement ? ` — ${departement}` : ""}`;
  };

  return (
    <ComboBox
      className="recherche-commune"
      items={results}
      inputValue={inputValue}
      onInputChange={setInputValue}
      onSelectionChange={(key) => {
        if (key !== null) navigate(territoryPath("communes", String(key)));
      }}
      menuTrigger="input"
      // Open as soon as a query is typed, so the list can say « Recherche en cours… » before results arrive.
      allowsEmptyCollection={inputValue.trim().length >= 2}
    >
      <Label className="recherche-commune__libelle">Rechercher une commune</Label>
      <Input className="recherche-commune__saisie" placeholder="Nom ou code postal" />
      <Text slot="description" className="recherche-commune__aide">
        Saisissez au moins deux caractères, puis choisissez une commune dans la liste.
      </Text>
      <p className="visuellement-masque" role="status">
        {status === "loading" ? "Recherche en cours…" : ""}
        {status === "error" ? "La recherche a échoué. Réessayez." : ""}
      </p>
      <Popover className="recherche-commune__popover" placement="bottom start">
        <ListBox<TerritoireResume>
          className="recherche-commune__liste"
          dependencies={[departements.status]}
          renderEmptyState={() => (
            <p className="recherche-commune__vide">
              {status === "error"
                ? "La recherche a échoué. Réessayez."
                : "Aucune commune ne correspond à cette recherche."}
            </p>
          )}
        >
          {(commune) => (
            <ListBoxItem id={commune.code} textValue={optionLabel(commune)} className="recherche-commune__option">
              {optionLabel(commune)}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
