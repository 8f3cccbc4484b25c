package io.tms.protocol.v1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A tank gauge reading and how far the book was from it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GaugeReadingRecordedV1(
    String readingId,
    String tankId,
    Instant readAt,
    double grossGallons,
    double waterGallons,
    double temperatureF,
    double netGallons,
    double bookNetGallons) {}
