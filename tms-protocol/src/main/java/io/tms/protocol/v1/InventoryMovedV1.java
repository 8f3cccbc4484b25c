package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A tank's book inventory moved; {@code deltaNetGallons} is negative for a load. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InventoryMovedV1(
    String tankId, Instant movedAt, String reason, String reference, double deltaNetGallons, double bookNetGallonsAfter) {}
