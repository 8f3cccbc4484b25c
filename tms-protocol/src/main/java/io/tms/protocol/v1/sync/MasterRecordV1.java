package io.tms.protocol.v1.sync;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One master-data record as it travels down the change feed. A change is always the whole record
 * (an upsert); the cloud never deletes master data, it deactivates it ({@code active=false}), and a
 * lifting right is withdrawn with {@code granted=false}. Applying the same record twice is
 * harmless.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "entity")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SiteV1.class, name = "site"),
  @JsonSubTypes.Type(value = ProductV1.class, name = "product"),
  @JsonSubTypes.Type(value = TankV1.class, name = "tank"),
  @JsonSubTypes.Type(value = BayV1.class, name = "bay"),
  @JsonSubTypes.Type(value = CustomerV1.class, name = "customer"),
  @JsonSubTypes.Type(value = CarrierV1.class, name = "carrier"),
  @JsonSubTypes.Type(value = DriverV1.class, name = "driver"),
  @JsonSubTypes.Type(value = VehicleV1.class, name = "vehicle"),
  @JsonSubTypes.Type(value = LiftingV1.class, name = "lifting"),
  @JsonSubTypes.Type(value = AllocationV1.class, name = "allocation"),
  @JsonSubTypes.Type(value = ReserveV1.class, name = "reserve"),
  @JsonSubTypes.Type(value = TerminalV1.class, name = "terminal"),
})
public sealed interface MasterRecordV1
    permits SiteV1, ProductV1, TankV1, BayV1, CustomerV1, CarrierV1, DriverV1, VehicleV1, LiftingV1, AllocationV1,
        ReserveV1, TerminalV1 {

  /** The record's key within its entity (e.g. a driver id, {@code customerId/productCode} for a lifting right). */
  String key();
}
