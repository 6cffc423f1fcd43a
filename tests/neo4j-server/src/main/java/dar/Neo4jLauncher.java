package dar;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.Level;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.FileUserRepository;

/**
 * Runs a Neo4j Community DBMS (embedded library, same engine as the server distribution) with a Bolt
 * connector, for development and tests without Docker.
 *
 * <p>Environment:
 * <ul>
 *   <li>{@code NEO4J_BOLT_PORT} (default 7687; 0 picks a free port, reported in the ready line)</li>
 *   <li>{@code NEO4J_DATA_DIR} (default {@code ./data/neo4j}, relative to the working directory)</li>
 *   <li>{@code NEO4J_PASSWORD}: if set, auth is on for user {@code neo4j} with this password; otherwise off</li>
 *   <li>{@code NEO4J_PAGECACHE} (default {@code 128m})</li>
 * </ul>
 *
 * <p>stdout carries exactly one line, {@code Neo4j <version> ready at bolt://127.0.0.1:<port>}; all logging goes
 * to stderr (and the debug log to {@code <data>/logs/debug.log}). SIGTERM/SIGINT shut the DBMS down cleanly and
 * exit 0. With {@code --exit-on-stdin-eof} it also shuts down when its stdin closes (the parent went away).
 */
public final class Neo4jLauncher {
    private static final String USER = "neo4j";

