package ruralgraph;

import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded, serving Bolt on 127.0.0.1:PORT with auth and TLS off.
 * Usage: TestServer PORT DATA_DIR [auth]. With "auth", authentication is on (user neo4j, password neo4j).
 * Prints "READY bolt://127.0.0.1:PORT" once it listens and stops
 * when its standard input closes (so a test process that dies never leaves a server behind).
 */
public final class TestServer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path home = Path.of(args[1]);
    boolean auth = args.length > 2 && args[2].equals("auth");
    java.nio.file.Files.createDirectories(home.resolve("import"));
    DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, auth)
        // LOAD CSV reads file:/// URLs from DATA_DIR/import (the export tests put CSVs there).
        .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
        .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(128))
        .setConfig(GraphDatabaseSettings.tx_state_max_off_heap_memory, ByteUnit.mebiBytes(256));
    // -Druralgraph.txMemory=12g raises the memory all transactions together may use (Neo4j's default
    // is 70% of the heap): the benchmark loads a million relationships in one transaction.
    String txMemory = System.getProperty("ruralgraph.txMemory");
    if (txMemory != null) {
      builder.setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.parse(txMemory));
    }
    DatabaseManagementService service = builder.build();
    Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown));
    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    while (System.in.read() != -1) {
      // wait for the parent to close our stdin
    }
    service.shutdown();
    System.exit(0);
  }
}
