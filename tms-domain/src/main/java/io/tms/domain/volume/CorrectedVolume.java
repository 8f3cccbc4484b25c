package io.tms.domain.volume;

/**
 * A gross volume corrected to 60 °F, with every figure a ticket needs to show how.
 *
 * @param group the commodity group whose constants were used
 * @param baseDensityKgM3 density at 60 °F in kg/m³ as used: rounded to 0.1 kg/m³ when given in
 *     kg/m³, converted without further rounding when given as API gravity
 * @param apiGravity60 the same density as API gravity at 60 °F, to 0.1 °API
 * @param temperatureF the observed temperature as used, rounded to 0.1 °F (ITS-90)
 * @param ctl correction for the effect of temperature on the liquid, to 5 decimals
 * @param grossVolume the gross (observed) volume as given, in the caller's unit
 * @param netVolume {@code grossVolume × ctl}, to 0.1 of the caller's unit (half up)
 */
public record CorrectedVolume(
    CommodityGroup group,
    double baseDensityKgM3,
    double apiGravity60,
    double temperatureF,
    double ctl,
    double grossVolume,
    double netVolume) {
}
