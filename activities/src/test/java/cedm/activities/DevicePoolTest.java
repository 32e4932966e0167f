package cedm.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Leasing a worker's devices: one stage per device, wide trainings not starved, waits that heartbeat. */
class DevicePoolTest {
  private static final Runnable NOTHING = () -> {};

  @Test
  void aFourDeviceWorkerRunsFourSingleStagesOrOneWideTraining() throws Exception {
    DevicePool pool = DevicePool.gpus(List.of(0, 1, 2, 3));
    try (DevicePool.Lease wide = pool.any(4).lease(NOTHING)) {
      assertEquals(List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2), Device.gpu(3)), wide.devices());
      CompletableFuture<DevicePool.Lease> single = CompletableFuture.supplyAsync(() -> lease(pool.slot(2)));
      assertFalse(waitsLessThan(single, 300), "device 2 is held by the wide training");
      wide.close();
      single.get(5, TimeUnit.SECONDS).close();
    }
    DevicePool.Lease[] singles = new DevicePool.Lease[4];
    for (int i = 0; i < 4; i++) {
      singles[i] = pool.slot(i).lease(NOTHING);
      assertEquals(List.of(Device.gpu(i)), singles[i].devices());
    }
    for (DevicePool.Lease l : singles) {
      l.close();
    }
  }

  @Test
  void aWaitingWideTrainingIsServedBeforeLaterSingleStages() throws Exception {
    DevicePool pool = DevicePool.gpus(List.of(0, 1));
    DevicePool.Lease first = pool.slot(0).lease(NOTHING);
    CountDownLatch heartbeats = new CountDownLatch(1);
    CompletableFuture<DevicePool.Lease> wide = CompletableFuture.supplyAsync(() -> {
      try {
        return pool.any(2).lease(heartbeats::countDown);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    // Its first heartbeat shows it is queued (and that a waiting lease heartbeats).
    assertTrue(heartbeats.await(10, TimeUnit.SECONDS), "a waiting lease heartbeats");
    CompletableFuture<DevicePool.Lease> later = CompletableFuture.supplyAsync(() -> lease(pool.slot(1)));
    assertFalse(waitsLessThan(later, 300), "device 1 is free, but the wide training asked first");
    first.close();
    DevicePool.Lease both = wide.get(5, TimeUnit.SECONDS);
    assertEquals(2, both.devices().size());
    assertFalse(later.isDone());
    both.close();
    later.get(5, TimeUnit.SECONDS).close();
  }

  @Test
  void cpuSlotsHostReplicasAndAWorkerRefusesWhatItCannotHold() throws Exception {
    DevicePool cpu = DevicePool.cpu(2);
    try (DevicePool.Lease lease = cpu.any(2).lease(NOTHING)) {
      assertEquals(List.of(Device.cpu(), Device.cpu()), lease.devices());
    }
    assertThrows(IllegalArgumentException.class, () -> cpu.any(3));
  }

  private static DevicePool.Lease lease(DevicePool.Claim claim) {
    try {
      return claim.lease(NOTHING);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean waitsLessThan(CompletableFuture<?> f, long millis) throws InterruptedException {
    Thread.sleep(millis);
    return f.isDone();
  }

  @Test
  void oneClaimWaitedOnByTwoStagesKeepsTwoPlacesInTheQueue() throws Exception {
    DevicePool pool = DevicePool.gpus(List.of(0, 1));
    DevicePool.Claim any = pool.any(1);
    DevicePool.Lease a = any.lease(NOTHING);
    DevicePool.Lease b = any.lease(NOTHING);
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), List.of(a.devices().get(0), b.devices().get(0)));
    CompletableFuture<DevicePool.Lease> third = CompletableFuture.supplyAsync(() -> lease(any));
    CompletableFuture<DevicePool.Lease> fourth = CompletableFuture.supplyAsync(() -> lease(any));
    assertFalse(waitsLessThan(third, 300));
    b.close();
    a.close();
    third.get(5, TimeUnit.SECONDS).close();
    fourth.get(5, TimeUnit.SECONDS).close();
  }
}
