// prepack of @parley/server: copies the built demo page, admin console and SDK browser bundles
// into public/ (what the installed package serves at /, /admin and /sdk/); postpack (`clean`)
// removes them again, so the repository's server keeps serving the repository's fresh builds.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const publicDir = here('../public/');
fs.rmSync(publicDir, { recursive: true, force: true });
if (process.argv[2] === 'clean') process.exit(0);
const parts = {
  demo: here('../../../apps/demo/dist/'),
  admin: here('../../../apps/admin/dist/'),
  sdk: here('../../sdk/dist/browser/'),
};
for (const [name, from] of Object.entries(parts)) {
  if (!fs.existsSync(from)) {
    console.error(
      `pack-static: ${from} is missing: run \`npm run build\` at the repository root first`,
    );
    process.exit(1);
  }
  fs.cpSync(from, `${publicDir}${name}`, { recursive: true });
}
