package io.tms.domain.loading;

/** One compartment on a bill of lading. Net volume is at 60 °F per API MPMS 11.1. */
public record BolLine(
    int compartment,
    String productCode,
    String customerId,
    String allocationId,
    String armId,
    String meterId,
    String tankId,
    long presetGallons,
    double grossGallons,
    double netGallons,
    double temperatureF,
    double baseDensityKgM3,
    double apiGravity,
    double ctl) {}
