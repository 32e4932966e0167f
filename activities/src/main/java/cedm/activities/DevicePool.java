package cedm.activities;

import ai.djl.Device;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * The devices a worker's GPU stages share. A stage leases the devices it runs on, one for most
 * stages and runtime.gpus_per_trial for a training, and waits (first come, first served, so a
 * wide training is not starved by a stream of narrow stages) while they are busy. CPU slots are
 * the CPU device listed several times: a training's replicas on the CPU run the same code path.
 */
public final class DevicePool {
  private static final long WAIT_MILLIS = 5000;
  private final List<Device> devices;
  private final boolean[] busy;
  private final Deque<Ticket> waiting = new ArrayDeque<>();

  private DevicePool(List<Device> devices) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("a device pool needs at least one device");
    }
    this.devices = List.copyOf(devices);
    this.busy = new boolean[devices.size()];
    this.devices.forEach(StageMetrics::slot);
  }

  /** The CUDA devices with these ids. */
  public static DevicePool gpus(List<Integer> ids) {
    List<Device> list = new ArrayList<>();
    ids.forEach(id -> list.add(Device.gpu(id)));
    return new DevicePool(list);
  }

  /** {@code slots} slots on the CPU. */
  public static DevicePool cpu(int slots) {
    return new DevicePool(Collections.nCopies(slots, Device.cpu()));
  }

  /** Every slot's device, in slot order (the CPU once per CPU slot). */
  public List<Device> devices() {
    return devices;
  }

  public int size() {
    return devices.size();
  }

  /** Devices held by one stage until closed. */
  public final class Lease implements AutoCloseable {
    private final int[] held;

    private Lease(int[] held) {
      this.held = held;
    }

    public List<Device> devices() {
      List<Device> list = new ArrayList<>();
      for (int i : held) {
        list.add(DevicePool.this.devices.get(i));
      }
      return list;
    }

    @Override
    public void close() {
      release(held);
    }
  }

  /** What a stage asks for: one particular device, or any {@code count} of the pool's. */
  public final class Claim {
    private final int device;
    private final int count;

    private Claim(int device, int count) {
      this.device = device;
      this.count = count;
    }

    /** The device the stage runs on first (its metrics' label). */
    public Device device() {
      return devices.get(Math.max(device, 0));
    }

    /** Waits for the devices, calling {@code whileWaiting} (a heartbeat) every few seconds. */
    public Lease lease(Runnable whileWaiting) throws InterruptedException {
      return acquire(this, whileWaiting);
    }
  }

  /** Device {@code index} of the pool, for a worker that serves one device. */
  public Claim slot(int index) {
    return new Claim(index, 1);
  }

  /** Any {@code count} devices, for a data-parallel training. */
  public Claim any(int count) {
    if (count < 1 || count > devices.size()) {
      throw new IllegalArgumentException(count + " devices asked of a worker with " + devices.size());
    }
    return new Claim(-1, count);
  }

  /**
   * First come, first served: a claim is granted when its devices are free and no earlier claim
   * still waits for them (an earlier claim of any devices blocks every later one, so wide claims
   * are not starved).
   */
  private Lease acquire(Claim claim, Runnable whileWaiting) throws InterruptedException {
    // A ticket per call: one claim (a worker's "any 2") can wait in several activities at once.
    Ticket ticket = new Ticket(claim);
    synchronized (this) {
      waiting.addLast(ticket);
    }
    try {
      while (true) {
        synchronized (this) {
          Lease lease = tryGrant(ticket);
          if (lease == null) {
            wait(WAIT_MILLIS);
            lease = tryGrant(ticket);
          }
          if (lease != null) {
            return lease;
          }
        }
        // Outside the lock: a heartbeat may block on the network while other stages lease and release.
        whileWaiting.run();
      }
    } finally {
      synchronized (this) {
        waiting.remove(ticket);
        notifyAll();
      }
    }
  }

  /** Compared by identity: two waits of one claim are two places in the queue. */
  private static final class Ticket {
    private final Claim claim;

    Ticket(Claim claim) {
      this.claim = claim;
    }

    Claim claim() {
      return claim;
    }
  }

  private Lease tryGrant(Ticket ticket) {
    boolean[] reserved = new boolean[busy.length];
    for (Ticket earlier : waiting) {
      if (earlier == ticket) {
        break;
      }
      if (earlier.claim().device < 0) {
        return null;
      }
      reserved[earlier.claim().device] = true;
    }
    Claim claim = ticket.claim();
    int[] granted;
    if (claim.device >= 0) {
      granted = busy[claim.device] || reserved[claim.device] ? null : new int[] {claim.device};
    } else {
      int[] found = new int[claim.count];
      int n = 0;
      for (int i = 0; i < busy.length && n < claim.count; i++) {
        if (!busy[i] && !reserved[i]) {
          found[n++] = i;
        }
      }
      granted = n == claim.count ? found : null;
    }
    if (granted == null) {
      return null;
    }
    for (int i : granted) {
      busy[i] = true;
    }
    return new Lease(granted);
  }

  private synchronized void release(int[] held) {
    for (int i : held) {
      busy[i] = false;
    }
    notifyAll();
  }
}
