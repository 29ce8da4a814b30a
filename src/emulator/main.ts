// `npm run emulator`: starts the seeded Bird emulator on PORT / EMULATOR_PORT (default 4010) with a living status lifecycle and loopback webhooks.
import { SEED } from './seed.ts';
import { startEmulator } from './server.ts';

const port = Number(process.env.EMULATOR_PORT ?? process.env.PORT ?? 4010);
const stepMs = 2000;
const failureRate = 0.1;

// EMULATOR_STRICT=1 refuses query names it does not implement; EMULATOR_IGNORE_FILTERS=direction,tag ignores those filters.
const strictQuery = process.env.EMULATOR_STRICT === '1';
const ignoreFilters = (process.env.EMULATOR_IGNORE_FILTERS ?? '').split(',').filter((name) => name.length > 0);
// A local tool: webhook subscriptions may point at http://127.0.0.1 / localhost (Bird itself admits https only).
const emulator = await startEmulator({
  port,
  lifecycle: { stepMs, failureRate },
  webhooks: { allowLoopbackUrls: true },
  recordRequests: false,
  log: (line) => console.log(line),
  strictQuery,
  ignoreFilters,
});
const { main } = SEED.workspaces;
const auth = `-H 'Authorization: AccessKey ${SEED.accessKeys.demo}'`;
console.log(`Bird emulator listening on ${emulator.url}
  access key (all workspaces): ${SEED.accessKeys.demo}
  access key (workspace "${SEED.workspaces.second.name}" only): ${SEED.accessKeys.scoped}
  organization ${SEED.organizationId}, main workspace ${main.id}, SMS channel ${SEED.channels.sms.id}
  outgoing messages advance one status every ${stepMs} ms (${failureRate * 100} % end in a failure)${strictQuery ? '\n  strict: unknown query names are refused with 400' : ''}${ignoreFilters.length > 0 ? `\n  ignoring the filters ${ignoreFilters.join(', ')}` : ''}
  webhook subscriptions may use http://127.0.0.1 and localhost URLs

  curl -s ${auth} '${emulator.url}/workspaces/${main.id}/channels/${SEED.channels.sms.id}/messages?limit=2'
  curl -s ${auth} -H 'content-type: application/json' -d '{"channelId":"${SEED.channels.sms.id}","text":"Hello"}' ${emulator.url}/_emulator/inbound
`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
