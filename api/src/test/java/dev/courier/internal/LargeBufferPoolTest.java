package dev.courier.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LargeBufferPoolTest {
  @Test
  void arrayGivenBackIsLentAgain() {
    LargeBufferPool pool = new LargeBufferPool(2);
    byte[] first = pool.borrow();
    assertThat(first).hasSize(LargeBufferPool.BUFFER_SIZE);
    pool.giveBack(first);

    assertThat(pool.keptCount()).isEqualTo(1);
    assertThat(pool.borrow()).isSameAs(first);
    assertThat(pool.keptCount()).isZero();
  }

  @Test
  void keepsAtMostItsLimitBetweenLoans() {
    LargeBufferPool pool = new LargeBufferPool(2);
    byte[] a = pool.borrow();
    byte[] b = pool.borrow();
    byte[] c = pool.borrow();
    assertThat(a).isNotSameAs(b).isNotSameAs(c);

    pool.giveBack(a);
    pool.giveBack(b);
    pool.giveBack(c);

    assertThat(pool.keptCount()).isEqualTo(2);
  }

  @Test
  void poolKeepingNoneAlwaysAllocates() {
    LargeBufferPool pool = new LargeBufferPool(0);
    byte[] a = pool.borrow();
    pool.giveBack(a);

    assertThat(pool.keptCount()).isZero();
    assertThat(pool.borrow()).isNotSameAs(a);
  }

  @Test
  void refusesAnArrayItDidNotLend() {
    LargeBufferPool pool = new LargeBufferPool(1);

    assertThatThrownBy(() -> pool.giveBack(new byte[10])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LargeBufferPool(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
