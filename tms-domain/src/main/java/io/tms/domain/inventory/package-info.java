/**
 * Tank inventory: the book (what loads took out, in net gallons at 60 °F) against the gauge (what a
 * tank gauge measured, corrected the same way), and the difference an operator investigates.
 */
package io.tms.domain.inventory;
