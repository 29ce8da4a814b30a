// `npm run webhooks:register`: creates or updates this server's Bird webhook subscriptions (PUBLIC_URL/webhooks/bird, signed with WEBHOOK_SIGNING_KEY); lists first, never duplicates.
//
// Reads the same environment as the server (src/config.ts): BIRD_ACCESS_KEY, BIRD_ORGANIZATION_ID, PUBLIC_URL and
// WEBHOOK_SIGNING_KEY are required; WEBHOOK_WORKSPACE_IDS picks workspaces (default: every workspace the key lists);
// BIRD_API_URL points it at another Bird (an emulator started with `npm run emulator`). Run it again after adding a
// channel of a new platform, or after rotating the signing key: it updates what exists and creates only what is missing.
import { createBirdClient } from '../src/bird/client.ts';
import { createWebhookSubscriptionClient } from '../src/bird/webhook-subscriptions.ts';
import { type Config, birdClientOptions, loadConfig } from '../src/config.ts';
import { registerWebhooks, registrationOf } from '../src/live/registration.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail((error as Error).message);
}
if (config.demo) {
  fail(
    'webhooks:register talks to a real Bird (or an emulator at BIRD_API_URL), not demo mode: `npm start` in demo mode registers its own ' +
      'webhooks with the embedded emulator at boot. Set BIRD_ACCESS_KEY (and BIRD_API_URL for an emulator).',
  );
}
const missing = [
  config.bird.accessKey === null && 'BIRD_ACCESS_KEY',
  config.bird.organizationId === null && 'BIRD_ORGANIZATION_ID',
  config.publicUrl === null && 'PUBLIC_URL (the https base Bird can reach, e.g. https://graph.example.com)',
  config.live.signingKey === null && 'WEBHOOK_SIGNING_KEY (the same value the server runs with)',
].filter(Boolean);
if (missing.length > 0) fail(`webhooks:register needs:\n${missing.map((name) => ` - ${name}`).join('\n')}`);

const registration = registrationOf(config, config.publicUrl as string);
const bird = createBirdClient(birdClientOptions(config.bird));
const subscriptions = createWebhookSubscriptionClient(birdClientOptions(config.bird));
try {
  console.log(`Registering ${registration.receiverUrl} with ${config.bird.apiUrl} …`);
  const reports = await registerWebhooks({ bird, subscriptions, ...registration, log: (line) => console.log(`  ${line}`) });
  const failed = reports.flatMap((r) => r.failed.map((f) => `${r.workspaceId} ${f.event}: ${f.error}`));
  // One machine-readable line last, for scripts and tests.
  console.log(JSON.stringify({ workspaces: reports.map(({ workspaceId, events, created, updated, removed }) => ({ workspaceId, events, created, updated, removed })) }));
  if (failed.length > 0) fail(`Failed:\n${failed.map((line) => ` - ${line}`).join('\n')}`);
} finally {
  await bird.close();
  await subscriptions.close();
}
