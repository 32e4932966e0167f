package cedm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against files numpy wrote (fixtures/make_npy_fixtures.py): cedm reads them and writes the same bytes. */
class NpyTest {
  @TempDir Path tmp;

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(NpyTest.class.getResource("/fixtures/npy/" + name).toURI());
  }

  @Test
  void readsNumpysFloat32AndWritesIdenticalBytes() throws Exception {
    float[] data = Npy.readFloats(fixture("f32_2x3.npy"));
    assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f}, data);
    assertArrayEquals(new long[] {2, 3}, Npy.readHeader(fixture("f32_2x3.npy")).shape());
    Path mine = tmp.resolve("f.npy");
    Npy.write(mine, data, 2, 3);
    assertArrayEquals(Files.readAllBytes(fixture("f32_2x3.npy")), Files.readAllBytes(mine));
  }

  @Test
  void readsAndWritesInt64OneDimensional() throws Exception {
    long[] data = Npy.readLongs(fixture("i64_5.npy"));
    assertArrayEquals(new long[] {0, -1, 1L << 40, 7, -(1L << 62)}, data);
    Path mine = tmp.resolve("i.npy");
    Npy.write(mine, data, 5);
    assertArrayEquals(Files.readAllBytes(fixture("i64_5.npy")), Files.readAllBytes(mine));
  }

  @Test
  void readsAndWritesUint8FourDimensional() throws Exception {
    byte[] data = Npy.readBytes(fixture("u8_2x2x2x3.npy"));
    assertEquals(24, data.length);
    assertEquals((23 * 11) % 256, data[23] & 0xff);
    Path mine = tmp.resolve("u.npy");
    Npy.write(mine, data, 2, 2, 2, 3);
    assertArrayEquals(Files.readAllBytes(fixture("u8_2x2x2x3.npy")), Files.readAllBytes(mine));
  }

  @Test
  void readsFloat64AndRanges() throws Exception {
    Path f = fixture("f64_3x3.npy");
    assertEquals(1e-12, Npy.readDoubles(f)[5]);
    Npy.Header h = Npy.readHeader(f);
    assertEquals(3, h.rowLength());
    assertEquals(2.0, Npy.readRange(f, h, 3, 3).asDoubleBuffer().get(1));
  }

  @Test
  void rejectsTruncatedFilesAndWrongTypes() throws Exception {
    Path cut = tmp.resolve("cut.npy");
    byte[] whole = Files.readAllBytes(fixture("f32_2x3.npy"));
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 4));
    IOException e = assertThrows(IOException.class, () -> Npy.readFloats(cut));
    assertTrue(e.getMessage().contains("its header needs"), e.getMessage());
    assertThrows(IOException.class, () -> Npy.readLongs(fixture("f32_2x3.npy")));
  }

  @Test
  void aWriterThatIsNotFilledFailsOnClose() {
    assertThrows(IOException.class, () -> {
      try (NpyWriter w = new NpyWriter(tmp.resolve("short.npy"), Npy.DType.F32, 4)) {
        w.writeFloats(new float[] {1, 2}, 0, 2);
      }
    });
  }
}
