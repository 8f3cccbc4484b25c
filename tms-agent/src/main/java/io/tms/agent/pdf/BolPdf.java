package io.tms.agent.pdf;

import io.tms.domain.loading.BillOfLading;
import io.tms.domain.loading.BolLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName;

/**
 * Renders a bill of lading as a printable PDF: US Letter, six compartments to a page, totals, the
 * API MPMS 11.1 note and the driver's signature line on the last page. Uses the standard 14 fonts
 * (nothing embedded) and fixes the metadata (producer, dates from the BOL), so equal BOLs give
 * byte-identical files. Text outside the fonts' WinAnsi set prints as {@code ?}. Stateless and
 * thread-safe.
 */
public final class BolPdf {
  static final int LINES_PER_PAGE = 6;
  private static final float MARGIN = 36;
  private static final float RIGHT = PDRectangle.LETTER.getWidth() - MARGIN;
  private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm:ss z", Locale.US);
  /** Table columns: header, x, right-aligned. */
  private static final String[] HEAD = {"Cpt", "Product", "Tank", "Arm / meter", "Preset gal", "Gross gal",
      "Temp °F", "API @ 60 °F", "CTL", "Net gal @ 60 °F"};
  private static final float[] X = {MARGIN, 62, 150, 196, 318, 374, 414, 468, 512, RIGHT};
  private static final int FIRST_RIGHT_ALIGNED = 4;

  /** Renders with times in UTC. */
  public byte[] render(
      BillOfLading bol, String siteName, Map<String, String> productNames, Map<String, String> customerNames) {
    return render(bol, siteName, ZoneId.of("UTC"), productNames, customerNames);
  }

