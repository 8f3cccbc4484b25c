package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A site operator unlocked a card that wrong PINs had locked. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardUnlockedV1(String cardNumber, Instant unlockedAt, String operator) {}
