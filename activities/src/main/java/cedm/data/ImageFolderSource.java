package cedm.data;

import cedm.io.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files in a directory or zip, sorted by name as EDM's dataset tool does. With labels, it
 * reads EDM's {@code dataset.json} ({@code {"labels": [["00000/img00000000.png", 6], ...]}} or
 * {@code {"labels": null}}). Files that are not images by extension are ignored, like EDM.
 */
public final class ImageFolderSource implements ImageSource {
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
  private static final String LABELS_FILE = "dataset.json";

  private final FileTree tree;
  private final List<String> images;
  private final Map<String, Long> labels;

  public ImageFolderSource(java.nio.file.Path path, boolean edmLabels) throws IOException {
    this.tree = FileTree.open(path);
    this.images = tree.names().stream().filter(ImageFolderSource::isImage).toList();
    if (images.isEmpty()) {
      tree.close();
      throw new BadInputException(path + ": contains no images (allowed extensions: " + IMAGE_EXTENSIONS + ")");
    }
    this.labels = edmLabels && tree.has(LABELS_FILE) ? readLabels() : null;
  }

  private static boolean isImage(String name) {
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private Map<String, Long> readLabels() throws IOException {
    String where = tree.describe(LABELS_FILE);
    JsonNode root;
    try (InputStream in = tree.open(LABELS_FILE)) {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new BadInputException(where + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
    }
    JsonNode list = root == null ? null : root.get("labels");
    if (list == null) {
      throw new BadInputException(where + ": has no field 'labels' (allowed: {\"labels\": [[file, int], ...]} or {\"labels\": null})");
    }
    if (list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw new BadInputException(where + ": 'labels' is not a list (allowed: [[file, int], ...] or null)");
    }
    Map<String, Long> out = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode pair = list.get(i);
      if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).canConvertToLong()
          || pair.get(1).asLong() < 0) {
        throw new BadInputException(where + ": labels[" + i + "] is " + pair + " (allowed: [file name, integer >= 0])");
      }
      out.put(pair.get(0).asText(), pair.get(1).asLong());
    }
    for (String image : images) {
      if (!out.containsKey(image)) {
        throw new BadInputException(where + ": has no label for " + image);
      }
    }
    return out;
  }

  @Override
  public List<Entry> entries(Split split) {
    if (split == Split.TEST) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>(images.size());
    for (String name : images) {
      long label = labels == null ? -1 : labels.get(name);
      entries.add(new Entry() {
        @Override
        public String origin() {
          return tree.describe(name);
        }

        @Override
        public long label() {
          return label;
        }

        @Override
        public RgbImage decode() throws IOException {
          try (InputStream in = tree.open(name); ImageInputStream image = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(image);
            if (!readers.hasNext()) {
              throw new BadInputException(origin() + ": not a readable image (no decoder recognises its content)");
            }
            return decode(readers.next(), image);
          } catch (BadInputException e) {
            throw e;
          } catch (IOException | RuntimeException e) {
            throw new BadInputException(origin() + ": not a readable image (" + e.getMessage() + ")", e);
          }
        }

        /** Reads the size from the header first, so an image too large to hold is named, not decoded. */
        private RgbImage decode(ImageReader reader, ImageInputStream image) throws IOException {
          try {
            reader.setInput(image, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if ((long) width * height > RgbImage.MAX_PIXELS) {
              throw new BadInputException(origin() + ": is " + width + " x " + height + " pixels; cedm reads images of at most "
                  + RgbImage.MAX_PIXELS + " pixels (3 bytes each must fit one Java array): downscale it first");
            }
            return RgbImage.of(reader.read(0));
          } finally {
            reader.dispose();
          }
        }
      });
    }
    return entries;
  }

  @Override
  public boolean labelled() {
    return labels != null;
  }

  @Override
  public String fingerprint() throws IOException {
    return tree.fingerprint();
  }

  @Override
  public void close() throws IOException {
    tree.close();
  }
}
