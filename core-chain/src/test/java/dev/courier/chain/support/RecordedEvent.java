package dev.courier.chain.support;

import dev.courier.Call;
import java.util.List;

/** One event an {@link EventRecorder} saw: the call, the event's name and its arguments. */
public record RecordedEvent(Call call, String name, List<Object> arguments) {
  /** Returns the first argument, cast to {@code type}. */
  public <T> T argument(Class<T> type) {
    for (Object argument : arguments) {
      if (type.isInstance(argument)) {
        return type.cast(argument);
      }
    }
    throw new AssertionError("event " + name + " has no " + type.getSimpleName() + ": " + arguments);
  }

  @Override
  public String toString() {
    return name + arguments;
  }
}