  /** Renders with the readable times in {@code zone} (the site's), ISO times always in UTC. */
  public byte[] render(BillOfLading bol, String siteName, ZoneId zone,
      Map<String, String> productNames, Map<String, String> customerNames) {
    List<BolLine> lines = bol.lines();
    int pages = Math.max(1, (lines.size() + LINES_PER_PAGE - 1) / LINES_PER_PAGE);
    // Fonts per document: PDFBox fonts cache glyph widths without locking.
    PDFont regular = new PDType1Font(FontName.HELVETICA);
    PDFont bold = new PDType1Font(FontName.HELVETICA_BOLD);
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      metadata(doc, bol);
      for (int p = 0; p < pages; p++) {
        PDPage page = new PDPage(PDRectangle.LETTER);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          Page pg = new Page(cs, regular, bold);
          float y = header(pg, bol, siteName, zone, p + 1, pages);
          List<BolLine> slice = lines.subList(p * LINES_PER_PAGE, Math.min(lines.size(), (p + 1) * LINES_PER_PAGE));
          y = table(pg, slice, y, productNames, customerNames);
          if (p == pages - 1) {
            footer(pg, bol, y);
          } else {
            pg.text(pg.regular(), 8, MARGIN, y - 14, "Continued on page " + (p + 2) + ".");
          }
        }
      }
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render BOL " + bol.number(), e);
    }
  }

  private static void metadata(PDDocument doc, BillOfLading bol) {
    PDDocumentInformation info = doc.getDocumentInformation();
    Instant at = bol.completedAt() != null ? bol.completedAt() : bol.startedAt() != null ? bol.startedAt() : Instant.EPOCH;
    Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
    calendar.setTimeInMillis(at.truncatedTo(ChronoUnit.SECONDS).toEpochMilli());
    info.setTitle("Bill of Lading " + bol.number());
    info.setProducer("TMS");
    info.setCreator("TMS edge agent");
    info.setCreationDate(calendar);
    info.setModificationDate(calendar);
    // PDFBox would otherwise derive the file identifier from the clock; a stable one keeps equal BOLs equal.
    UUID key = UUID.nameUUIDFromBytes((bol.number() + "|" + at).getBytes(StandardCharsets.UTF_8));
    byte[] id = ByteBuffer.allocate(16).putLong(key.getMostSignificantBits()).putLong(key.getLeastSignificantBits()).array();
    COSArray ids = new COSArray();
    ids.add(new COSString(id));
    ids.add(new COSString(id));
    doc.getDocument().getTrailer().setItem(COSName.ID, ids);
  }

  private static float header(Page pg, BillOfLading bol, String site, ZoneId zone, int page, int pages)
      throws IOException {
    float top = PDRectangle.LETTER.getHeight() - MARGIN;
    pg.text(pg.bold(), 18, MARGIN, top - 16, "BILL OF LADING");
    pg.right(pg.bold(), 13, RIGHT, top - 14, "No. " + bol.number());
    pg.text(pg.regular(), 8, MARGIN, top - 30, "Straight bill of lading - not negotiable");
    pg.right(pg.regular(), 8, RIGHT, top - 30, "Page " + page + " of " + pages);
    pg.rule(top - 37, 1f);
    float y = top - 52;
    pg.field(MARGIN, y, "Terminal (shipper)", site + " (" + bol.siteCode() + ")");
    pg.field(300, y, "Loading started", time(bol.startedAt(), zone));
    pg.field(MARGIN, y - 26, "Load / bay", orDash(bol.loadId()) + "  /  bay " + orDash(bol.bayId()));
    pg.field(300, y - 26, "Loading completed", time(bol.completedAt(), zone));
    pg.field(MARGIN, y - 52, "Carrier", named(bol.carrierName(), bol.carrierId()));
    pg.field(300, y - 52, "Driver", named(bol.driverName(), bol.driverId()));
    pg.field(MARGIN, y - 78, "Vehicle", orDash(bol.vehicleId()));
    return y - 100;
  }

  private static float table(Page pg, List<BolLine> lines, float y, Map<String, String> productNames,
      Map<String, String> customerNames) throws IOException {
    pg.rule(y + 4, 0.5f);
    for (int c = 0; c < HEAD.length; c++) {
      pg.cell(pg.bold(), 7.5f, c, y - 8, HEAD[c]);
    }
    pg.rule(y - 13, 0.5f);
    y -= 26;
    for (BolLine l : lines) {
      String[] cells = {Integer.toString(l.compartment()), l.productCode(), l.tankId(), l.armId() + " / " + l.meterId(),
          String.format(Locale.US, "%,d", l.presetGallons()), gallons(l.grossGallons()),
          String.format(Locale.US, "%.1f", l.temperatureF()), String.format(Locale.US, "%.1f", l.apiGravity()),
          String.format(Locale.US, "%.5f", l.ctl()), gallons(l.netGallons())};
      for (int c = 0; c < cells.length; c++) {
        pg.cell(c == 1 || c == cells.length - 1 ? pg.bold() : pg.regular(), 8.5f, c, y, cells[c]);
      }
      String product = productNames.getOrDefault(l.productCode(), "");
      String consignee = named(customerNames.get(l.customerId()), l.customerId());
      pg.text(pg.regular(), 7.5f, X[1], y - 11, fit(pg.regular(), product + "    Consignee: " + consignee, RIGHT - X[1], 7.5f));
      pg.rule(y - 17, 0.25f);
      y -= 32;
    }
    return y;
  }

  private static void footer(Page pg, BillOfLading bol, float y) throws IOException {
    pg.text(pg.bold(), 9, X[1], y, "Totals");
    pg.right(pg.bold(), 9, X[5], y, gallons(bol.totalGrossGallons()) + " gross");
    pg.right(pg.bold(), 9, RIGHT, y, gallons(bol.totalNetGallons()) + " net");
    pg.rule(y - 6, 1f);
    pg.text(pg.regular(), 8, MARGIN, y - 22, "Net volumes corrected to 60 °F per API MPMS Ch. 11.1-2004.");
    pg.text(pg.regular(), 8, MARGIN, y - 34, "Gross volumes as metered at the loading arm; US gallons.");
    float sign = Math.min(y - 90, 150);
    pg.text(pg.regular(), 8, MARGIN, sign + 26, "Received the above product in the compartments stated.");
    pg.line(MARGIN, sign, 300, sign);
    pg.line(340, sign, RIGHT, sign);
    pg.text(pg.regular(), 7.5f, MARGIN, sign - 10, "Driver signature - " + named(bol.driverName(), bol.driverId()));
    pg.text(pg.regular(), 7.5f, 340, sign - 10, "Date");
  }

  private static String time(Instant at, ZoneId zone) {
    Instant s = at == null ? null : at.truncatedTo(ChronoUnit.SECONDS);
    return s == null ? "-" : s + "   (" + READABLE.format(s.atZone(zone)) + ")";
  }

  private static String gallons(double g) {
    return String.format(Locale.US, "%,.1f", g);
  }

  private static String named(String name, String id) {
    return name == null || name.isBlank() ? orDash(id) : name + " (" + orDash(id) + ")";
  }

  private static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  private static String fit(PDFont font, String text, float width, float size) throws IOException {
    String t = safe(font, text);
    while (t.length() > 1 && font.getStringWidth(t) / 1000 * size > width) {
      t = t.substring(0, t.length() - 2) + "…";
    }
    return t;
  }

  /** Replaces what the font cannot encode (WinAnsi) with '?', so a name never fails a print. */
  private static String safe(PDFont font, String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      String ch = Character.toString(cp);
      try {
        sb.append(font.encode(ch).length > 0 ? ch : "?");
      } catch (IOException | IllegalArgumentException e) {
        sb.append('?');
      }
    });
    return sb.toString();
  }

  /** Drawing primitives on one page. */
  private record Page(PDPageContentStream cs, PDFont regular, PDFont bold) {
    void text(PDFont font, float size, float x, float y, String s) throws IOException {
      cs.beginText();
      cs.setFont(font, size);
      cs.newLineAtOffset(x, y);
      cs.showText(safe(font, s));
      cs.endText();
    }

    void right(PDFont font, float size, float x, float y, String s) throws IOException {
      text(font, size, x - font.getStringWidth(safe(font, s)) / 1000 * size, y, s);
    }

    void cell(PDFont font, float size, int column, float y, String s) throws IOException {
      if (column >= FIRST_RIGHT_ALIGNED) {
        right(font, size, X[column], y, s);
      } else {
        text(font, size, X[column], y, orDash(s));
      }
    }

    void field(float x, float y, String label, String value) throws IOException {
      text(regular, 7, x, y, label.toUpperCase(Locale.US));
      text(bold, 10, x, y - 12, value);
    }

    void rule(float y, float width) throws IOException {
      cs.setLineWidth(width);
      line(MARGIN, y, RIGHT, y);
    }

    void line(float x1, float y1, float x2, float y2) throws IOException {
      cs.moveTo(x1, y1);
      cs.lineTo(x2, y2);
      cs.stroke();
    }
  }
}
