package dev.courier.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

  public static final class NameFails implements RouteSelectorProvider {
    @Override
    public String name() {
      throw new IllegalStateException("no name today");
    }

    @Override
    public RouteSelector create() {
      throw new UnsupportedOperationException();
    }
  }

  /** Collects what ProviderLoader logs. */
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger julLogger = Logger.getLogger(ProviderLoader.class.getName());

  @BeforeEach
  void captureLog() {
    julLogger.addHandler(handler);
  }

  private List<String> warnings() {
    return logged.stream().filter(record -> record.getLevel() == Level.WARNING)
        .map(LogRecord::getMessage).toList();
  }

  @AfterEach
  void clearProperty() {
    julLogger.removeHandler(handler);
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
  void eachProviderFoundIsLoggedAtDebugWhenEnabled() throws IOException {
    Level before = julLogger.getLevel();
    julLogger.setLevel(Level.FINE);
    try {
      ProviderLoader.load(RouteSelectorProvider.class, loaderRegistering(Alpha.class.getName()));
    } finally {
      julLogger.setLevel(before);
    }
    assertThat(logged.stream().filter(record -> record.getLevel() == Level.FINE).map(LogRecord::getMessage))
        .containsExactly("Found RouteSelectorProvider 'alpha' (priority 0) in " + Alpha.class.getName());
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

  @Test
  void providerWhoseNameFailsIsSkippedWithAWarningNamingItsClass() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(NameFails.class.getName(), Alpha.class.getName()));

    assertThat(names(found)).containsExactly("alpha");
    assertThat(warnings()).anySatisfy(warning -> assertThat(warning)
        .contains(NameFails.class.getName()).contains("no name today"));
  }

  @Test
  void createSkipsAProviderWhoseFactoryThrowsWithAWarningNamingIt() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));

    ProviderLoader.Created<RouteSelectorProvider, String> created = ProviderLoader.create(
        RouteSelectorProvider.class, found, null, provider -> {
          if (provider.name().equals("beta")) {
            throw new IllegalStateException("beta cannot start");
          }
          return "made by " + provider.name();
        });

    assertThat(created.provider().name()).isEqualTo("alpha");
    assertThat(created.product()).isEqualTo("made by alpha");
    assertThat(warnings()).singleElement().satisfies(warning -> assertThat(warning)
        .contains("'beta'").contains(Beta.class.getName()).contains("beta cannot start"));
  }

  @Test
  void createFailsNamingTheProviderWhenItWasChosenByName() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));
    IllegalStateException failure = new IllegalStateException("alpha cannot start");

    assertThatThrownBy(() -> ProviderLoader.create(RouteSelectorProvider.class, found, "alpha",
        provider -> {
          throw failure;
        }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RouteSelectorProvider 'alpha'")
        .hasMessageContaining(Alpha.class.getName())
        .hasMessageContaining("chosen by name")
        .hasCause(failure);
    // The system property names a provider as the builder does.
    System.setProperty(RouteSelectorProvider.class.getName(), "beta");
    assertThatThrownBy(() -> ProviderLoader.create(RouteSelectorProvider.class, found, null,
        provider -> {
          throw failure;
        }))
        .hasMessageContaining("RouteSelectorProvider 'beta'");
  }

  @Test
  void createReturnsNullWhenNoCandidateMakesAProduct() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));

    assertThat(ProviderLoader.create(RouteSelectorProvider.class, found, null,
        provider -> provider.name().equals("alpha") ? null : provider.create())).isNull();
    assertThat(warnings()).hasSize(2);
    assertThat(ProviderLoader.create(RouteSelectorProvider.class, List.of(), null, Provider::name)).isNull();
  }

  @Test
  void createFailsNamingAConfiguredProviderInsteadOfSkippingIt() throws IOException {
    List<RouteSelectorProvider> found = ProviderLoader.load(RouteSelectorProvider.class,
        loaderRegistering(Alpha.class.getName(), Beta.class.getName()));

    assertThatThrownBy(() -> ProviderLoader.create(RouteSelectorProvider.class, found, null,
        provider -> provider.name().equals("beta"),
        provider -> {
          throw new IllegalArgumentException("bad setting");
        }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RouteSelectorProvider 'beta'")
        .hasMessageContaining("configured on the builder")
        .hasRootCauseMessage("bad setting");
  }
}
