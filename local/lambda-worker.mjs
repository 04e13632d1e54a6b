// One Lambda execution environment: loads one function's bundle from cdk.out in its own module
// scope and environment (a worker thread), then serves one invocation at a time.
// Plain JavaScript on purpose: workers do not inherit the TypeScript loader of the parent.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const { assetDir, handler: handlerSetting, functionName, functionArn, memoryMb, logGroupName } = workerData;
const dot = handlerSetting.lastIndexOf('.');
const moduleName = handlerSetting.slice(0, dot);
const exportName = handlerSetting.slice(dot + 1);

async function loadHandler() {
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const file = path.join(assetDir, moduleName + extension);
    try {
      const module = await import(pathToFileURL(file).href);
      const fn = module[exportName] ?? module.default?.[exportName];
      if (typeof fn === 'function') return fn;
      throw new Error(`${file} has no export "${exportName}"`);
    } catch (error) {
      if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(file)) continue;
      throw error;
    }
  }
  throw new Error(`No ${moduleName}.mjs/.js/.cjs in ${assetDir}`);
}

const handlerPromise = loadHandler();

parentPort.on('message', async ({ id, event, requestId, deadline }) => {
  const context = {
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memoryMb),
    logGroupName,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const fn = await handlerPromise;
    const result = await fn(event, context);
    parentPort.postMessage({ id, ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      errorType: error?.name || 'Error',
      errorMessage: error?.message || String(error),
    });
  }
});
