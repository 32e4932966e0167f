package cedm.spec;

/** TEMI clustering heads; defaults follow the paper and the official TEMI code. */
public record TemiSpec(
    int heads,
    int epochs,
    int batchSize,
    double lr,
    double minLr,
    int warmupEpochs,
    double weightDecay,
    double beta,
    double studentTemp,
    double teacherTemp,
    double momentumTeacher,
    double momentumTeacherEnd,
    double priorMomentum,
    int freezeLastLayerEpochs,
    int hiddenDim,
    int bottleneckDim,
    int neighbours,
    int checkpointEpochs) {}
