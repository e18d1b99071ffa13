package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiefen/report"
)

// The annual report as a Word document: a well-formed package whose
// tables say, figure by figure, what the API says (the year, the year
// before, the change, as the report prints them), whose draft paragraphs
// are the API's, whose figures link to their cases, and which LibreOffice
// converts to PDF without error (the converter WPS and Word users share
// files with; skipped without soffice unless CI, where .ci/run installs it).
func TestAnnualReportDocx(t *testing.T) {
	get, raw := demoReportServer(t)
	var rep report.Annual
	get("/api/v1/reports/annual?year=2025", &rep)
	doc, ctype := raw("/api/v1/reports/annual?year=2025&format=docx")
	if ctype != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Fatalf("content type %q", ctype)
	}
	parts := unzip(t, doc)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "word/media/image1.png"} {
		if _, ok := parts[name]; !ok {
			t.Fatalf("the package has no %s", name)
		}
	}
	for name, b := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			wellFormed(t, name, b)
		}
	}
	body := string(parts["word/document.xml"])
	if !strings.Contains(body, `w:eastAsia="仿宋_GB2312"`) || !strings.Contains(body, `w:pgSz w:w="11906" w:h="16838"`) {
		t.Error("the body is not in 仿宋_GB2312 on A4")
	}
	rows, paragraphs := docText(t, parts["word/document.xml"])
	byLabel := map[string][]string{}
	for _, r := range rows {
		if len(r) == 4 {
			byLabel[r[0]] = r
		}
	}
	n := 0
	for _, s := range rep.Sections {
		if !containsText(paragraphs, s.Draft) {
			t.Errorf("section %s's draft is not a paragraph of the document", s.Number)
		}
		for _, f := range s.Figures {
			want := []string{f.Label, f.Text, f.PreviousText, f.ChangeText}
			if got := byLabel[f.Label]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s: the document's row %q, the API's %q", f.Key, got, want)
			}
			n++
		}
	}
	if n < 30 {
		t.Errorf("only %d figures in the report", n)
	}
	rels := string(parts["word/_rels/document.xml.rels"])
	if !strings.Contains(rels, `/api/v1/disputes?from=2025-01-01&amp;to=2025-12-31&amp;source=police" TargetMode="External"`) {
		t.Error("the figure of police referrals does not link to its disputes")
	}
	for _, ag := range rep.Agencies {
		if ag.AgencyName != nil && !strings.Contains(body, *ag.AgencyName) {
			t.Errorf("the 双下降 table lacks %s", *ag.AgencyName)
		}
	}

	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("LibreOffice is not installed; .ci/run installs it (apt-get install -y libreoffice-writer-nogui)")
		}
		t.Skip("soffice not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "annual-2025.docx")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir) // a profile of its own
	out, err := cmd.CombinedOutput()
	pdf, rerr := os.ReadFile(filepath.Join(dir, "annual-2025.pdf"))
	if err != nil || rerr != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 10000 {
		t.Fatalf("soffice --convert-to pdf: %v, %v, %d bytes:\n%s", err, rerr, len(pdf), out)
	}
	t.Logf("LibreOffice made a PDF of %d bytes", len(pdf))
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	return out
}

func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// docText reads document.xml: the text of every table row, cell by cell,
// and of every paragraph outside tables.
func docText(t *testing.T, b []byte) (rows [][]string, paragraphs []string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var row []string
	var text strings.Builder
	inTable, inText := 0, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows, paragraphs
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				inTable++
			case "tr":
				row = nil
			case "tc", "p":
				text.Reset()
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "tbl":
				inTable--
			case "tr":
				rows = append(rows, row)
			case "tc":
				row = append(row, text.String())
			case "p":
				if inTable == 0 {
					paragraphs = append(paragraphs, text.String())
				}
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				text.Write(e)
			}
		}
	}
}

func containsText(paragraphs []string, s string) bool {
	for _, p := range paragraphs {
		if p == s {
			return true
		}
	}
	return false
}
