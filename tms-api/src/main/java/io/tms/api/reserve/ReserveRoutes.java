package io.tms.api.reserve;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tms.api.audit.Actor;
import io.tms.api.audit.AuditLog;
import io.tms.api.http.CloudHttp;
import io.tms.api.reserve.ParticipatingSites.SiteSetting;
import io.tms.domain.DomainException;
import io.tms.domain.ErrorCode;
import io.tms.domain.allocation.ReservePlan;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The operator's endpoints of the reserve ledger (openapi/cloud/reserves.json):
 *
 * <ul>
 *   <li>{@code GET /v1/allocations/{id}/reserves} — per site totals, target and reserve left; the
 *       allocation's committed gallons, headroom and whether it is over-committed;
 *   <li>{@code PUT /v1/allocations/{id}/reserves/{site}} — enrols a site in the allocation's escrow
 *       (or withdraws it: {@code participating=false}) and sets its minimum reserve; takes effect at
 *       the next round;
 *   <li>{@code POST /v1/allocations/{id}/rebalance} — runs a round for the allocation now.
 * </ul>
 */
public final class ReserveRoutes implements Consumer<RoutesConfig> {
  private static final long MAX_GALLONS = 1_000_000_000_000L;

  /** Body of the PUT; absent fields: participating, the policy's initial reserve. */
  public record SiteBody(Boolean participating, Long minimumGallons) {}

  /** Answer of a rebalance: the moves made, then the escrow after them. */
  public record RebalanceResult(String allocationId, List<ReservePlan.Move> moves, ReserveView reserves) {}

  private final Jdbi jdbi;
  private final CloudHttp http;
  private final ReserveStore store;
  private final ReserveRebalancer rebalancer;
  private final AuditLog audit;

  public ReserveRoutes(Jdbi jdbi, CloudHttp http, ReserveStore store, ReserveRebalancer rebalancer, AuditLog audit) {
    this.jdbi = jdbi;
    this.http = http;
    this.store = store;
    this.rebalancer = rebalancer;
    this.audit = audit;
  }

  @Override
  public void accept(RoutesConfig r) {
    r.get("/v1/allocations/{id}/reserves", ctx -> ctx.json(view(ctx.pathParam("id"))));
    r.put("/v1/allocations/{id}/reserves/{site}", this::putSite);
    r.post("/v1/allocations/{id}/rebalance", ctx -> {
      String id = ctx.pathParam("id");
      Actor actor = Actor.of(ctx);
      RebalanceResult result = jdbi.inTransaction(h -> {
        ReserveView before = rebalancer.view(h, id).orElse(null);
        ReservePlan plan = rebalancer.rebalance(h, id, false).orElseThrow(() -> notFound(id));
        RebalanceResult done = new RebalanceResult(id, plan.moves(), rebalancer.view(h, id).orElseThrow());
        if (!plan.moves().isEmpty()) {
          audit.append(h, actor, "reserve", id, "rebalance", null, before, done.reserves());
        }
        return done;
      });
      ctx.json(result);
    });
  }

  private void putSite(Context ctx) {
    String id = ctx.pathParam("id");
    String site = ctx.pathParam("site");
    if (!site.matches("[A-Z][A-Z0-9]{1,9}")) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "site", "site code must be 2-10 upper-case letters/digits");
    }
    SiteBody body = http.body(ctx, SiteBody.class);
    if (body.minimumGallons() != null && (body.minimumGallons() < 0 || body.minimumGallons() > MAX_GALLONS)) {
      throw new DomainException(ErrorCode.INVALID_INPUT, "minimumGallons",
          "minimumGallons must be 0-" + MAX_GALLONS + " (was " + body.minimumGallons() + ")");
    }
    boolean participating = body.participating() == null || body.participating();
    Actor actor = Actor.of(ctx);
    ReserveView view = jdbi.inTransaction(h -> {
      if (store.find(h, id).isEmpty()) {
        throw notFound(id);
      }
      if (!store.siteExists(h, site)) {
        throw new DomainException(ErrorCode.NOT_FOUND, "site", "no site " + site);
      }
      SiteSetting before = store.settings(h, id).stream().filter(x -> x.siteCode().equals(site)).findFirst()
          .orElse(null);
      SiteSetting after = new SiteSetting(site, participating, body.minimumGallons());
      store.putSetting(h, id, after);
      audit.append(h, actor, "reserve_site", id + "/" + site, "put", site, before, after);
      return rebalancer.view(h, id).orElseThrow();
    });
    ctx.json(view);
  }

  private ReserveView view(String id) {
    return jdbi.withHandle(h -> rebalancer.view(h, id)).orElseThrow(() -> notFound(id));
  }

  private static DomainException notFound(String id) {
    return new DomainException(ErrorCode.NOT_FOUND, "id", "no allocation " + id);
  }
}
