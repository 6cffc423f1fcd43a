/** `npm run seed`: validates the seed files and loads them into the configured store, idempotently. */
import { ConfigError, loadConfig } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { openStore } from '../store/open-store.ts';
import { seedStore } from './seed.service.ts';

const log = (line: string) => console.error(line);

try {
  const config = loadConfig();
  const store = await openStore(config, log);
  try {
    console.log(`seeding the ${store.kind} store from ${config.seedDir} …`);
    let told = performance.now();
    const r = await seedStore(store, config.seedDir, (written, total) => {
      // A progress line at most every 2 s (a big seed on Neo4j takes a while in one transaction).
      if (performance.now() - told < 2000 || written === total) return;
      told = performance.now();
      console.log(`seed: ${written.toLocaleString('en')} of ${total.toLocaleString('en')} records written …`);
    });
    console.log(
      `seed: ${r.nodes} nodes and ${r.links} links read; ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`,
    );
  } finally {
    await store.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof DomainError) console.error(`seed failed: ${error.message}`);
  else console.error(error);
  process.exit(1);
}
