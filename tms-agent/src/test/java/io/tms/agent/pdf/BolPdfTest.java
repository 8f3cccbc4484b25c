package io.tms.agent.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tms.domain.loading.BillOfLading;
import io.tms.domain.loading.BolLine;
import io.tms.domain.loading.BolNumber;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class BolPdfTest {
  private static final Instant STARTED = Instant.parse("2025-11-25T14:03:07Z");
  private static final Instant COMPLETED = Instant.parse("2025-11-25T14:31:52.480Z");
  private static final Map<String, String> PRODUCTS = Map.of(
      "RUL", "Regular Unleaded 87 E10", "PUL", "Premium Unleaded 93 E10", "ULSD", "No. 2 Ultra-Low-Sulfur Diesel, clear");
  private static final Map<String, String> CUSTOMERS = Map.of("CU0001", "San Jacinto Petroleum", "CU0005", "Brazos Stop & Go");

  private final BolPdf pdf = new BolPdf();

  @Test
  void printsTheLoadTheLinesAndTheTotals() throws IOException {
    BillOfLading bol = bol(List.of(
        line(1, "RUL", "CU0005", 2900, 2899.6, 2885.1, 68.4, 59.8, 0.99500),
        line(2, "PUL", "CU0005", 2900, 2900.2, 2886.0, 68.1, 57.2, 0.99510),
        line(3, "ULSD", "CU0001", 2900, 2898.9, 2890.2, 64.9, 34.6, 0.99700)));

    byte[] bytes = pdf.render(bol, "Memphis Terminal", PRODUCTS, CUSTOMERS);

    try (PDDocument doc = Loader.loadPDF(bytes)) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(doc.getNumberOfPages()).isEqualTo(1);
      assertThat(text).contains("BILL OF LADING", "DEMO1-00000042", "Memphis Terminal", "B03", "TT0007")
          .contains("RUL", "PUL", "ULSD", "Regular Unleaded 87 E10", "San Jacinto Petroleum", "TK-101", "B03-A1 / M031")
          .contains("Jason Brown (DR00001)", "Sabine Trucking (CR001)")
          .contains("2025-11-25T14:03:07Z", "2025-11-25T14:31:52Z", "Tue 25 Nov 2025, 14:31:52 UTC")
          .contains("0.99500", "59.8", "68.4", "2,900")
          .contains("8,698.7 gross", "8,661.3 net")
          .contains("Net volumes corrected to 60 °F per API MPMS Ch. 11.1-2004", "Driver signature");
      assertThat(doc.getDocumentInformation().getProducer()).isEqualTo("TMS");
      assertThat(doc.getDocumentInformation().getCreationDate().toInstant()).isEqualTo(Instant.parse("2025-11-25T14:31:52Z"));
    }
  }

  @Test
  void moreThanSixLinesGoOnASecondPage() throws IOException {
    List<BolLine> lines = IntStream.rangeClosed(1, 10)
        .mapToObj(i -> line(i, "ULSD", "CU0001", 1000, 1000.0, 996.0, 65.0, 34.6, 0.99600)).toList();

    try (PDDocument doc = Loader.loadPDF(pdf.render(bol(lines), "Memphis Terminal", PRODUCTS, CUSTOMERS))) {
      assertThat(doc.getNumberOfPages()).isEqualTo(2);
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setStartPage(2);
      stripper.setEndPage(2);
      String second = stripper.getText(doc);
      assertThat(second).contains("DEMO1-00000042", "Page 2 of 2", "9,960.0 net", "Driver signature");
    }
  }

  @Test
  void equalBolsGiveIdenticalFiles() {
    BillOfLading bol = bol(List.of(line(1, "RUL", "CU0005", 2900, 2899.6, 2885.1, 68.4, 59.8, 0.99500)));

    assertThat(pdf.render(bol, "Memphis Terminal", PRODUCTS, CUSTOMERS))
        .isEqualTo(pdf.render(bol, "Memphis Terminal", PRODUCTS, CUSTOMERS));
  }

  @Test
  void printsLocalTimesAndNamesOutsideTheFontWithoutFailing() throws IOException {
    BillOfLading bol = bol(List.of(line(1, "RUL", "CU0009", 2900, 2899.6, 2885.1, 68.4, 59.8, 0.99500)));

    byte[] bytes = pdf.render(bol, "Łódź Terminal", ZoneId.of("America/Chicago"), PRODUCTS, Map.of("CU0009", "Kraków Ölhandel"));

    try (PDDocument doc = Loader.loadPDF(bytes)) {
      assertThat(new PDFTextStripper().getText(doc)).contains("?ód? Terminal", "08:31:52 CST")
          .contains("Kraków Ölhandel (CU0009)");
    }
  }

  private static BillOfLading bol(List<BolLine> lines) {
    return new BillOfLading(new BolNumber("DEMO1", 42), "DEMO1", "LD-000042", "B03", "DR00001", "Jason Brown",
        "CR001", "Sabine Trucking", "TT0007", STARTED, COMPLETED, lines);
  }

  private static BolLine line(int compartment, String product, String customer, long preset, double gross, double net,
      double temperatureF, double api, double ctl) {
    return new BolLine(compartment, product, customer, "AL-" + customer + "-" + product + "-202511", "B03-A1", "M031",
        "TK-101", preset, gross, net, temperatureF, 800.0, api, ctl);
  }
}
