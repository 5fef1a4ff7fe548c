package dev.courier.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads fuzz corpus entries: every regular file of a directory, in file name order. */
public final class FuzzCorpus {
  private FuzzCorpus() {}

  /**
   * Returns the files of {@code directory}, in file name order, skipping hidden files.
   *
   * @throws UncheckedIOException if the directory cannot be read
   */
  public static List<byte[]> load(Path directory) {
    List<byte[]> result = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList()) {
        result.add(Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fuzz corpus in " + directory, e);
    }
    return result;
  }

  /**
   * Returns the entries of the class path directory {@code resource}, such as {@code
   * fuzz/http1-response}, from a directory or a jar.
   *
   * @throws IllegalArgumentException if no such directory is on the class path
   */
  public static List<byte[]> loadResource(ClassLoader loader, String resource) {
    URL url = loader.getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException("no fuzz corpus on the class path at " + resource);
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return load(Path.of(uri));
      }
      FileSystem jar;
      boolean opened = false;
      try {
        jar = FileSystems.newFileSystem(uri, Map.of());
        opened = true;
      } catch (FileSystemAlreadyExistsException e) {
        jar = FileSystems.getFileSystem(uri);
      }
      try {
        return load(jar.getPath(resource));
      } finally {
        if (opened) {
          jar.close();
        }
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalArgumentException("cannot open the fuzz corpus at " + url, e);
    }
  }
}
