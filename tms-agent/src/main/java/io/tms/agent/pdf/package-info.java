/**
 * Printable documents of the edge agent: the bill of lading a driver leaves with, rendered as PDF
 * with Apache PDFBox and nothing but the standard 14 fonts.
 */
package io.tms.agent.pdf;
