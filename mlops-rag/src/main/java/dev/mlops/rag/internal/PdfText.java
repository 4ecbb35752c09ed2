package dev.mlops.rag.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/** The text of each page of a PDF (Apache PDFBox), or why there is none. */
public final class PdfText {

    /** Text of one page, 1-based. */
    public record Page(int number, String text) {}

    /** The pages (all of them, blank ones with empty text) and the document title, if any. */
    public record Result(List<Page> pages, String title) {}

    /** Why a PDF cannot be read. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;
        private final String fix;

        Unreadable(String problem, String fix, Throwable cause) {
            super(problem, cause);
            this.fix = fix;
        }

        public String fix() {
            return fix;
        }
    }

    private PdfText() {}

    /** Trailing spaces of every line removed, then the whole stripped. */
    static String stripLines(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            sb.append(line.stripTrailing()).append('\n');
        }
        return sb.toString().strip();
    }

    public static Result read(byte[] bytes) throws Unreadable {
        PDDocument doc;
        try {
            doc = Loader.loadPDF(bytes);
        } catch (InvalidPasswordException e) {
            throw new Unreadable("encrypted PDF: it needs a password to open (" + e.getMessage() + ")",
                    "decrypt it first (e.g. qpdf --decrypt --password=... in.pdf out.pdf)", e);
        } catch (IOException e) {
            throw new Unreadable("not a readable PDF (" + e.getMessage() + ")",
                    "check that the file is a complete PDF; re-export or repair it (e.g. qpdf in.pdf out.pdf)", e);
        }
        try (doc) {
            if (doc.isEncrypted() && !doc.getCurrentAccessPermission().canExtractContent()) {
                throw new Unreadable("encrypted PDF whose permissions forbid text extraction",
                        "ask its owner for a copy that allows extraction, or decrypt it with the owner password", null);
            }
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setLineSeparator("\n");
            stripper.setPageEnd("");
            stripper.setPageStart("");
            int n = doc.getNumberOfPages();
            List<Page> pages = new ArrayList<>(n);
            for (int p = 1; p <= n; p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                pages.add(new Page(p, stripLines(stripper.getText(doc))));
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            String title = info == null || info.getTitle() == null ? "" : info.getTitle().strip();
            return new Result(pages, title);
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("reading the PDF's text failed (" + e + ")",
                    "check that the file is a complete PDF; re-export or repair it (e.g. qpdf in.pdf out.pdf)", e);
        }
    }
}
