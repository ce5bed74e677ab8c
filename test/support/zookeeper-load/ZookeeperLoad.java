import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Test load for a ZooKeeper ensemble (test/zookeeper/zookeeper-under-load.test.ts), with the real
 * ZooKeeper Java client, the one Marathon's Curator wraps. Run as a single-file source program.
 *
 * Arguments: connect string, writer run time in ms, max writes, churn interval in ms.
 * One writer creates /load/w-N one at a time and prints `ack N <started> <acked>` (epoch ms) for
 * each create the ensemble confirmed, `fail N <started> <ended> <code>` otherwise. A second
 * thread opens a session, creates an ephemeral node and closes the session, over and over:
 * `session ok|fail <at>`. The writer stops at the run time or the count, whichever comes first;
 * a new session then reads /load back and prints `present <count>` and `lost N` for every
 * acknowledged write that is not there, then `done`.
 */
public class ZookeeperLoad {
  static final int SESSION_TIMEOUT_MS = 6000;

  static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static ZooKeeper connect(String hosts, long waitMs) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(hosts, SESSION_TIMEOUT_MS, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
    });
    if (!connected.await(waitMs, TimeUnit.MILLISECONDS)) {
      zk.close();
      throw new KeeperException.ConnectionLossException();
    }
    return zk;
  }

  public static void main(String[] args) throws Exception {
    String hosts = args[0];
    long runMs = Long.parseLong(args[1]);
    int maxWrites = Integer.parseInt(args[2]);
    long churnMs = Long.parseLong(args[3]);
    AtomicBoolean stop = new AtomicBoolean(false);

    Thread churn = new Thread(() -> {
      int n = 0;
      while (!stop.get()) {
        try {
          ZooKeeper zk = connect(hosts, 3000);
          try {
            zk.create("/churn-" + (n++), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            say("session ok " + System.currentTimeMillis());
          } finally {
            zk.close();
          }
        } catch (Exception e) {
          say("session fail " + System.currentTimeMillis());
        }
        try {
          Thread.sleep(churnMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    churn.setDaemon(true);
    churn.start();

    List<Integer> acked = new ArrayList<>();
    ZooKeeper writer = connect(hosts, 30000);
    try {
      writer.create("/load", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException e) {
      // a previous run's
    }
    say("ready " + System.currentTimeMillis());
    long deadline = System.currentTimeMillis() + runMs;
    for (int n = 0; n < maxWrites && System.currentTimeMillis() < deadline; n++) {
      long started = System.currentTimeMillis();
      try {
        writer.create("/load/w-" + n, Integer.toString(n).getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        acked.add(n);
        say("ack " + n + " " + started + " " + System.currentTimeMillis());
      } catch (KeeperException e) {
        say("fail " + n + " " + started + " " + System.currentTimeMillis() + " " + e.code());
        if (e.code() == KeeperException.Code.SESSIONEXPIRED) {
          writer.close();
          writer = connect(hosts, 30000);
        } else {
          Thread.sleep(50);
        }
      }
    }
    stop.set(true);
    writer.close();

    ZooKeeper reader = connect(hosts, 30000);
    CountDownLatch synced = new CountDownLatch(1);
    reader.sync("/load", (rc, path, ctx) -> synced.countDown(), null);
    synced.await(30, TimeUnit.SECONDS);
    Set<String> present = new HashSet<>(reader.getChildren("/load", false));
    say("present " + present.size());
    for (int n : acked) if (!present.contains("w-" + n)) say("lost " + n);
    reader.close();
    say("done");
    System.exit(0);
  }
}
