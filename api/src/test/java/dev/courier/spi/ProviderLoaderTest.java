package dev.courier.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderLoaderTest {
  @TempDir Path directory;

  /** Test providers, registered per test through a class loader with its own services file. */
  public static final class Alpha implements RouteSelectorProvider {
    @Override
    public String name() {
      return "alpha";
    }

    @Override
    public RouteSelector create() {
      throw new UnsupportedOperationException();
    }
  }

  public static final class Beta implements RouteSelectorProvider {
    @Override
    public String name() {
      return "beta";
    }

    @Override
    public int priority() {
      return 10;
    }

    @Override
    public RouteSelector create() {
      throw new UnsupportedOperationException();
    }
  }

  public static final class Broken implements RouteSelectorProvider {
    public Broken() {
      throw new IllegalStateException("this provider cannot be built");
    }

    @Override
    public String name() {
      return "broken";
    }

    @Override
    public RouteSelector create() {
      throw new UnsupportedOperationException();
    }
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(RouteSelectorProvider.class.getName());
  }

  private ClassLoader loaderRegistering(String... classNames) throws IOException {
    Path services = Files.createDirectories(directory.resolve("META-INF/services"));
    Files.writeString(services.resolve(RouteSelectorProvider.class.getName()),
        String.join("\n", classNames) + "\n");
    return new URLClassLoader(new URL[] {directory.toUri().toURL()}, getClass().getClassLoader());
  }

  private static List<String> names(List<? extends Provider> providers) {
    return providers.stream().map(Provider::name).toList();
  }

  @Test
  void noProvidersLoadsEmptyAndChoosesNothing() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class, loaderRegistering());
    assertThat(found).isEmpty();
    assertThat(ProviderLoader.choose(RouteSelectorProvider.class, found, null)).isNull();
  }

  @Test
  void oneProviderIsFoundAndChosen() throws IOException {
    List<RouteSelectorProvider> found =
        ProviderLoader.load(RouteSelectorProvider.class, loaderRegistering(Alpha.class.getName()));
    assertThat(names(found)).containsExactly("alpha");
    assertThat(ProviderLoader.choose(RouteSelectorProvider.class, found, null).name()).isEqualTo("alpha");
  }

  @Test
  void twoProvidersAreOrderedByPriorityAndTheHighestWins() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));
    assertThat(names(found)).containsExactly("beta", "alpha");
    assertThat(ProviderLoader.choose(RouteSelectorProvider.class, found, null).name()).isEqualTo("beta");
  }

  @Test
  void brokenProvidersAreSkippedAndTheOthersStillLoad() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Broken.class.getName(), "dev.courier.spi.NoSuchProvider", Alpha.class.getName()));
    assertThat(names(found)).containsExactly("alpha");
  }

  @Test
  void explicitChoiceWinsOverPriority() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));
    assertThat(ProviderLoader.choose(RouteSelectorProvider.class, found, "alpha").name()).isEqualTo("alpha");
  }

  @Test
  void systemPropertyChoiceWinsOverPriorityButNotOverExplicitChoice() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));
    System.setProperty(RouteSelectorProvider.class.getName(), "alpha");
    assertThat(ProviderLoader.choose(RouteSelectorProvider.class, found, null).name()).isEqualTo("alpha");
    assertThat(ProviderLoader.choose(RouteSelectorProvider.class, found, "beta").name()).isEqualTo("beta");
  }

  @Test
  void unknownNameIsRejectedListingWhatWasFound() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));
    assertThatThrownBy(() -> ProviderLoader.choose(RouteSelectorProvider.class, found, "gamma"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No RouteSelectorProvider named 'gamma'")
        .hasMessageContaining("'beta' (priority 10)")
        .hasMessageContaining("'alpha' (priority 0)");
  }

  @Test
  void filterRestrictsTheCandidates() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));
    RouteSelectorProvider chosen = ProviderLoader.choose(RouteSelectorProvider.class, found, null,
        provider -> provider.priority() == 0);
    assertThat(chosen.name()).isEqualTo("alpha");
  }

  @Test
  void cachedLoadReturnsTheSameListEachTime() {
    List<RouteSelectorProvider> first = ProviderLoader.load(RouteSelectorProvider.class);
    assertThat(ProviderLoader.load(RouteSelectorProvider.class)).isSameAs(first);
  }
}
