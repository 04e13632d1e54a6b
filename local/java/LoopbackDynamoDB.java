import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local bound to 127.0.0.1 only. Its jar has no bind-address option: DynamoDBProxyServer
 * builds its Jetty Server with a port alone, which listens on every interface, and accepts any
 * credentials. So this runs what the jar's own ServerRunner runs (same arguments, same server),
 * but sets the connector's host to loopback before the server opens its socket.
 *
 * Run as a single-file source program (needs the JDK's compiler module), with the jar and its
 * DynamoDBLocal_lib on the class path: no compiled class is kept anywhere.
 */
public class LoopbackDynamoDB {
  private static final String HOST = "127.0.0.1";

  public static void main(String[] args) {
    try {
      start(args);
    } catch (Exception e) {
      // One line (the caller shows stderr's tail), not the launcher's stack trace.
      System.err.println("DynamoDB Local could not start: " + e);
      System.exit(1);
    }
  }

  private static void start(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Server server = jettyServerOf(proxy);
    Connector[] connectors = server.getConnectors();
    // Refuse to start rather than start open: a jar whose server is built differently must not
    // silently fall back to every interface.
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local's Jetty server has no connector to bind");
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("DynamoDB Local's connector is a " + connector.getClass().getName() + ", not a ServerConnector: cannot bind it to " + HOST);
      }
      ((ServerConnector) connector).setHost(HOST);
    }
    // start() prints a SocketException it meets and returns: exit non-zero so the caller sees
    // the failure instead of a JVM with nothing listening.
    proxy.start();
    if (!server.isStarted()) System.exit(1);
  }

  private static Server jettyServerOf(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
    for (Field field : DynamoDBProxyServer.class.getDeclaredFields()) {
      if (Server.class.isAssignableFrom(field.getType())) {
        field.setAccessible(true);
        return (Server) field.get(proxy);
      }
    }
    throw new IllegalStateException("DynamoDBProxyServer has no Jetty Server field: this DynamoDB Local jar is not the one LoopbackDynamoDB was written for");
  }
}