    private static final Object LOCK = new Object();
    private static final AtomicBoolean STOPPING = new AtomicBoolean(false);
    private static final AtomicBoolean EXITING = new AtomicBoolean(false);
    private static volatile DatabaseManagementService dbms;

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        // Keep stdout for the single ready line; anything a library prints goes to stderr.
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        List<String> flags = Arrays.asList(args);
        try {
            run(stdout, flags.contains("--exit-on-stdin-eof"));
        } catch (Throwable t) {
            if (STOPPING.get()) return; // stopped while starting; the stop thread exits the JVM
            System.err.println("neo4j-launcher: failed to start: " + t.getMessage());
            if (!(t instanceof IllegalArgumentException)) t.printStackTrace(System.err);
            shutdown();
            System.exit(1);
        }
    }

    private static void run(PrintStream stdout, boolean exitOnStdinEof) throws Exception {
        int port = parsePort(env("NEO4J_BOLT_PORT", "7687"));
        Path dataDir = Path.of(env("NEO4J_DATA_DIR", "data/neo4j")).toAbsolutePath().normalize();
        String password = System.getenv("NEO4J_PASSWORD");
        if (password != null && password.isEmpty()) password = null;
        long pageCache = SettingValueParsers.BYTES.parse(env("NEO4J_PAGECACHE", "128m"));
        // db.memory.transaction.max (0: no limit, Neo4j's default); tests set a small one to show what needs many
        // transactions (Community cannot change it at run time: dbms.setConfigValue is Enterprise's).
        long txMemoryMax = SettingValueParsers.BYTES.parse(env("NEO4J_TX_MEMORY_MAX", "0"));

        installSignalHandlers();
        Runtime.getRuntime().addShutdownHook(new Thread(Neo4jLauncher::shutdown, "neo4j-shutdown-hook"));

        Files.createDirectories(dataDir);
        boolean auth = password != null;
        if (auth) {
            int min = GraphDatabaseSettings.auth_minimum_password_length.defaultValue();
            if (password.codePointCount(0, password.length()) < min) {
                throw new IllegalArgumentException(
                        "NEO4J_PASSWORD must be at least " + min + " characters (Neo4j's minimum password length)");
            }
            // What `neo4j-admin dbms set-initial-password` does: the system database takes the neo4j user's
            // password from <data>/dbms/auth.ini when it is created (or while the password is still the default).
            writeInitialPassword(dataDir.resolve("dbms").resolve("auth.ini"), password);
        }

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(dataDir)
                .setUserLogProvider(new Log4jLogProvider(System.err, Level.INFO))
                .setConfig(GraphDatabaseSettings.data_directory, dataDir)
                .setConfig(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMemoryMax)
                // Nothing phones home.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(BoltConnector.server_bolt_telemetry_enabled, false)
                // A development/test store: no 256 MB pre-allocated transaction log files, short retention.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 32L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // Bolt's Netty event loops otherwise wait a 5 s quiet period twice on shutdown (10 s per stop);
                // all connections are closed before that point, so no quiet period is needed.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5));

        synchronized (LOCK) {
            if (STOPPING.get()) return;
            dbms = builder.build();
        }
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            throw new IllegalStateException("database '" + GraphDatabaseSettings.DEFAULT_DATABASE_NAME + "' did not become available");
        }
        if (auth) enforcePassword(password);

        HostnamePort bolt = ((GraphDatabaseAPI) db)
                .getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (bolt == null) throw new IllegalStateException("the Bolt connector did not start");

        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD name, versions, edition "
                        + "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition",
                Map.of(),
                r -> {
                    Map<String, Object> row = r.next();
                    System.err.println("neo4j-launcher: edition " + row.get("edition") + ", data " + dataDir
                            + ", auth " + (auth ? "on (user neo4j)" : "off"));
                    return String.valueOf(row.get("version"));
                });

        if (exitOnStdinEof) watchStdin();
        stdout.println("Neo4j " + version + " ready at bolt://127.0.0.1:" + bolt.getPort());
        stdout.flush();
        new CountDownLatch(1).await(); // until a signal, stdin EOF or a shutdown hook ends the process
    }

    /** Same as SetInitialPasswordCommand (neo4j-admin dbms set-initial-password), without the CLI around it. */
    private static void writeInitialPassword(Path file, String password) throws Exception {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try (var fs = new DefaultFileSystemAbstraction()) {
            var repo = new FileUserRepository(fs, file, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            repo.start();
            repo.create(new User(
                    USER,
                    null,
                    SystemGraphCredential.createCredentialForPassword(
                            password.getBytes(StandardCharsets.UTF_8), new SecureHasher()),
                    false,
                    false));
            repo.shutdown();
        }
    }

    /**
     * auth.ini only applies while the neo4j user still has the default password; for an existing store whose
     * password was set differently before, make NEO4J_PASSWORD the password now.
     */
    private static void enforcePassword(String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            System.err.println("neo4j-launcher: password of user neo4j set from NEO4J_PASSWORD");
        } catch (QueryExecutionException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) throw e;
        }
    }

    private static void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> exitCleanly("SIG" + name));
            } catch (IllegalArgumentException e) {
                System.err.println("neo4j-launcher: cannot handle SIG" + name + ": " + e.getMessage());
            }
        }
    }

    private static void watchStdin() {
        Thread t = new Thread(
                () -> {
                    try {
                        InputStream in = System.in;
                        byte[] buf = new byte[256];
                        while (in.read(buf) >= 0) {
                            // ignore input; only the end of the stream matters
                        }
                    } catch (IOException ignored) {
                        // treat as closed
                    }
                    exitCleanly("stdin closed");
                },
                "neo4j-stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void exitCleanly(String why) {
        if (!EXITING.compareAndSet(false, true)) return; // already shutting down
        System.err.println("neo4j-launcher: " + why + ", shutting down");
        // Not on the signal thread's stack: System.exit from there would wait on itself via the hooks.
        new Thread(() -> {
                    shutdown();
                    System.err.println("neo4j-launcher: stopped");
                    System.exit(0);
                }, "neo4j-stop")
                .start();
    }

    private static void shutdown() {
        synchronized (LOCK) {
            STOPPING.set(true);
            DatabaseManagementService s = dbms;
            dbms = null;
            if (s == null) return;
            try {
                s.shutdown();
            } catch (Throwable t) {
                System.err.println("neo4j-launcher: error during shutdown: " + t);
            }
        }
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static int parsePort(String s) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("NEO4J_BOLT_PORT is not a number: " + s);
        }
        if (p < 0 || p > 65535) throw new IllegalArgumentException("NEO4J_BOLT_PORT out of range: " + s);
        return p;
    }
}
