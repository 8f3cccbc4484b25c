package io.tms.api.feed;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.http.CloudHttp;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import java.util.function.Consumer;

/**
 * {@code GET /edge/v1/sites/{site}/changes?after=REV&waitMs=N&limit=L}: the downlink of the sync
 * contract ({@code io.tms.protocol.v1.sync.ChangesV1}). Long polls block a virtual thread each.
 */
public final class FeedRoutes implements Consumer<RoutesConfig> {
  private final ChangeFeed feed;

  public FeedRoutes(ChangeFeed feed) {
    this.feed = feed;
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get("/edge/v1/sites/{site}/changes", this::changes);
  }

  private void changes(Context ctx) throws InterruptedException {
    String site = ctx.pathParam("site");
    long after = CloudHttp.longParam(ctx, "after", 0);
    long waitMs = CloudHttp.longParam(ctx, "waitMs", 0);
    long limit = CloudHttp.longParam(ctx, "limit", feed.settings().defaultLimit());
    if (limit < 1) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "limit", "limit must be >= 1");
    }
    int bounded = (int) Math.min(limit, feed.settings().maxLimit());
    ChangeFeed.Answer answer = feed.changes(site, after, waitMs, bounded);
    ctx.contentType("application/json").result(ChangeFeed.toJson(answer));
  }
}
