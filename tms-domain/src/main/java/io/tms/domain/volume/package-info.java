/**
 * Volume correction to 60 °F for refined products per API MPMS Chapter 11.1-2004
 * (ASTM D1250-04): the commodity groups and their constants ({@link
 * io.tms.domain.volume.CommodityGroup}), density-unit conversions ({@link
 * io.tms.domain.volume.Density}), and the corrections themselves ({@link
 * io.tms.domain.volume.VolumeCorrection}) that turn a metered gross volume into the net
 * standard volume on a bill of lading.
 *
 * <p>Pure calculation: no I/O, no clocks, no shared state; every type is immutable or
 * stateless, so it is safe to call from any thread on every load completion.
 */
package io.tms.domain.volume;
