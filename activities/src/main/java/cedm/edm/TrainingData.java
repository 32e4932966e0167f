package cedm.edm;

/**
 * The training images as uint8 NHWC (the dataset artifact's layout) and each image's class id in
 * 0..(labelDim-1), or no labels for an unconditional model.
 */
public record TrainingData(byte[] images, int count, int height, int width, int channels, int[] labels, int labelDim) {
  public TrainingData {
    if ((long) count * height * width * channels != images.length) {
      throw new IllegalArgumentException("image bytes do not match " + count + "x" + height + "x" + width + "x" + channels);
    }
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
    }
  }

  public int imageBytes() {
    return height * width * channels;
  }
}
