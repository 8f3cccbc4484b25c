package io.tms.api.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.tms.api.audit.AuditLog;
import io.tms.api.feed.ChangeLog;
import io.tms.api.http.CloudHttp;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/** Wires the admin API's resources; {@link io.tms.api.Cloud} adds it to the routes. */
public final class AdminRoutes implements Consumer<RoutesConfig> {
  private final List<CrudResource<?, ?>> resources;
  private final LiftingResource liftings;

  public AdminRoutes(Jdbi jdbi, ChangeLog changeLog, AuditLog audit, CloudHttp http) {
    ObjectMapper json = http.json();
    Answers answers = new Answers(json);
    this.resources = List.of(
        new CrudResource<>(new SiteAdmin(), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new ProductAdmin(), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new TankAdmin(), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new BayAdmin(json), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new CustomerAdmin(), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new CarrierAdmin(), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new DriverAdmin(json), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new VehicleAdmin(json), jdbi, changeLog, audit, http, answers),
        new CrudResource<>(new AllocationAdmin(), jdbi, changeLog, audit, http, answers));
    this.liftings = new LiftingResource(jdbi, changeLog, audit, answers);
  }

  @Override
  public void accept(RoutesConfig r) {
    resources.forEach(res -> res.register(r));
    liftings.register(r);
  }
}
