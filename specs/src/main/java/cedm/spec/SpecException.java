package cedm.spec;

import java.util.List;

/** A spec that cannot be run, with every problem found in it. */
public final class SpecException extends Exception {
  private final String file;
  private final List<SpecProblem> problems;

  public SpecException(String file, List<SpecProblem> problems) {
    super(problems.size() + " problem(s) in " + file);
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  public List<SpecProblem> problems() {
    return problems;
  }

  /** One line per problem, in file order. */
  public List<String> lines() {
    return problems.stream().map(p -> p.format(file)).toList();
  }
}
