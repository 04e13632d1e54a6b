import { describe, expect, it } from 'vitest';
import { installLongTimers } from '../../local/stepfunctions/long-timers';

describe('long timers (a Wait of more than 24.8 days, locally)', () => {
  it('does not fire a 30-day timer at once, and clears it', async () => {
    installLongTimers();
    let fired = false;
    const timer = setTimeout(() => (fired = true), 30 * 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toBe(false);
    clearTimeout(timer);
    // Short timers are untouched.
    await expect(new Promise((resolve) => setTimeout(() => resolve('short'), 5))).resolves.toBe('short');
  });
});
