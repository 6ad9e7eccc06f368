/**
 * Versioned schema changes, for every store. A store lists its migrations
 * in order (version 1, 2, …); at open it applies the ones its database has
 * not seen yet, each with the version it leaves behind, and refuses a
 * database written by a newer receiver than this one rather than guess at
 * its tables.
 */

export interface Migration {
  /** 1, 2, 3, …: the schema version the database has after this step. */
  version: number;
  /** What the step adds, for the log and the reader. */
  description: string;
  /** The statements, run in one transaction with the version update. */
  sql: string;
}

/** The database was written by a newer receiver: this one does not know its schema. */
export class NewerDatabaseError extends Error {
  override name = 'NewerDatabaseError';
  constructor(
    readonly where: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `${where} has schema version ${found}, but this receiver knows only up to version ${known}. ` +
        'It was written by a newer @akkoord/receiver: run that version (or newer) against it; this one will not touch it.',
    );
  }
}

/** The newest version `migrations` lead to. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** The steps a database at `current` still needs, in order; throws `NewerDatabaseError` for a newer one. */
export function pendingMigrations(current: number, migrations: readonly Migration[], where: string): Migration[] {
  const known = latestVersion(migrations);
  if (current > known) throw new NewerDatabaseError(where, current, known);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1, 2, 3, …; step ${i + 1} says ${m.version}`);
  });
  return migrations.filter((m) => m.version > current);
}
