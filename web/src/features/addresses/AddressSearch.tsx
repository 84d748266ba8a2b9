import { useRef, useState } from "react";
import { ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from "react-aria-components";
import { addressApi } from "../../app/api-client.ts";
import type { AddressFeature } from "../../app/api-types.ts";
import { plural } from "../../app/format.ts";
import { useDebouncedSearch } from "../../app/use-debounced-search.ts";

/** The API refuses shorter queries (400). */
export const MIN_QUERY_LENGTH = 3;
const RESULT_LIMIT = 5;

export interface AddressSearchProps {
  /** Called with the chosen address. */
  onSelect: (feature: AddressFeature) => void;
  /** Visible label of the field. */
  label?: string;
  /** Help text under the label. */
  description?: string;
  /** Initial text of the field (the address already chosen, for instance). */
  defaultInputValue?: string;
}

/**
 * Accessible address combobox (national address API format): queries as the user types, from three
 * characters, and hands the chosen address to `onSelect`. Loading, no result and errors are announced
 * in a polite live region.
 */
export function AddressSearch({
  onSelect,
  label = "Rechercher une adresse",
  description = "Saisissez au moins trois caractères (numéro, voie, commune), puis choisissez une adresse dans la liste.",
  defaultInputValue = "",
}: AddressSearchProps) {
  const [inputValue, setInputValue] = useState(defaultInputValue);
  // Text put in the field by a selection (or given at start): it is not a new query.
  const settledValue = useRef<string | null>(defaultInputValue || null);
  const { results, status } = useDebouncedSearch(
    inputValue === settledValue.current ? null : inputValue,
    (text, signal) => addressApi.search(text.slice(0, 200), signal, RESULT_LIMIT).then((c) => c.features),
    MIN_QUERY_LENGTH,
  );
  const changeInput = (value: string) => {
    if (value !== settledValue.current) settledValue.current = null;
    setInputValue(value);
  };

  const statusMessage =
    status === "loading"
      ? "Recherche en cours…"
      : status === "error"
        ? "La recherche a échoué. Réessayez."
        : status === "done"
          ? results.length === 0
            ? "Aucune adresse ne correspond à cette recherche."
            : `${plural(results.length, "adresse proposée", "adresses proposées")}.`
          : "";

  return (
    <ComboBox
      className="recherche-commune recherche-adresse"
      items={results}
      inputValue={inputValue}
      onInputChange={changeInput}
      onSelectionChange={(key) => {
        if (key === null) return;
        const feature = results.find((f) => f.properties.id === key);
        if (!feature) return;
        settledValue.current = feature.properties.label;
        setInputValue(feature.properties.label);
        onSelect(feature);
      }}
      menuTrigger="input"
      // Open as soon as a query is long enough, so the list can say why it is empty.
      allowsEmptyCollection={inputValue.trim().length >= MIN_QUERY_LENGTH}
      allowsCustomValue
    >
      <Label className="recherche-commune__libelle">{label}</Label>
      <Input className="recherche-commune__saisie" placeholder="Ex. : 8 rue Écuyère Caen" autoComplete="off" />
      <Text slot="description" className="recherche-commune__aide">
        {description}
      </Text>
      <p className="visuellement-masque" role="status">
        {statusMessage}
      </p>
      <Popover className="recherche-commune__popover" placement="bottom start">
        <ListBox<AddressFeature>
          className="recherche-commune__liste"
          dependencies={[status]}
          renderEmptyState={() => (
            <p className="recherche-commune__vide">
              {status === "error"
                ? "La recherche a échoué. Réessayez."
                : status === "done"
                  ? "Aucune adresse ne correspond à cette recherche."
                  : "Recherche en cours…"}
            </p>
          )}
        >
          {(feature) => (
            <ListBoxItem
              id={feature.properties.id}
              // The field shows the label alone once the address is chosen.
              textValue={feature.properties.label}
              className="recherche-commune__option"
            >
              {feature.properties.label}
              <span className="recherche-adresse__contexte"> — {feature.properties.context}</span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
