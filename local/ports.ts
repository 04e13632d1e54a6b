import net from 'node:net';

/**
 * Refuses a port something already listens on. Without it a second DynamoDB Local fails to bind
 * and exits while its readiness probe is answered by the first (say, an orphan of a stack that
 * died): the stack would silently run on someone else's data.
 */
export async function assertPortFree(port: number, name: string): Promise<void> {
  if (port === 0) return;
  // Loopback and the wildcard address: an orphan DynamoDB Local listens on every interface.
  for (const host of ['127.0.0.1', '0.0.0.0']) {
    const inUse = await new Promise<boolean>((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
      probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
    });
    if (inUse) throw new PortInUseError(port, name);
  }
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly portName: string,
  ) {
    super(
      `Port ${port} (${portName}) is already in use: stop what listens there (an earlier local stack?) or set ${portName} to a free port.`,
    );
  }
}
