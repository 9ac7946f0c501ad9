// Runs `npm ci` here unless node_modules already holds exactly what package-lock.json pins.
// The gateway's Maven build calls this (generate-test-resources) so that `mvn verify` alone installs the pinned
// ccxt that CcxtBotTest drives; a second build with nothing changed skips npm (and the network) entirely.
//
// "Exactly what the lock pins": npm ci writes node_modules/.package-lock.json (npm's hidden lockfile) listing what
// it installed; every package of package-lock.json must appear there with the same version and integrity, and its
// package.json must be on disk. Anything else (no node_modules, a changed lock, a half-deleted tree) reinstalls.
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function packages(file) {
    try {
        return JSON.parse(readFileSync(file, 'utf8')).packages ?? {};
    } catch {
        return null;
    }
}

function staleReason() {
    const wanted = packages(join(here, 'package-lock.json'));
    if (wanted === null) {
        throw new Error('cannot read ' + join(here, 'package-lock.json'));
    }
    const installed = packages(join(here, 'node_modules', '.package-lock.json'));
    if (installed === null) {
        return 'node_modules is not installed';
    }
    for (const [path, want] of Object.entries(wanted)) {
        if (path === '' || want.dev || want.optional) {
            continue;
        }
        const have = installed[path];
        if (!have || have.version !== want.version || have.integrity !== want.integrity) {
            return path + ' is not the pinned ' + want.version;
        }
        if (!existsSync(join(here, path, 'package.json'))) {
            return path + ' is missing from disk';
        }
    }
    return null;
}

const reason = staleReason();
if (reason === null) {
    console.log('gateway/src/test/js: node_modules matches package-lock.json; npm ci skipped');
    process.exit(0);
}
console.log('gateway/src/test/js: ' + reason + '; running npm ci');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
if (run.error) {
    console.error('cannot run npm (' + run.error.message + '): install Node.js and npm, or build with -Dperpcore.skipCcxt=true');
    process.exit(1);
}
process.exit(run.status ?? 1);
