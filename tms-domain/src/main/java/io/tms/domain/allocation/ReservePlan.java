package io.tms.domain.allocation;

import java.util.List;
import java.util.Objects;

/**
 * What one round of the {@link ReservePolicy} decided for an allocation: per site, a grant and/or an
 * ask to release. Apply it with {@link Escrow#apply}; every site with a move needs a new reserve
 * record on the change feed.
 */
public record ReservePlan(List<Move> moves) {
  public ReservePlan {
    moves = List.copyOf(moves);
  }

  /** One site's move; at most one of the two is non-zero in plans the policy makes. */
  public record Move(String siteCode, long grantGallons, long askGallons) {
    public Move {
      Objects.requireNonNull(siteCode, "siteCode");
      if (grantGallons < 0 || askGallons < 0) {
        throw new IllegalArgumentException("moves are >= 0");
      }
    }
  }

  public boolean isEmpty() {
    return moves.isEmpty();
  }

  public long granted() {
    return moves.stream().mapToLong(Move::grantGallons).sum();
  }

  public long asked() {
    return moves.stream().mapToLong(Move::askGallons).sum();
  }
}
