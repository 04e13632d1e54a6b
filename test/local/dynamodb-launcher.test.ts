import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb';
import { freePort } from '../support/ports';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'carepath-java-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A Java runtime without the JDK's compiler (Debian's openjdk-17-jre-headless): what its `java`
// prints when asked to run a .java source (seen with a jlink'd java.se runtime).
function jreOnly(): string {
  const file = path.join(scratch, 'java');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      "echo 'Error: A JNI error has occurred, please check your installation and try again' >&2",
      'echo \'Exception in thread "main" java.lang.InternalError: Module jdk.compiler not in boot Layer\' >&2',
      'exit 1',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

describe('starting DynamoDB Local', () => {
  it('says a JDK is needed when java has no compiler, not the JVM stack trace', async () => {
    await expect(startDynamoDbLocal({ port: await freePort(), region: 'us-east-1', java: jreOnly() })).rejects.toThrow(
      /^DynamoDB Local needs a JDK, not only a JRE: .* has no jdk\.compiler module to run local\/java\/LoopbackDynamoDB\.java; install openjdk-17-jdk-headless/,
    );
  });

  it('says Java is needed when there is none', async () => {
    await expect(
      startDynamoDbLocal({ port: await freePort(), region: 'us-east-1', java: path.join(scratch, 'no-java-here') }),
    ).rejects.toThrow(
      /^DynamoDB Local needs Java 17\+ \(a JDK\): .*no-java-here could not be run \(spawn .* ENOENT\); install openjdk-17-jdk-headless$/,
    );
  });
});
