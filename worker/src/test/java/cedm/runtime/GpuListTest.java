package cedm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `--gpus` as worker, run and doctor read it, and the worker and queues it makes. */
class GpuListTest {
  @Test
  void eachFormGivesItsSlotsDevicesAndQueues() {
    GpuList ids = GpuList.parse(" 0, 2 ");
    assertEquals(List.of(0, 2), ids.cudaIds());
    assertEquals(2, ids.slots());
    assertEquals(List.of(Device.gpu(0), Device.gpu(2)), ids.devices());
    WorkerConfig worker = ids.worker("c", "g", 3);
    assertEquals(new WorkerConfig("c", "g", 3, List.of(0, 2), 0), worker);
    assertEquals(List.of("c", "g", "g-x2"), SweepQueues.served(worker));

    GpuList cpu2 = GpuList.parse("CPU:2");
    assertEquals(List.of(Device.cpu(), Device.cpu()), cpu2.devices());
    assertEquals(new WorkerConfig("c", "g", 1, List.of(), 2), cpu2.worker("c", "g", 1));
    assertEquals(1, GpuList.parse("cpu").slots());
    assertEquals(List.of("c"), SweepQueues.served(GpuList.parse("none").worker("c", "g", 1)));
  }

  @Test
  void aMalformedListNamesThePartAndWhatIsAllowed() {
    assertEquals("--gpus 0,x: 'x' is not a device id or slot count (allowed: e.g. 0,1 or cpu or cpu:2 or none)",
        assertThrows(IllegalArgumentException.class, () -> GpuList.parse("0,x")).getMessage());
    assertEquals("--gpus 1,1: device 1 is listed twice (allowed: e.g. 0,1 or cpu or cpu:2 or none)",
        assertThrows(IllegalArgumentException.class, () -> GpuList.parse("1,1")).getMessage());
    assertEquals("--gpus cpu:0: cpu:0 gives no slot (allowed: e.g. 0,1 or cpu or cpu:2 or none)",
        assertThrows(IllegalArgumentException.class, () -> GpuList.parse("cpu:0")).getMessage());
  }
}
