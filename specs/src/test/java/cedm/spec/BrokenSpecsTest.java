package cedm.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code broken-specs/} ends with the exact lines the loader must answer
 * ({@code # expect: line:column: field: message (allowed: ...)}), {dir} standing for its folder.
 */
class BrokenSpecsTest {

  static Stream<Path> brokenSpecs() throws IOException, URISyntaxException {
    Path dir = Path.of(BrokenSpecsTest.class.getResource("/broken-specs").toURI());
    return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @Test
  void theCorpusHasAtLeastFifteenDistinctCases() throws Exception {
    assertFalse(brokenSpecs().count() < 15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenSpecs")
  void answersWithTheExpectedLines(Path file) throws IOException {
    // Latin-1 reads any byte, so a spec that is not UTF-8 on purpose still gives its expected lines.
    List<String> expected = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1).stream()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> file + ":" + l.substring("# expect: ".length()).replace("{dir}", file.getParent().toString()))
        .toList();
    assertFalse(expected.isEmpty(), "no '# expect:' lines in " + file);
    SpecException error = assertThrows(SpecException.class, () -> SpecLoader.load(file));
    assertEquals(expected, error.lines());
  }
}
