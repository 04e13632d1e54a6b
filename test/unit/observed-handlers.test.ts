import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const FUNCTIONS = path.resolve(__dirname, '../../functions');

describe('every handler', () => {
  it('starts its middy chain with the shared logger and tracer middlewares (directly, or through httpRoute or workflowStep)', () => {
    const unobserved = readdirSync(FUNCTIONS).filter((dir) => {
      const source = readFileSync(path.join(FUNCTIONS, dir, 'handler.ts'), 'utf8');
      return !/\.use\(observed\(\)\)|\bhttpRoute[<(]|\bworkflowStep\(/.test(source);
    });
    expect(unobserved).toEqual([]);
  });

  it('creates no AWS SDK client of its own: the shared ones are traced', () => {
    const untraced = readdirSync(FUNCTIONS, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) =>
        /new (DynamoDB|SFN|EventBridge)Client\(/.test(
          readFileSync(path.join(FUNCTIONS, file), 'utf8').replace(/tracer\.captureAWSv3Client\(new \w+\(/g, ''),
        ),
      );
    expect(untraced).toEqual([]);
  });
});
