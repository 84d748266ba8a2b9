import { Command, CommanderError } from "commander";
import { ConfigError } from "../shared/config/config.ts";
import { MigrationError } from "../shared/db/migrator.ts";
import { adminCommand, CliError, keysCommand, outboxCommand, usersCommand } from "./commands/accounts.ts";
import { importCommand } from "./commands/import.ts";
import { migrateCommand } from "./commands/migrate.ts";
import { serveCommand } from "./commands/serve.ts";

const program = new Command()
  .name("territoire")
  .description(
    "Territoire Numérique : plateforme de la transformation numérique d'une Région.\n" +
      "Variables d'environnement : DATABASE_URL (défaut sqlite:./data/territoire.db), PORT (défaut 3000),\n" +
      "TERRITOIRE_REGION (code INSEE de la région, défaut 28), TERRITOIRE_NOM, TERRITOIRE_COULEUR_PRIMAIRE,\n" +
      "TERRITOIRE_COULEUR_ACCENT, TERRITOIRE_LOGO.",
  )
  .showHelpAfterError("(territoire --help pour l'aide)")
  .exitOverride();

program.addCommand(serveCommand());
program.addCommand(migrateCommand());
program.addCommand(importCommand());
program.addCommand(adminCommand());
program.addCommand(usersCommand());
program.addCommand(keysCommand());
program.addCommand(outboxCommand());
program.addCommand((await import("../modules/addresses/addresses.cli.ts")).addressCommands(program));
program.addCommand((await import("../modules/broadband/broadband.cli.ts")).broadbandCommands(program));
program.addCommand((await import("./commands/eligibility.ts")).eligibilityCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError || error instanceof MigrationError || error instanceof CliError) {
    process.stderr.write(`Erreur : ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
