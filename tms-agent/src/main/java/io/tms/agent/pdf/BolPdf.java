package io.tms.agent.pdf;

import io.tms.domain.loading.BillOfLading;
import java.util.Map;

/** PLACEHOLDER until the seed branch merges. */
public final class BolPdf {
  public byte[] render(BillOfLading bol, String siteName, Map<String, String> products, Map<String, String> customers) {
    return ("%PDF-1.4 placeholder " + bol.number()).getBytes();
  }
}
