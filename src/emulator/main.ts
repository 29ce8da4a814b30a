// `npm run emulator`: starts the seeded Bird emulator on PORT / EMULATOR_PORT (default 4010) with a living status lifecycle.
import { SEED } from './seed.ts';
import { startEmulator } from './server.ts';

const port = Number(process.env.EMULATOR_PORT ?? process.env.PORT ?? 4010);
const stepMs = 2000;

// EMULATOR_STRICT=1 refuses query names it does not implement; EMULATOR_IGNORE_FILTERS=direction,tag ignores those filters.
const strictQuery = process.env.EMULATOR_STRICT === '1';
const ignoreFilters = (process.env.EMULATOR_IGNORE_FILTERS ?? '').split(',').filter((name) => name.length > 0);
const emulator = await startEmulator({ port, lifecycle: stepMs, recordRequests: false, log: (line) => console.log(line), strictQuery, ignoreFilters });
const { main } = SEED.workspaces;
console.log(`Bird emulator listening on ${emulator.url}
  access key (all workspaces): ${SEED.accessKeys.demo}
  access key (workspace "${SEED.workspaces.second.name}" only): ${SEED.accessKeys.scoped}
  organization ${SEED.organizationId}, main workspace ${main.id}, SMS channel ${SEED.channels.sms.id}
  outgoing messages advance one status every ${stepMs} ms${strictQuery ? '\n  strict: unknown query names are refused with 400' : ''}${ignoreFilters.length > 0 ? `\n  ignoring the filters ${ignoreFilters.join(', ')}` : ''}

  curl -s -H 'Authorization: AccessKey ${SEED.accessKeys.demo}' '${emulator.url}/workspaces/${main.id}/channels/${SEED.channels.sms.id}/messages?limit=2'
`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
