package cedm.workflow;

import cedm.stage.ClusteringActivities;
import cedm.stage.ClusteringRequest;
import cedm.stage.RunLabels;
import io.temporal.workflow.Workflow;
import java.util.List;

public final class CmaxSearchWorkflowImpl implements CmaxSearchWorkflow {
  /** The trial label of the search's probes in metrics. */
  private CmaxSearch search;

  @Override
  public CmaxResult search(CmaxRequest request) {
    search = new CmaxSearch(request.search());
    ClusteringActivities clustering =
        Workflow.newActivityStub(ClusteringActivities.class, StageOptions.of(ClusteringActivities.class, request.runtime()));
    int cMax = search.run(c -> Probe.of(clustering.cluster(new ClusteringRequest(request.featuresId(), request.knnId(),
        request.clustering().searchMethod(), c, request.clustering(), request.seed(),
        new RunLabels(request.sweepId(), RunLabels.CMAX_SEARCH, c)))));
    return new CmaxResult(cMax, search.evidence());
  }

  @Override
  public List<Probe> evidence() {
    return search == null ? List.of() : search.evidence();
  }
}
