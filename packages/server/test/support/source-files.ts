import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `directory`, at any depth, whose name `include` accepts. */
export function filesUnder(directory: string, include: (name: string) => boolean): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(directory, entry.name), include)
      : include(entry.name)
        ? [join(directory, entry.name)]
        : [],
  );
}
