import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../local/auth';
import { syntheticAdmission } from '../fixtures/admissions';
import { api, localStack } from '../support/clients';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when absent). Never a download. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Where the screenshot goes: docs/console.png when refreshing the docs (CONSOLE_SCREENSHOT=docs/console.png).
const SCREENSHOT = path.resolve(process.env.CONSOLE_SCREENSHOT ?? '.local/console.png');

let browser: Browser;

describe('local console in a browser', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // The machine's network is closed: no background or component traffic, no sandbox as root.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => browser?.close());

  it('finds a running discharge execution by its encounter, draws its graph and shows its current state and open task', async () => {
    const { encounterId } = (await api('POST', '/v1/encounters', syntheticAdmission())).body;
    let currentState = '';
    await expect
      .poll(async () => (currentState = (await api('GET', `/v1/encounters/${encounterId}`)).body.workflow?.currentState ?? ''), {
        timeout: 20_000,
        interval: 200,
      })
      .toMatch(/assessment/i);

    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    await page.addInitScript(
      (token) => localStorage.setItem('carepathToken', token),
      await mintLocalToken({ facilityId: 'F1', clientId: 'test-console', roles: ['operator'] }),
    );
    await page.goto(`${localStack().stepFunctionsUrl}/`);
    await page.selectOption('#machines', { label: 'carepath-dev-discharge-planning' });
    await page.fill('#filter', encounterId);
    const row = page.locator('tr.execution', { hasText: encounterId });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.locator('td.state').textContent()).toBe(currentState);
    await row.click();

    await page.waitForSelector('#current-state');
    expect(await page.textContent('#current-state')).toBe(currentState);
    // The graph is drawn from the definition: every state a node, the current one marked.
    const current = page.locator('svg.graph g.node.current');
    expect(await current.getAttribute('data-state')).toBe(currentState);
    expect(await page.locator('svg.graph g.node').count()).toBeGreaterThan(20);
    expect(await page.locator('svg.graph g.node.visited').count()).toBeGreaterThan(0);
    // The person it waits for, read through the Carepath API.
    await page.waitForSelector('#tasks li.task');
    expect(await page.textContent('#tasks')).toContain('Assess discharge needs');

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
